package erraccessor

// Visitor has fields whose accessors would collide with the methods of
// *session.Session, of codec.Fields, of the view, and with each other.
type Visitor struct {
	Key        string `session:"key"`
	Modified   bool   `session:"modified"`
	FieldCount int    `session:"count"`
	Values     []int  `session:"values"`
	Name       string `session:"name"`
	SetName    string `session:"set_name"`
}
