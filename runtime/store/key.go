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
	// One table look-up per character and a single test at the end: every
	// request with a session cookie checks its key.
	var bad byte
	for i := 0; i < len(key); i++ {
		bad |= notInKeyAlphabet[key[i]]
	}
	return bad == 0
}

// notInKeyAlphabet is 1 for the bytes that are not in KeyAlphabet.
var notInKeyAlphabet = func() (t [256]byte) {
	for i := range t {
		t[i] = 1
	}
	for i := 0; i < len(KeyAlphabet); i++ {
		t[KeyAlphabet[i]] = 0
	}
	return t
}()
