package signing

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// payloads covers the shapes a signer meets: nothing, text, binary, and a
// payload about as long as a session.
var payloads = map[string][]byte{
	"empty":  {},
	"text":   []byte("hello, world"),
	"binary": {0, 1, 2, 0xfe, 0xff, 0},
	"300B":   bytes.Repeat([]byte("session!"), 300/8),
}

func TestSignVerifyRoundTrip(t *testing.T) {
	s := keyring(t, current, retired).Signer("typedsession/test")
	for name, p := range payloads {
		t.Run(name, func(t *testing.T) {
			signed := s.Sign(nil, p)
			if len(signed) != len(p)+MACSize {
				t.Errorf("len(Sign) = %d, want %d", len(signed), len(p)+MACSize)
			}
			got, secret, err := s.Verify(signed)
			if err != nil || secret != 0 {
				t.Fatalf("Verify = _, %d, %v; want secret 0, no error", secret, err)
			}
			if diff := cmp.Diff(p, got); diff != "" {
				t.Errorf("payload (-want +got):\n%s", diff)
			}
		})
	}
}

// Sign appends to dst and leaves what dst held alone.
func TestSignAppends(t *testing.T) {
	s := keyring(t, current).Signer("typedsession/test")
	got := s.Sign([]byte("prefix:"), []byte("payload"))
	want := append([]byte("prefix:"), s.Sign(nil, []byte("payload"))...)
	if !bytes.Equal(got, want) {
		t.Errorf("Sign(dst) = %q, want %q", got, want)
	}
}

func TestVerifyRefusesTampering(t *testing.T) {
	s := keyring(t, current, retired).Signer("typedsession/test")
	signed := s.Sign(nil, []byte("user=42;role=reader"))
	for _, v := range tamperings(signed) {
		if p, _, err := s.Verify(v.data); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: Verify = %q, %v; want ErrInvalid", v.name, p, err)
		}
	}
}

func TestVerifyRefusesOtherKeys(t *testing.T) {
	signed := keyring(t, current).Signer("typedsession/test").Sign(nil, []byte("payload"))
	tests := []struct {
		name string
		s    *Signer
	}{
		{"wrong salt", keyring(t, current).Signer("typedsession/other")},
		{"salt prefix", keyring(t, current).Signer("typedsession/tes")},
		{"wrong secret", keyring(t, other).Signer("typedsession/test")},
		{"secret not listed", keyring(t, other, retired).Signer("typedsession/test")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := tt.s.Verify(signed); !errors.Is(err, ErrInvalid) {
				t.Errorf("Verify = %v, want ErrInvalid", err)
			}
		})
	}
}

// A value signed with a secret that is now a fallback still verifies, and
// Verify says which secret matched so the caller can re-sign.
func TestVerifyFallbackSecret(t *testing.T) {
	payload := []byte("signed before the rotation")
	tests := []struct {
		name    string
		signer  string   // secret that signed
		ring    []string // secrets after the rotation
		want    int
		wantErr error
	}{
		{"current", current, []string{current, retired}, 0, nil},
		{"first fallback", retired, []string{current, retired}, 1, nil},
		{"second fallback", retired, []string{current, other, retired}, 2, nil},
		{"fallback dropped", retired, []string{current, other}, 0, ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			signed := keyring(t, tt.signer).Signer("salt").Sign(nil, payload)
			got, secret, err := keyring(t, tt.ring...).Signer("salt").Verify(signed)
			if !errors.Is(err, tt.wantErr) || secret != tt.want {
				t.Fatalf("Verify = _, %d, %v; want secret %d, error %v", secret, err, tt.want, tt.wantErr)
			}
			if err == nil && !bytes.Equal(got, payload) {
				t.Errorf("payload = %q, want %q", got, payload)
			}
		})
	}
}

func TestVerifyTruncated(t *testing.T) {
	s := keyring(t, current).Signer("typedsession/test")
	signed := s.Sign(nil, []byte("payload"))
	for n := range len(signed) {
		if _, _, err := s.Verify(signed[:n]); !errors.Is(err, ErrInvalid) {
			t.Errorf("Verify(first %d bytes) = %v, want ErrInvalid", n, err)
		}
	}
	if _, _, err := s.Verify(nil); err == nil || !strings.Contains(err.Error(), "too short") {
		t.Errorf("Verify(nil) = %v, want an error saying it is too short", err)
	}
}

const base64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

type tampered struct {
	name string
	data []byte
}

// tamperings returns every one-bit-flip, low and high, of every byte of b,
// every truncation, and b with a byte appended.
func tamperings(b []byte) []tampered {
	var out []tampered
	for i := range b {
		for _, bit := range []byte{0x01, 0x80} {
			c := bytes.Clone(b)
			c[i] ^= bit
			out = append(out, tampered{fmt.Sprintf("byte %d ^ %#02x", i, bit), c})
		}
	}
	for n := range len(b) {
		out = append(out, tampered{fmt.Sprintf("truncated to %d", n), b[:n]})
	}
	return append(out, tampered{"byte appended", append(bytes.Clone(b), 0)})
}

type tamperedText struct {
	name, text string
}

// textTamperings replaces each character of text by another of the
// alphabet, and truncates it at every length.
func textTamperings(text string) []tamperedText {
	var out []tamperedText
	for i := range len(text) {
		c := base64URL[(strings.IndexByte(base64URL, text[i])+1)%len(base64URL)]
		out = append(out, tamperedText{fmt.Sprintf("char %d", i), text[:i] + string(c) + text[i+1:]})
	}
	for n := range len(text) {
		out = append(out, tamperedText{fmt.Sprintf("truncated to %d", n), text[:n]})
	}
	return out
}

func TestAppendSignatureMatchesSign(t *testing.T) {
	k, err := NewKeyring([]byte(current))
	if err != nil {
		t.Fatal(err)
	}
	s := k.Signer("append")
	for _, payload := range [][]byte{nil, []byte("x"), bytes.Repeat([]byte("payload"), 100)} {
		buf := make([]byte, len(payload), len(payload)+MACSize) // room: signs in place
		copy(buf, payload)
		got := s.AppendSignature(buf)
		if want := s.Sign(nil, payload); !bytes.Equal(got, want) {
			t.Errorf("AppendSignature(%d bytes) = %x, want Sign's %x", len(payload), got, want)
		}
		if p, _, err := s.Verify(got); err != nil || !bytes.Equal(p, payload) {
			t.Errorf("Verify(AppendSignature) = %q, %v", p, err)
		}
	}
}
