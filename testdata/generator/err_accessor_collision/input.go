package erraccessor

// Visitor has fields whose accessors would collide with the methods of
// session.View, of the generated view, and with each other.
type Visitor struct {
	Key     string `session:"key"`
	Expiry  int64  `session:"expiry"`
	Session string `session:"session"`
	Values  []int  `session:"values"`
	Name    string `session:"name"`
	SetName string `session:"set_name"`
}
