// Package names declares, at package level, the names that generated code
// uses for its locals and imports: the generated code must compile anyway.
package names

import "time"

// Names is the session.
type Names struct {
	K      key            `session:"key"`
	X      x              `session:"x"`
	Dec    dec            `session:"dec"`
	Enc    *enc           `session:"enc"`
	V      []v            `session:"v"`
	S      map[string]s   `session:"s"`
	N      [2]n           `session:"n"`
	Buf    buf            `session:"buf"`
	Depth  depth          `session:"depth"`
	E      err            `session:"err"`
	C      map[c][]c      `session:"c"`
	Codec  codec          `session:"codec"`
	Nested []*Nested      `session:"nested"`
	When   time.Time      `session:"when"`
	Index  map[int]string `session:"index"`
}

// Nested is stored in Names.
type Nested struct {
	E    e
	I    i
	X0   x0
	Next *Nested
}

type (
	key   string
	x     int
	dec   struct{ A int }
	enc   struct{ B string }
	v     uint8
	s     float64
	n     bool
	buf   []byte
	depth int
	err   string
	c     int16
	e     []string
	i     map[string]int
	x0    int
	codec struct{ C int }
)

// Variables and functions named like generated locals and imports.
var (
	ok, data, fn, dst, ctx, r, w, f, d   = 1, 2, 3, 4, 5, 6, 7, 8, 9
	msgpack, session, bytes, fmt, slices = 1, 2, 3, 4, 5
	n0, e0, k0, m0, p0, i0, ks0, keys0   = 1, 2, 3, 4, 5, 6, 7, 8
)

func t0() {}

// The declarations above are in use.
var _ = []any{ok, data, fn, dst, ctx, r, w, f, d, msgpack, session, bytes, fmt, slices,
	n0, e0, k0, m0, p0, i0, ks0, keys0, t0}
