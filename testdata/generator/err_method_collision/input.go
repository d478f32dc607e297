package errmethod

// S has fields named like methods sessiongen generates for it.
type S struct {
	Name           string `session:"name"`
	MarshalMsgpack string `session:"m"`
	AppendMsgpack  string `session:"a"`
}
