package errunexported

// S tags an unexported field.
type S struct {
	secret string `session:"secret"`
}

var _ = S{}.secret
