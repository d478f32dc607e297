//go:build !nosession

// Package constraints declares session types in files with different build
// constraints that share a struct from an unconstrained file: the shared
// struct's methods must build whenever either session type does.
package constraints

//go:generate go run github.com/typedsession/typedsession/cmd/sessiongen -type Prefs -tags integration

// Prefs is kept on Linux unless built with nosession.
type Prefs struct {
	Theme Theme `session:"theme"`
}
