package bench

import "time"

// msgpShopper is Shopper for tinylib/msgp, which generates its own codec
// from these declarations into msgp_gen_test.go: the comparison of
// workload 1 with another code generator. The tags are Shopper's keys and
// times use msgpack's timestamp extension in UTC, as typedsession writes
// them, so the two encodings carry the same bytes but for the order of
// the flags.
//
// msgp is a requirement of this module's tests only (go run fetches the
// generator at the version below; go.mod requires its runtime package).

//go:generate go run github.com/tinylib/msgp@v1.6.5 -file msgp_test.go -o msgp_gen_test.go -tests=false -io=false -unexported

//msgp:tag msgpack
//msgp:newtime
//msgp:timezone utc

type msgpShopper struct {
	UserID   int64           `msgpack:"uid"`
	Name     string          `msgpack:"name"`
	Roles    []string        `msgpack:"roles"`
	Cart     []msgpLine      `msgpack:"cart"`
	LastSeen time.Time       `msgpack:"last_seen"`
	CSRF     string          `msgpack:"csrf"`
	Flags    map[string]bool `msgpack:"flags"`
}

type msgpLine struct {
	SKU        string `msgpack:"sku"`
	Qty        int    `msgpack:"qty"`
	PriceCents int64  `msgpack:"price"`
}

func msgpOf(v Shopper) msgpShopper {
	m := msgpShopper{UserID: v.UserID, Name: v.Name, Roles: v.Roles, LastSeen: v.LastSeen, CSRF: v.CSRF, Flags: v.Flags}
	for _, l := range v.Cart {
		m.Cart = append(m.Cart, msgpLine(l))
	}
	return m
}

func (m msgpShopper) shopper() Shopper {
	v := Shopper{UserID: m.UserID, Name: m.Name, Roles: m.Roles, LastSeen: m.LastSeen, CSRF: m.CSRF, Flags: m.Flags}
	for _, l := range m.Cart {
		v.Cart = append(v.Cart, CartLine(l))
	}
	return v
}
