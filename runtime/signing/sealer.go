package signing

import (
	"crypto/aes"
	"crypto/cipher"
	"fmt"
	"sync"
)

// SealOverhead is the number of bytes Seal adds to a plaintext: a format
// byte, a 12-byte nonce and a 16-byte authentication tag.
const SealOverhead = 1 + 12 + 16

// sealFormat is the first byte of every sealed value: AES-256-GCM with a
// random 96-bit nonce. A later algorithm gets a new byte, so values sealed
// before an upgrade still open during the transition.
const sealFormat = 1

// sealHeader is passed to GCM as associated data, binding the format byte
// to the ciphertext. The salt needs no binding of its own: it is part of
// the key derivation, so a value sealed for one salt fails to open under
// any other.
var sealHeader = []byte{sealFormat}

// Sealer encrypts and authenticates payloads with AES-256-GCM, so that a
// client can carry data it can neither read nor change (the cookie store).
// Create one with Keyring.Sealer; it is safe for concurrent use.
//
// Nonces are random, 96 bits, so one secret should seal no more than 2^32
// values (about four billion); beyond that the chance that two share a
// nonce, which would let an attacker forge values, stops being negligible.
// Sealing a thousand values a second without pause reaches that in about
// fifty days: a site that busy should rotate its secret (see Keyring) at
// least monthly. The format byte leaves room for an extended-nonce scheme.
type Sealer struct {
	aeads []cipher.AEAD // one per secret
}

// Sealer returns a Sealer for the given salt (purpose), with one AES-256 key
// per secret, derived as for Signer but for the purpose "aead".
func (k *Keyring) Sealer(salt string) (*Sealer, error) {
	keys := k.derive("aead", salt)
	s := &Sealer{aeads: make([]cipher.AEAD, len(keys))}
	for i, key := range keys {
		block, err := aes.NewCipher(key)
		if err != nil {
			return nil, fmt.Errorf("signing: sealer: %w", err)
		}
		// The nonce comes from crypto/rand and travels in front of the
		// ciphertext.
		s.aeads[i], err = cipher.NewGCMWithRandomNonce(block)
		if err != nil {
			return nil, fmt.Errorf("signing: sealer: %w", err)
		}
	}
	return s, nil
}

// Seal appends plaintext, encrypted and authenticated with the current
// secret, to dst and returns the extended slice, SealOverhead bytes longer
// than plaintext. Sealing the same plaintext twice gives different results.
// dst must not overlap plaintext.
func (s *Sealer) Seal(dst, plaintext []byte) []byte {
	dst = append(dst, sealFormat)
	return s.aeads[0].Seal(dst, nil, plaintext, sealHeader)
}

// Open authenticates and decrypts sealed, as made by Seal, trying each
// secret, and returns the plaintext (newly allocated) and the index of the
// secret that opened it: 0 for the current one, more for a fallback, in
// which case the caller should seal it again. It returns an error wrapping
// ErrInvalid for anything else.
func (s *Sealer) Open(sealed []byte) (plaintext []byte, secret int, err error) {
	return s.open(sealed)
}

// open is Open. The plaintext goes to one new slice of its exact length,
// never over sealed, and every secret tried writes into it (a failed
// attempt clears only its own output): listing fallback secrets costs no
// allocation, whichever secret opens the value.
func (s *Sealer) open(sealed []byte) (plaintext []byte, secret int, err error) {
	if len(sealed) < SealOverhead {
		return nil, 0, fmt.Errorf("%w: %d bytes is too short to be sealed", ErrInvalid, len(sealed))
	}
	if sealed[0] != sealFormat {
		return nil, 0, fmt.Errorf("%w: unknown seal format %d", ErrInvalid, sealed[0])
	}
	body := sealed[1:]
	out := make([]byte, 0, len(sealed)-SealOverhead)
	for i, a := range s.aeads {
		if p, err := a.Open(out, nil, body, sealHeader); err == nil {
			return p, i, nil
		}
	}
	return nil, 0, ErrInvalid
}

// scratch recycles the buffers SealString and SealText seal into before
// encoding, and OpenString decodes into before opening: none is kept, the
// string is new and so is the plaintext.
var scratch = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// maxPooledScratch keeps one huge value from pinning a huge buffer.
const maxPooledScratch = 64 << 10

// putScratch returns b, the buffer *bp grew into, to the pool.
func putScratch(bp *[]byte, b []byte) {
	if cap(b) <= maxPooledScratch {
		*bp = b[:0]
		scratch.Put(bp)
	}
}

// SealString returns the compact text form of Seal(plaintext): unpadded
// base64url, safe in a cookie.
func (s *Sealer) SealString(plaintext []byte) string {
	bp := scratch.Get().(*[]byte)
	b := s.Seal((*bp)[:0], plaintext)
	text := encodeText("", b, "")
	putScratch(bp, b)
	return text
}

// SealText returns head, the text form of SealString(prefix followed by
// plaintext), then tail, as one string. It is for a caller that would
// otherwise join prefix and plaintext in a buffer of its own only to seal
// them, or copy the text into a longer string: both are done here, in the
// scratch buffer the sealing uses anyway (cleared afterwards) and in the
// one allocation the text needs. prefix is copied, never kept.
func (s *Sealer) SealText(head string, prefix, plaintext []byte, tail string) string {
	bp := scratch.Get().(*[]byte)
	// The sealed bytes go first and the joined plaintext after them, so
	// that the two do not overlap.
	n := len(prefix) + len(plaintext)
	at := SealOverhead + n
	b := (*bp)[:0]
	if cap(b) < at+n {
		b = make([]byte, 0, at+n)
	}
	joined := append(append(b[at:at], prefix...), plaintext...)
	b = s.Seal(b, joined)
	text := encodeText(head, b, tail)
	clear(joined) // the pool should not keep plaintext around
	putScratch(bp, b)
	return text
}

// OpenString is Open for the text form made by SealString. The plaintext
// it returns shares no memory with text.
func (s *Sealer) OpenString(text string) (plaintext []byte, secret int, err error) {
	bp := scratch.Get().(*[]byte)
	raw, err := decodeText(*bp, text)
	if err != nil {
		scratch.Put(bp)
		return nil, 0, err
	}
	plaintext, secret, err = s.open(raw)
	putScratch(bp, raw) // the ciphertext, not secret: no need to clear it
	return plaintext, secret, err
}
