package errmapkey

// Point is a struct used as a map key.
type Point struct{ X, Y int }

// S has map keys that are neither strings nor integers.
type S struct {
	ByPoint map[Point]string `session:"by_point"`
	ByFloat map[float64]bool `session:"by_float"`
}
