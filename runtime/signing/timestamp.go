package signing

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

// ErrExpired is returned (wrapped) by VerifyTimestamped for a signature that
// is genuine but outside its validity window: older than the maximum age,
// or made further in the future than clock skew between servers explains.
var ErrExpired = errors.New("signing: signature expired")

// stampSize is the length of the timestamp SignTimestamped appends: Unix
// seconds as a big-endian int64.
const stampSize = 8

// clockSkew is how far in the future a timestamp may lie and still count as
// made now: servers behind one load balancer rarely disagree by more.
const clockSkew = time.Minute

// SignTimestamped appends payload, the time now (to the second) and a MAC
// over both, made with the current secret, to dst and returns the extended
// slice. The timestamp is authenticated, not hidden.
func (s *Signer) SignTimestamped(dst, payload []byte, now time.Time) []byte {
	dst = append(dst, payload...)
	dst = binary.BigEndian.AppendUint64(dst, uint64(now.Unix()))
	stamp := dst[len(dst)-stampSize:]
	return s.stamp.sum(dst, 0, payload, stamp)
}

// VerifyTimestamped checks signed, as made by SignTimestamped, in constant
// time, and returns the payload (a sub-slice of signed), when it was signed,
// and the index of the secret that matched (more than 0: re-sign it).
//
// A signature made more than maxAge before now fails with an error wrapping
// ErrExpired; maxAge <= 0 sets no limit. A timestamp up to a minute after
// now is taken as clock skew between servers; one further in the future
// fails with ErrExpired too, whatever maxAge. Anything that does not verify
// fails with an error wrapping ErrInvalid.
func (s *Signer) VerifyTimestamped(signed []byte, maxAge time.Duration, now time.Time) (payload []byte, signedAt time.Time, secret int, err error) {
	if len(signed) < stampSize+MACSize {
		return nil, time.Time{}, 0, fmt.Errorf("%w: %d bytes is too short to be a timestamped signature", ErrInvalid, len(signed))
	}
	body, mac := signed[:len(signed)-MACSize], signed[len(signed)-MACSize:]
	payload, stamp := body[:len(body)-stampSize], body[len(body)-stampSize:]
	secret, ok := s.stamp.verify(payload, stamp, mac)
	if !ok {
		return nil, time.Time{}, 0, ErrInvalid
	}
	signedAt = time.Unix(int64(binary.BigEndian.Uint64(stamp)), 0).UTC()
	if err := checkAge(signedAt, maxAge, now); err != nil {
		return nil, time.Time{}, 0, err
	}
	return payload, signedAt, secret, nil
}

func checkAge(signedAt time.Time, maxAge time.Duration, now time.Time) error {
	if ahead := signedAt.Sub(now); ahead > clockSkew {
		return fmt.Errorf("%w: signed %v in the future, more than the %v of clock skew allowed", ErrExpired, ahead, clockSkew)
	}
	if age := now.Sub(signedAt); maxAge > 0 && age > maxAge {
		return fmt.Errorf("%w: signed %v ago, max age %v", ErrExpired, age.Truncate(time.Second), maxAge)
	}
	return nil
}
