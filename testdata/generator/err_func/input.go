package errfunc

// S holds a func, which cannot be stored.
type S struct {
	Callback func() error `session:"cb"`
}
