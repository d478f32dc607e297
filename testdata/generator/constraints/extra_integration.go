//go:build integration

package constraints

//go:generate go run github.com/typedsession/typedsession/cmd/sessiongen -type Extra -tags integration

// Extra exists in integration builds.
type Extra struct {
	Theme *Theme `session:"theme"`
	Only  Only   `session:"only"`
}

// Only is stored by Extra alone, so its methods go into Extra's file.
type Only struct {
	N int
}
