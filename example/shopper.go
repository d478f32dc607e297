package main

import "time"

// Shopper is everything the shop keeps about one browser between requests.
// sessiongen turns it into ShopperSession, whose typed accessors the
// handlers use (shopper_session.go; regenerate it with `go generate
// ./example` after changing this struct).
//
// The tag names are what is stored: renaming a Go field is free, renaming
// a tag forgets what sessions already hold under the old name.
//
//go:generate go tool sessiongen -type Shopper -doc
type Shopper struct {
	// UserID is the signed-in user's id; absent when nobody is signed in.
	UserID int64 `session:"uid"`
	// Name is the signed-in user's display name.
	Name string `session:"name"`
	// SignedInAt is when the user signed in.
	SignedInAt time.Time `session:"signed_in_at"`

	// Cart holds the lines of the shopping cart, in the order added.
	Cart []CartLine `session:"cart"`

	// Flash holds messages shown once, on the next page rendered
	// ("Added 2 × Tea").
	Flash []string `session:"flash"`

	// Visits counts the pages this browser has seen.
	Visits int64 `session:"visits"`
	// Views counts them per page path.
	Views map[string]int64 `session:"views"`

	// CSRF is the token every form must send back (see csrf.go).
	CSRF string `session:"csrf"`
}

// CartLine is one product in the cart.
type CartLine struct {
	SKU string `session:"sku"`
	Qty int    `session:"qty"`
}
