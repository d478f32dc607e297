package erranon

// S holds an anonymous struct.
type S struct {
	Pos struct{ X, Y int } `session:"pos"`
}
