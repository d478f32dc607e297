package store

// KeyAlphabet holds the characters a server-side session key may contain.
// Lower case only, so keys stay distinct on case-insensitive file systems.
const KeyAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// MinKeyLen and MaxKeyLen bound the length of a valid server-side key.
// Cookie keys are 32 characters long and stores receive their 52-character
// hash (session.StoreKey); anything outside the bounds is treated as no key
// at all, so an attacker cannot make a store look up (or a file store build
// a path from) an arbitrary string.
const (
	MinKeyLen = 8
	MaxKeyLen = 128
)

// ValidKey reports whether key has a valid length and only characters from
// KeyAlphabet. Stores that build names from keys (files, SQL rows, Redis
// keys) can rely on the session package never passing them anything else,
// but should check again where a bad key could escape their namespace.
func ValidKey(key string) bool {
	if len(key) < MinKeyLen || len(key) > MaxKeyLen {
		return false
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}
