package cookiestore

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/typedsession/typedsession/runtime/store"
)

// The plaintext inside a sealed value: a format byte, when it was sealed
// and when the session expires (Unix seconds, big-endian), then the data.
//
// Format 1 was written by releases whose session Manager signed the data
// it sealed (HMAC-SHA256 inside AES-GCM, 32 redundant bytes): such values
// still open, and Unseal reports them as Signed so that the Manager checks
// and strips the signature and seals the session again in format 2, which
// carries the data as given.
const (
	frameSigned = 1
	frameFormat = 2
	headerLen   = 1 + 8 + 8
)

// clockSkew is how far in the future a value's sealing time may lie, for
// servers whose clocks disagree a little.
const clockSkew = time.Minute

// errExpired marks a value that opened but is no longer valid.
var errExpired = errors.New("cookiestore: session expired")

// frameHeader appends the header of a sealed value's plaintext to dst:
// headerLen bytes, which the data follows.
func frameHeader(dst []byte, format byte, now, expiry time.Time) []byte {
	dst = append(dst, format)
	dst = binary.BigEndian.AppendUint64(dst, uint64(now.Unix()))
	return binary.BigEndian.AppendUint64(dst, uint64(expiry.Unix()))
}

// open opens value and returns its data if it is still valid, with how
// it was sealed. The error wraps store.ErrCorrupt for a value that does
// not open, or errExpired.
func (s *Store) open(value string) ([]byte, store.Sealing, error) {
	if len(value) > MaxValueLen {
		return nil, store.Sealing{}, fmt.Errorf("%w: a %d-byte value is longer than any this store makes", store.ErrCorrupt, len(value))
	}
	plain, secret, err := s.sealer.OpenString(value)
	if err != nil {
		return nil, store.Sealing{}, fmt.Errorf("%w: %w", store.ErrCorrupt, err)
	}
	if len(plain) < headerLen || (plain[0] != frameFormat && plain[0] != frameSigned) {
		// Authentic, so written by a release with another layout.
		return nil, store.Sealing{}, fmt.Errorf("%w: unknown cookie format", store.ErrCorrupt)
	}
	sealed := time.Unix(int64(binary.BigEndian.Uint64(plain[1:9])), 0)
	expiry := time.Unix(int64(binary.BigEndian.Uint64(plain[9:17])), 0)
	if err := s.valid(sealed, expiry); err != nil {
		return nil, store.Sealing{}, err
	}
	return plain[headerLen:], store.Sealing{Secret: secret, Signed: plain[0] == frameSigned}, nil
}

// valid checks the two limits: the session's own expiry and the store's
// MaxAge.
func (s *Store) valid(sealed, expiry time.Time) error {
	now := s.now()
	if !now.Before(expiry) {
		return fmt.Errorf("%w: at %v", errExpired, expiry)
	}
	if sealed.Sub(now) > clockSkew {
		return fmt.Errorf("%w: sealed %v in the future", errExpired, sealed.Sub(now))
	}
	if s.maxAge > 0 && now.Sub(sealed) > s.maxAge {
		return fmt.Errorf("%w: sealed %v ago, max age %v", errExpired, now.Sub(sealed), s.maxAge)
	}
	return nil
}
