// Package unicode names its session type with a non-ASCII letter: the
// generated file's name stays ASCII and its helpers unexported.
package unicode

// Ünicode is the session.
type Ünicode struct {
	Name string `session:"name"`
}
