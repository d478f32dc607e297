package errinterface

// S holds interfaces, which cannot be decoded without knowing the type.
type S struct {
	Any   any            `session:"any"`
	Items map[string]any `session:"items"`
}
