package errforeign

import "net/url"

// S holds a struct from another package without a msgpack codec.
type S struct {
	Next url.URL `session:"next"`
}
