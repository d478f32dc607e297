// Package split generates its session types in separate runs, the first of
// which stores the second: each struct's methods must be declared once,
// whatever the order of the runs.
package split

//go:generate go run github.com/typedsession/typedsession/cmd/sessiongen -type Admin
//go:generate go run github.com/typedsession/typedsession/cmd/sessiongen -type Visitor

// Admin is a back-office session that can look at a visitor's.
type Admin struct {
	Login string   `session:"login"`
	As    *Visitor `session:"as"`
	Last  Line     `session:"last"`
}

// Visitor is a shopper's session.
type Visitor struct {
	Cart []Line `session:"cart"`
	Note Note   `session:"note"`
}

// Line is stored by both session types.
type Line struct {
	SKU string
	Qty int
}

// Note is stored by Visitor only.
type Note struct {
	Text string
}
