package errdecl

// Visitor is a session type.
type Visitor struct {
	Name string `session:"name"`
}

// VisitorSession is declared by hand, where sessiongen would generate it.
type VisitorSession struct{}

// VisitorFrom is too.
func VisitorFrom() {}

// visitorKeys is the name of the generated key table.
var visitorKeys = []byte("name")
