package signing

import (
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"sync"
)

// MACSize is the number of bytes Sign appends to a payload.
const MACSize = sha256.Size

// ErrInvalid is returned (wrapped) when signed or sealed data does not verify
// with any of the Keyring's secrets, or is too short or malformed to be
// checked at all.
var ErrInvalid = errors.New("signing: invalid signature")

// Signer signs payloads with HMAC-SHA256 under keys derived for its salt.
// Create one with Keyring.Signer; it is safe for concurrent use. Keyed hashes
// are pooled, since signing is on every request's path.
type Signer struct {
	plain macKeys // Sign and Verify
	stamp macKeys // SignTimestamped and VerifyTimestamped
}

// Signer returns a Signer for the given salt (purpose).
//
// Plain and timestamped signatures use different derived keys, so one kind
// can never be passed off as the other, even though a timestamped payload
// is just a longer payload.
func (k *Keyring) Signer(salt string) *Signer {
	return &Signer{
		plain: newMACKeys(k.derive("hmac", salt)),
		stamp: newMACKeys(k.derive("hmac-timestamped", salt)),
	}
}

// macKeys holds, per secret, a pool of hashes keyed with that secret.
type macKeys []sync.Pool

// macState is what the pools hold: a keyed hash, and room for a MAC to
// compare against, which would escape to the heap if it were a local.
type macState struct {
	h   hash.Hash
	buf [MACSize]byte
}

func newMACKeys(keys [][]byte) macKeys {
	m := make(macKeys, len(keys))
	for i, key := range keys {
		m[i].New = func() any { return &macState{h: hmac.New(sha256.New, key)} }
	}
	return m
}

// sum appends the MAC of msg followed by suffix, under the given secret's
// key, to dst. Taking the message in two parts lets timestamped signing MAC
// payload and timestamp without copying them together.
func (m macKeys) sum(dst []byte, secret int, msg, suffix []byte) []byte {
	st := m[secret].Get().(*macState)
	dst = st.sum(dst, msg, suffix)
	m[secret].Put(st)
	return dst
}

func (st *macState) sum(dst, msg, suffix []byte) []byte {
	st.h.Reset()
	st.h.Write(msg)
	st.h.Write(suffix)
	return st.h.Sum(dst)
}

// verify reports which secret's MAC of msg and suffix equals mac, comparing
// in constant time; ok is false when none does.
func (m macKeys) verify(msg, suffix, mac []byte) (secret int, ok bool) {
	for i := range m {
		st := m[i].Get().(*macState)
		ok = hmac.Equal(st.sum(st.buf[:0], msg, suffix), mac)
		m[i].Put(st)
		if ok {
			return i, true
		}
	}
	return 0, false
}

// Sign appends payload and its MAC (made with the current secret) to dst and
// returns the extended slice.
func (s *Signer) Sign(dst, payload []byte) []byte {
	dst = append(dst, payload...)
	return s.plain.sum(dst, 0, payload, nil)
}

// AppendSignature appends the MAC of b to b and returns the extended slice:
// the same bytes as Sign(nil, b), without copying b first. Use it for a
// payload encoded into a buffer of its own.
func (s *Signer) AppendSignature(b []byte) []byte {
	return s.plain.sum(b, 0, b, nil)
}

// Verify checks signed, as made by Sign, in constant time and returns the
// payload (a sub-slice of signed) and the index of the secret that matched:
// 0 for the current one, more for a fallback, in which case the caller
// should re-sign. It returns an error wrapping ErrInvalid otherwise.
func (s *Signer) Verify(signed []byte) (payload []byte, secret int, err error) {
	if len(signed) < MACSize {
		return nil, 0, fmt.Errorf("%w: %d bytes is too short to be signed", ErrInvalid, len(signed))
	}
	payload, mac := signed[:len(signed)-MACSize], signed[len(signed)-MACSize:]
	secret, ok := s.plain.verify(payload, nil, mac)
	if !ok {
		return nil, 0, ErrInvalid
	}
	return payload, secret, nil
}

// SignString returns the compact text form of Sign(payload): unpadded
// base64url, safe in a cookie.
func (s *Signer) SignString(payload []byte) string {
	return encodeText(s.Sign(make([]byte, 0, len(payload)+MACSize), payload))
}

// VerifyString is Verify for the text form made by SignString. It accepts
// only the exact text SignString makes.
func (s *Signer) VerifyString(text string) (payload []byte, secret int, err error) {
	raw, err := decodeText(text)
	if err != nil {
		return nil, 0, err
	}
	return s.Verify(raw)
}
