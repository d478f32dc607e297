package bad

type S struct {
	N int `session:"n"`
}

// min hides the builtin that generated decoders call.
func min(a, b int) int {
	if a < b {
		return a
	}
	return b
}
