package bench

import (
	"encoding/gob"
	"time"
)

// The two fields every handler reads.
const (
	wantUserID = 4821
	wantName   = "Ada Lovelace"
)

// seenAt is LastSeen in a freshly seeded session; handlers move it on.
var seenAt = time.Date(2026, 11, 21, 9, 30, 0, 0, time.UTC)

// shopper returns the session every workload carries, a signed-in customer
// with a small cart, freshly allocated so no two sessions share memory.
func shopper() Shopper {
	return Shopper{
		UserID: wantUserID,
		Name:   wantName,
		Roles:  []string{"customer", "beta", "support"},
		Cart: []CartLine{
			{SKU: "SKU-1042-BLU", Qty: 1, PriceCents: 2499},
			{SKU: "SKU-2210-M", Qty: 2, PriceCents: 1299},
			{SKU: "SKU-0007", Qty: 1, PriceCents: 19900},
		},
		LastSeen: seenAt,
		CSRF:     "kq3J9xV1mZ0bT8wPq2Lr6yHc4Ns7Df5Ga1Ue0Oi9Wtx", // 32 random bytes, base64url
		Flags:    map[string]bool{"dark_mode": true, "beta_checkout": false, "newsletter": true},
	}
}

// The keys under which the peers keep each field in their map-based
// sessions; the same names Shopper's tags give the fields.
const (
	keyUserID   = "uid"
	keyName     = "name"
	keyRoles    = "roles"
	keyCart     = "cart"
	keyLastSeen = "last_seen"
	keyCSRF     = "csrf"
	keyFlags    = "flags"
)

// Secrets: fixed, so runs are comparable; 32 bytes and more, as each library
// asks.
const (
	secret     = "bench-secret-0123456789abcdef-0123456789"
	hashKey    = "bench-hmac-key-0123456789abcdef!" // gorilla: HMAC-SHA256
	blockKey   = "bench-aes-key-0123456789abcdef!!" // gorilla: AES-256
	cookieName = "session"                          // every library's default
)

func init() {
	// scs and gorilla keep values in map[string]any and map[any]any and
	// encode them with gob, which must know every concrete type it meets
	// behind an interface, as both READMEs explain.
	gob.Register([]CartLine(nil))
	gob.Register(map[string]bool(nil))
	gob.Register(time.Time{})
}

// now is the time the handlers store as the change they make; a
// wall-clock reading, as a real "last seen" would be.
func now() time.Time { return time.Now().UTC() }

// plainShopper is Shopper without the generated methods, so that
// msgpack.Marshal, encoding/json and encoding/gob take their reflection
// paths. The keys are Shopper's, so the encodings carry the same names.
type plainShopper struct {
	UserID   int64           `msgpack:"uid" json:"uid"`
	Name     string          `msgpack:"name" json:"name"`
	Roles    []string        `msgpack:"roles" json:"roles"`
	Cart     []plainLine     `msgpack:"cart" json:"cart"`
	LastSeen time.Time       `msgpack:"last_seen" json:"last_seen"`
	CSRF     string          `msgpack:"csrf" json:"csrf"`
	Flags    map[string]bool `msgpack:"flags" json:"flags"`
}

type plainLine struct {
	SKU        string `msgpack:"sku" json:"sku"`
	Qty        int    `msgpack:"qty" json:"qty"`
	PriceCents int64  `msgpack:"price" json:"price"`
}

func plain(v Shopper) plainShopper {
	p := plainShopper{UserID: v.UserID, Name: v.Name, Roles: v.Roles, LastSeen: v.LastSeen, CSRF: v.CSRF, Flags: v.Flags}
	for _, l := range v.Cart {
		p.Cart = append(p.Cart, plainLine(l))
	}
	return p
}

func (p plainShopper) shopper() Shopper {
	v := Shopper{UserID: p.UserID, Name: p.Name, Roles: p.Roles, LastSeen: p.LastSeen, CSRF: p.CSRF, Flags: p.Flags}
	for _, l := range p.Cart {
		v.Cart = append(v.Cart, CartLine(l))
	}
	return v
}
