package bad

type S struct {
	base
	*meta
	N int `session:"n"`
}

type base struct {
	ID   string `session:"id"`
	Name string
}

type meta struct {
	Seen bool `session:"seen"`
}
