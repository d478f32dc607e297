package errduplicate

// S uses one key twice.
type S struct {
	First  string `session:"name"`
	Second string `session:"name"`
}
