package bad

type S struct {
	N Undefined `session:"n"`
}
