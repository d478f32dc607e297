// Package bench compares the generated codec with msgpack's reflection on
// a realistic session struct.
package bench

import "time"

// Shopper is a typical session: a user id, a name, roles, a cart, a login
// time, a CSRF token and a few flags.
type Shopper struct {
	UserID    int64           `session:"uid"`
	Name      string          `session:"name"`
	Roles     []string        `session:"roles"`
	Cart      []CartLine      `session:"cart"`
	LastLogin time.Time       `session:"ll"`
	CSRF      string          `session:"csrf"`
	Flags     map[string]bool `session:"flags"`
}

// CartLine is one line of the cart.
type CartLine struct {
	SKU   string  `session:"sku"`
	Qty   int     `session:"qty"`
	Price float64 `session:"price"`
}
