package codec

// Str reads a msgpack string, or bin, or nil (""), as
// Decoder.DecodeString.
func (r *Reader) Str() string {
	if b, ok := r.fixstr(); ok {
		return string(b)
	}
	n, ok := r.bytesLen()
	if !ok || n <= 0 {
		return ""
	}
	b, _ := r.take(n)
	return string(b)
}

// Bin reads a msgpack bin, or string, into a new slice, as
// Decoder.DecodeBytes: nil for msgpack nil, empty but not nil for a value
// of length 0. Unlike DecodeBytes, it allocates only once it has checked
// that the declared length is there.
func (r *Reader) Bin() []byte {
	n, ok := r.bytesLen()
	if !ok || n < 0 {
		return nil
	}
	b, ok := r.take(n)
	if !ok {
		return nil
	}
	return append(make([]byte, 0, n), b...)
}

// Key reads a map key, a msgpack string (or bin), and returns its bytes
// as a slice of the input, without allocating; nil for a nil key. Generated
// code switches on string(r.Key()), which does not allocate either.
func (r *Reader) Key() []byte {
	if b, ok := r.fixstr(); ok {
		return b
	}
	n, ok := r.bytesLen()
	if !ok || n < 0 {
		return nil
	}
	b, _ := r.take(n)
	return b
}

// fixstr reads a string of up to 31 bytes, the usual key or short value,
// if one comes next and is complete, with no call; otherwise it reads
// nothing and the caller takes the general path.
func (r *Reader) fixstr() ([]byte, bool) {
	if r.i >= len(r.b) {
		return nil, false
	}
	start, n := r.i+1, int(r.b[r.i])-0xa0
	if n < 0 || n > 31 || n > len(r.b)-start {
		return nil, false
	}
	r.i = start + n
	return r.b[start:r.i:r.i], true
}

// bytesLen reads the header of a string or bin value: its length, or -1 for
// nil.
func (r *Reader) bytesLen() (int, bool) {
	c, ok := r.next()
	if !ok {
		return 0, false
	}
	return r.strLen(c)
}

// strLen reads the length of a string or bin value that starts with code
// c, -1 for nil, as msgpack/v5 reads it for strings and bytes alike.
func (r *Reader) strLen(c byte) (int, bool) {
	switch {
	case c == 0xc0:
		return -1, true
	case c >= 0xa0 && c <= 0xbf:
		return int(c & 0x1f), true
	case c >= 0xd9 && c <= 0xdb: // str 8, 16, 32
		return r.uintN(1 << (c - 0xd9))
	case c >= 0xc4 && c <= 0xc6: // bin 8, 16, 32
		return r.uintN(1 << (c - 0xc4))
	}
	r.failf("code 0x%02x where a string should be", c)
	return 0, false
}

// isStr reports whether c starts a msgpack string (not bin, not nil).
func isStr(c byte) bool { return c >= 0xa0 && c <= 0xbf || c >= 0xd9 && c <= 0xdb }
