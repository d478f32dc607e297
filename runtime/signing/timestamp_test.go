package signing

import (
	"bytes"
	"errors"
	"testing"
	"time"
)

func TestVerifyTimestamped(t *testing.T) {
	s := keyring(t, current, retired).Signer("typedsession/test")
	payload := []byte("reset-password:42")
	signedAt := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		maxAge  time.Duration
		now     time.Time
		wantErr error
	}{
		{"fresh", time.Hour, signedAt, nil},
		{"half its age", time.Hour, signedAt.Add(30 * time.Minute), nil},
		{"exactly max age", time.Hour, signedAt.Add(time.Hour), nil},
		{"a second past max age", time.Hour, signedAt.Add(time.Hour + time.Second), ErrExpired},
		{"a year old", time.Hour, signedAt.AddDate(1, 0, 0), ErrExpired},
		{"no max age", 0, signedAt.AddDate(10, 0, 0), nil},
		{"negative max age is no max age", -time.Second, signedAt.AddDate(10, 0, 0), nil},
		{"clock skew: signed 30s ahead", time.Hour, signedAt.Add(-30 * time.Second), nil},
		{"clock skew: signed 1m ahead", time.Hour, signedAt.Add(-time.Minute), nil},
		{"signed an hour ahead", time.Hour, signedAt.Add(-time.Hour), ErrExpired},
		{"signed an hour ahead, no max age", 0, signedAt.Add(-time.Hour), ErrExpired},
	}
	signed := s.SignTimestamped(nil, payload, signedAt.Add(999*time.Millisecond))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, at, secret, err := s.VerifyTimestamped(signed, tt.maxAge, tt.now)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("VerifyTimestamped = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				if got != nil || !at.IsZero() || secret != 0 {
					t.Errorf("on error got %q, %v, %d; want zero values", got, at, secret)
				}
				return
			}
			if !bytes.Equal(got, payload) || !at.Equal(signedAt) || secret != 0 {
				t.Errorf("VerifyTimestamped = %q, %v, %d; want %q, %v, 0", got, at, secret, payload, signedAt)
			}
		})
	}
}

func TestVerifyTimestampedFallbackSecret(t *testing.T) {
	now := time.Unix(1700000000, 0)
	signed := keyring(t, retired).Signer("salt").SignTimestamped(nil, []byte("p"), now)
	_, _, secret, err := keyring(t, current, retired).Signer("salt").VerifyTimestamped(signed, time.Minute, now)
	if err != nil || secret != 1 {
		t.Errorf("VerifyTimestamped = %d, %v; want secret 1, no error", secret, err)
	}
}

func TestVerifyTimestampedRefusesTampering(t *testing.T) {
	s := keyring(t, current).Signer("typedsession/test")
	now := time.Unix(1700000000, 0)
	signed := s.SignTimestamped(nil, []byte("reset-password:42"), now)
	for _, v := range tamperings(signed) {
		// No max age: a flipped timestamp bit must fail on its MAC, not
		// merely for being old.
		if _, _, _, err := s.VerifyTimestamped(v.data, 0, now); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: VerifyTimestamped = %v; want ErrInvalid", v.name, err)
		}
	}
}

// A plain signature is not a timestamped one, nor the reverse, even over
// the same bytes: the two kinds use different keys.
func TestSignatureKindsDoNotMix(t *testing.T) {
	s := keyring(t, current).Signer("typedsession/test")
	now := time.Unix(1700000000, 0)
	stamped := s.SignTimestamped(nil, []byte("payload"), now)
	if _, _, err := s.Verify(stamped); !errors.Is(err, ErrInvalid) {
		t.Errorf("Verify(timestamped) = %v, want ErrInvalid", err)
	}
	// A plain signature over payload||timestamp has the same layout.
	forged := s.Sign(nil, stamped[:len(stamped)-MACSize])
	if _, _, _, err := s.VerifyTimestamped(forged, 0, now); !errors.Is(err, ErrInvalid) {
		t.Errorf("VerifyTimestamped(plain) = %v, want ErrInvalid", err)
	}
}

func TestVerifyTimestampedWrongSalt(t *testing.T) {
	now := time.Unix(1700000000, 0)
	signed := keyring(t, current).Signer("a").SignTimestamped(nil, []byte("p"), now)
	if _, _, _, err := keyring(t, current).Signer("b").VerifyTimestamped(signed, 0, now); !errors.Is(err, ErrInvalid) {
		t.Errorf("VerifyTimestamped with another salt = %v, want ErrInvalid", err)
	}
}
