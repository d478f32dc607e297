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
	keys macKeys
}

// Signer returns a Signer for the given salt (purpose).
func (k *Keyring) Signer(salt string) *Signer {
	return &Signer{keys: newMACKeys(k.derive("hmac", salt))}
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

// sum appends the MAC of msg, under the given secret's key, to dst.
func (m macKeys) sum(dst []byte, secret int, msg []byte) []byte {
	st := m[secret].Get().(*macState)
	dst = st.sum(dst, msg)
	m[secret].Put(st)
	return dst
}

func (st *macState) sum(dst, msg []byte) []byte {
	st.h.Reset()
	st.h.Write(msg)
	return st.h.Sum(dst)
}

// verify reports which secret's MAC of msg equals mac, comparing in
// constant time; ok is false when none does.
func (m macKeys) verify(msg, mac []byte) (secret int, ok bool) {
	for i := range m {
		st := m[i].Get().(*macState)
		ok = hmac.Equal(st.sum(st.buf[:0], msg), mac)
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
	return s.keys.sum(dst, 0, payload)
}

// AppendSignature appends the MAC of b to b and returns the extended slice:
// the same bytes as Sign(nil, b), without copying b first. Use it for a
// payload encoded into a buffer of its own.
func (s *Signer) AppendSignature(b []byte) []byte {
	return s.keys.sum(b, 0, b)
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
	secret, ok := s.keys.verify(payload, mac)
	if !ok {
		return nil, 0, ErrInvalid
	}
	return payload, secret, nil
}

// AppendMAC appends the MAC of msg (made with the current secret) to dst
// and returns the extended slice: a signature of part of a record, kept
// apart from it (runtime/session's version 2 records sign their head
// only). msg may alias dst.
func (s *Signer) AppendMAC(dst, msg []byte) []byte {
	return s.keys.sum(dst, 0, msg)
}

// VerifyMAC checks mac, as made by AppendMAC, against msg in constant time
// and returns the index of the secret that matched, as Verify does; it
// returns an error wrapping ErrInvalid otherwise.
func (s *Signer) VerifyMAC(msg, mac []byte) (secret int, err error) {
	if len(mac) != MACSize {
		return 0, fmt.Errorf("%w: MAC of %d bytes", ErrInvalid, len(mac))
	}
	secret, ok := s.keys.verify(msg, mac)
	if !ok {
		return 0, ErrInvalid
	}
	return secret, nil
}
