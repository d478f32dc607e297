package errdecl

// Visitor is a session type.
type Visitor struct {
	Name string `session:"name"`
}

// VisitorSession is declared by hand, where sessiongen would generate it.
type VisitorSession struct{}

// VisitorFrom is too.
func VisitorFrom() {}

// visitorFields is the name of the generated field codecs.
var visitorFields = []byte("name")

// appendVisitor is the name of the generated append function.
func appendVisitor() {}
