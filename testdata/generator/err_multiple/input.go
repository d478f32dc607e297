package errmultiple

// S has several problems; all are reported at once, in source order.
type S struct {
	A chan int `session:"a"`
	B string   `session:"b"`
	C string   `session:"b"`
	D func()   `session:"d"`
}
