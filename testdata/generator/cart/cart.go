// Package cart marks its session struct with the directive instead of
// naming it with -type. The type is named like the package, so the
// generated names drop the stutter: cart.Session, cart.From, cart.Of.
package cart

// Cart is the session.
//
//sessiongen:session
type Cart struct {
	Items map[string]int `session:"items"`
}

// NotASession has no directive and gets nothing.
type NotASession struct{ X int }
