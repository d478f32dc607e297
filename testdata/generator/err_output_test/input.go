package out

type S struct {
	N int `session:"n"`
}
