package session

import (
	"crypto/rand"
	"encoding/base32"
)

// keyAlphabet is the base32 alphabet of keys: lower case, so keys survive
// case-insensitive file systems, and all of it in store.KeyAlphabet.
const keyAlphabet = "abcdefghijklmnopqrstuvwxyz234567"

// keyEncoding spells 160 random bits as 32 characters of keyAlphabet.
var keyEncoding = base32.NewEncoding(keyAlphabet).WithPadding(base32.NoPadding)

// newKey returns a fresh session key from crypto/rand.
func newKey() string {
	var b [20]byte
	rand.Read(b[:]) // never fails (crypto/rand panics rather than return weak bytes)
	return keyEncoding.EncodeToString(b[:])
}

// encodeHash writes the 32 bytes of a SHA-256 sum in keyAlphabet, as
// keyEncoding.Encode would: five bytes make eight characters, the last two
// bytes four (the last with four zero bits). Every request that loads a
// session spells its store key; looking characters up two at a time
// (keyPairs) takes 40 % of encoding/base32's instructions.
func encodeHash(dst *[storeKeyLen]byte, sum *[32]byte) {
	for i := range 6 {
		s := sum[i*5 : i*5+5 : i*5+5]
		v := uint64(s[0])<<32 | uint64(s[1])<<24 | uint64(s[2])<<16 | uint64(s[3])<<8 | uint64(s[4])
		d := dst[i*8 : i*8+8 : i*8+8]
		d[0], d[1] = keyPairs[v>>30&1023][0], keyPairs[v>>30&1023][1]
		d[2], d[3] = keyPairs[v>>20&1023][0], keyPairs[v>>20&1023][1]
		d[4], d[5] = keyPairs[v>>10&1023][0], keyPairs[v>>10&1023][1]
		d[6], d[7] = keyPairs[v&1023][0], keyPairs[v&1023][1]
	}
	// 16 bits and 4 zero bits: 4 characters.
	v := uint64(sum[30])<<12 | uint64(sum[31])<<4
	dst[48], dst[49] = keyPairs[v>>10&1023][0], keyPairs[v>>10&1023][1]
	dst[50], dst[51] = keyPairs[v&1023][0], keyPairs[v&1023][1]
}

// keyPairs spells every 10-bit value as two characters of keyAlphabet.
var keyPairs = func() (t [1024][2]byte) {
	for v := range t {
		t[v] = [2]byte{keyAlphabet[v>>5], keyAlphabet[v&31]}
	}
	return t
}()
