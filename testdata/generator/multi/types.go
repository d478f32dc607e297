//go:build !typedsession_exclude

// Package multi generates two session types into one file; they share a
// nested struct, whose methods are generated once. The build constraint is
// carried into the output.
package multi

// Visitor is a shopper's session.
type Visitor struct {
	Cart []Line `session:"cart"`
}

// Admin is a back-office session.
type Admin struct {
	Login string `session:"login"`
	Last  *Line  `session:"last"`
}

// Line is shared by both.
type Line struct {
	SKU string
	Qty int
}
