package errmethod

// S has a field named like a method sessiongen generates for it.
type S struct {
	Name           string `session:"name"`
	MarshalMsgpack string `session:"m"`
}
