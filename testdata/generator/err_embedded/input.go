package errembedded

// Base is embedded below.
type Base struct{ ID int64 }

// S embeds a struct.
type S struct {
	Base
	Name string `session:"name"`
}
