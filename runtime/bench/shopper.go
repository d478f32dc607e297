package bench

import "time"

//go:generate go tool sessiongen -type Shopper

// Shopper is the session the benchmarks share: what a shop keeps for a
// signed-in customer, sized like a real one: an id, a name, three roles,
// three cart lines, a time, a CSRF token and three flags.
type Shopper struct {
	UserID   int64           `session:"uid"`
	Name     string          `session:"name"`
	Roles    []string        `session:"roles"`
	Cart     []CartLine      `session:"cart"`
	LastSeen time.Time       `session:"last_seen"`
	CSRF     string          `session:"csrf"`
	Flags    map[string]bool `session:"flags"`
}

// CartLine is one line of a Shopper's cart.
type CartLine struct {
	SKU        string `session:"sku"`
	Qty        int    `session:"qty"`
	PriceCents int64  `session:"price"`
}
