package errtagoption

// S uses a tag option sessiongen does not have.
type S struct {
	Name string `session:"name,omitempty"`
}
