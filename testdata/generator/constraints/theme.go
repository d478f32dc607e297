package constraints

// Theme is stored by both session types.
type Theme struct {
	Name string
	Dark bool
}
