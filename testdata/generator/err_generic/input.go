package errgeneric

// Pair is generic.
type Pair[T any] struct{ A, B T }

// S uses a generic type.
type S struct {
	P Pair[int] `session:"p"`
}
