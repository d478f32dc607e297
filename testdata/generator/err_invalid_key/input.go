package errinvalidkey

// S uses keys sessiongen refuses.
type S struct {
	Spaced   string `session:"has space"`
	Reserved string `session:"_expiry"`
	Long     string `session:"k012345678901234567890123456789012345678901234567890123456789xxxxx"`
}
