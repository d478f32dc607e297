package errchan

// S holds a channel, which cannot be stored.
type S struct {
	Name string   `session:"name"`
	Ch   chan int `session:"ch"`
}
