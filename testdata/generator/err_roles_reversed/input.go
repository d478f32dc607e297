// Package roles has a struct that is a session type and is also stored in
// another session type, with tags that the two roles read differently.
package roles

type A struct {
	B B `session:"b"`
}

type B struct {
	X string `msgpack:"x"`
	Y string `session:"_y"`
	Z string `msgpack:"-"`
	W string `msgpack:"W,omitempty"`
}
