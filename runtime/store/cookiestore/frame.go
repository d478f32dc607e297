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
const (
	frameFormat = 1
	headerLen   = 1 + 8 + 8
)

// clockSkew is how far in the future a value's sealing time may lie, for
// servers whose clocks disagree a little.
const clockSkew = time.Minute

// errExpired marks a value that opened but is no longer valid.
var errExpired = errors.New("cookiestore: session expired")

func frame(data []byte, now, expiry time.Time) []byte {
	b := make([]byte, 0, headerLen+len(data))
	b = append(b, frameFormat)
	b = binary.BigEndian.AppendUint64(b, uint64(now.Unix()))
	b = binary.BigEndian.AppendUint64(b, uint64(expiry.Unix()))
	return append(b, data...)
}

// open opens value and returns its data if it is still valid. The error
// wraps store.ErrCorrupt for a value that does not open, or errExpired.
func (s *Store) open(value string) ([]byte, error) {
	if len(value) > MaxValueLen {
		return nil, fmt.Errorf("%w: a %d-byte value is longer than any this store makes", store.ErrCorrupt, len(value))
	}
	plain, _, err := s.sealer.OpenString(value)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", store.ErrCorrupt, err)
	}
	if len(plain) < headerLen || plain[0] != frameFormat {
		// Authentic, so written by a release with another layout.
		return nil, fmt.Errorf("%w: unknown cookie format", store.ErrCorrupt)
	}
	sealed := time.Unix(int64(binary.BigEndian.Uint64(plain[1:9])), 0)
	expiry := time.Unix(int64(binary.BigEndian.Uint64(plain[9:17])), 0)
	if err := s.valid(sealed, expiry); err != nil {
		return nil, err
	}
	return plain[headerLen:], nil
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
