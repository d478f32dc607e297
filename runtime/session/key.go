package session

import (
	"crypto/rand"
	"encoding/base32"
)

// keyEncoding spells 160 random bits as 32 characters of store.KeyAlphabet
// (lower case, so keys survive case-insensitive file systems).
var keyEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// newKey returns a fresh session key from crypto/rand.
func newKey() string {
	var b [20]byte
	rand.Read(b[:]) // never fails (crypto/rand panics rather than return weak bytes)
	return keyEncoding.EncodeToString(b[:])
}
