package errnotstruct

// S is not a struct.
type S map[string]string
