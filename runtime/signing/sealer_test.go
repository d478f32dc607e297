package signing

import (
	"bytes"
	"crypto/rand"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// sealer returns a Sealer for salt over secrets, failing the test if it
// cannot.
func sealer(t testing.TB, salt string, secrets ...string) *Sealer {
	t.Helper()
	s, err := keyring(t, secrets...).Sealer(salt)
	if err != nil {
		t.Fatalf("Sealer: %v", err)
	}
	return s
}

func TestSealOpenRoundTrip(t *testing.T) {
	s := sealer(t, "typedsession/test", current, retired)
	for name, p := range payloads {
		t.Run(name, func(t *testing.T) {
			sealed := s.Seal(nil, p)
			if len(sealed) != len(p)+SealOverhead {
				t.Errorf("len(Seal) = %d, want %d", len(sealed), len(p)+SealOverhead)
			}
			if len(p) >= 8 && bytes.Contains(sealed, p[:8]) {
				t.Error("the sealed value contains the plaintext")
			}
			got, secret, err := s.Open(sealed)
			if err != nil || secret != 0 {
				t.Fatalf("Open = _, %d, %v; want secret 0, no error", secret, err)
			}
			if diff := cmp.Diff(p, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("plaintext (-want +got):\n%s", diff)
			}
			got, secret, err = s.OpenString(s.SealString(p))
			if err != nil || secret != 0 {
				t.Fatalf("OpenString = _, %d, %v; want secret 0, no error", secret, err)
			}
			if diff := cmp.Diff(p, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("OpenString plaintext (-want +got):\n%s", diff)
			}
		})
	}
}

// The nonce is random: the same plaintext never seals to the same bytes.
func TestSealIsRandomized(t *testing.T) {
	s := sealer(t, "typedsession/test", current)
	seen := map[string]bool{}
	for range 100 {
		v := s.SealString([]byte("same plaintext"))
		if seen[v] {
			t.Fatalf("Seal gave %q twice", v)
		}
		seen[v] = true
	}
}

func TestSealAppends(t *testing.T) {
	s := sealer(t, "typedsession/test", current)
	got := s.Seal([]byte("prefix:"), []byte("plaintext"))
	if !bytes.HasPrefix(got, []byte("prefix:")) {
		t.Fatalf("Seal(dst) = %q, want it to start with dst", got)
	}
	if p, _, err := s.Open(got[len("prefix:"):]); err != nil || string(p) != "plaintext" {
		t.Errorf("Open = %q, %v", p, err)
	}
}

func TestOpenRefusesTampering(t *testing.T) {
	s := sealer(t, "typedsession/test", current, retired)
	sealed := s.Seal(nil, []byte("user=42;role=reader"))
	for _, v := range tamperings(sealed) {
		if p, _, err := s.Open(v.data); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: Open = %q, %v; want ErrInvalid", v.name, p, err)
		}
	}
}

func TestOpenStringRefusesTampering(t *testing.T) {
	s := sealer(t, "typedsession/test", current)
	text := s.SealString([]byte("user=42;role=reader"))
	for _, v := range textTamperings(text) {
		if p, _, err := s.OpenString(v.text); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: OpenString(%q) = %q, %v; want ErrInvalid", v.name, v.text, p, err)
		}
	}
	for name, v := range map[string]string{
		"line feed":  text[:10] + "\n" + text[10:],
		"padded":     text + "==",
		"not base64": "!!" + text,
	} {
		if _, _, err := s.OpenString(v); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: OpenString = %v, want ErrInvalid", name, err)
		}
	}
}

// The text form has one spelling per value: base64's other spellings (line
// breaks, non-zero padding bits, padding) are refused.
func TestOpenStringOneSpelling(t *testing.T) {
	s := sealer(t, "typedsession/test", current)
	text := s.SealString([]byte("abc")) // 32 bytes: the last character carries two padding bits
	last := text[len(text)-1]
	sloppy := text[:len(text)-1] + string(base64URL[strings.IndexByte(base64URL, last)|1])
	if sloppy == text {
		sloppy = text[:len(text)-1] + string(base64URL[strings.IndexByte(base64URL, last)|2])
	}
	for name, v := range map[string]string{
		"line feed":        text[:10] + "\n" + text[10:],
		"carriage return":  text[:10] + "\r" + text[10:],
		"padding bits set": sloppy,
		"padded":           text + "=",
		"standard base64":  strings.NewReplacer("-", "+", "_", "/").Replace(text) + "+",
	} {
		t.Run(name, func(t *testing.T) {
			if _, _, err := s.OpenString(v); !errors.Is(err, ErrInvalid) {
				t.Errorf("OpenString(%q) = %v, want ErrInvalid", v, err)
			}
		})
	}
}

func TestOpenRefusesOtherKeys(t *testing.T) {
	sealed := sealer(t, "typedsession/test", current).Seal(nil, []byte("plaintext"))
	tests := []struct {
		name string
		s    *Sealer
	}{
		{"wrong salt", sealer(t, "typedsession/other", current)},
		{"wrong secret", sealer(t, "typedsession/test", other)},
		{"secret not listed", sealer(t, "typedsession/test", other, retired)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := tt.s.Open(sealed); !errors.Is(err, ErrInvalid) {
				t.Errorf("Open = %v, want ErrInvalid", err)
			}
		})
	}
}

// A signature key and a sealing key for the same salt are different keys.
func TestSealerAndSignerKeysDiffer(t *testing.T) {
	k := keyring(t, current)
	if got, want := k.derive("aead", "s"), k.derive("hmac", "s"); bytes.Equal(got[0], want[0]) {
		t.Error("aead and hmac keys are equal")
	}
}

func TestOpenFallbackSecret(t *testing.T) {
	sealed := sealer(t, "salt", retired).Seal(nil, []byte("sealed before the rotation"))
	tests := []struct {
		name    string
		ring    []string
		want    int
		wantErr error
	}{
		{"first fallback", []string{current, retired}, 1, nil},
		{"second fallback", []string{current, other, retired}, 2, nil},
		{"fallback dropped", []string{current, other}, 0, ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, secret, err := sealer(t, "salt", tt.ring...).Open(sealed)
			if !errors.Is(err, tt.wantErr) || secret != tt.want {
				t.Fatalf("Open = _, %d, %v; want secret %d, error %v", secret, err, tt.want, tt.wantErr)
			}
			if err == nil && string(p) != "sealed before the rotation" {
				t.Errorf("plaintext = %q", p)
			}
		})
	}
}

func TestOpenMalformed(t *testing.T) {
	s := sealer(t, "typedsession/test", current)
	good := s.Seal(nil, []byte("x"))
	otherFormat := bytes.Clone(good)
	otherFormat[0] = 2
	tests := []struct {
		name   string
		sealed []byte
		want   string
	}{
		{"nil", nil, "too short"},
		{"overhead minus one", good[:SealOverhead-1], "too short"},
		{"tag only", good[:SealOverhead], ""},
		{"unknown format", otherFormat, "unknown seal format 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := s.Open(tt.sealed)
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Open = %v, want ErrInvalid saying %q", err, tt.want)
			}
		})
	}
}

// Every secret OpenString tries decrypts into the same output: a failed
// attempt clears it, and must leave the value intact for the secret that
// opens it.
func TestOpenStringEverySecret(t *testing.T) {
	ring := []string{current, other, retired}
	want := bytes.Repeat([]byte("sealed with one secret of three;"), 10)
	for i, sec := range ring {
		for n := 1; n <= len(ring); n++ {
			text := sealer(t, "salt", sec).SealString(want)
			p, secret, err := sealer(t, "salt", ring[:n]...).OpenString(text)
			if i >= n {
				if !errors.Is(err, ErrInvalid) {
					t.Errorf("secret %d, ring of %d: OpenString = %v, want ErrInvalid", i, n, err)
				}
				continue
			}
			if err != nil || secret != i || !bytes.Equal(p, want) {
				t.Errorf("secret %d, ring of %d: OpenString = %q, %d, %v; want the plaintext, secret %d", i, n, p, secret, err, i)
			}
		}
	}
}

// The text form is encoded into the string's own memory, between head and
// tail: it must equal the plain encoding at every length.
func TestEncodeText(t *testing.T) {
	raw := make([]byte, 700)
	for i := range raw {
		raw[i] = byte(i*7 + 3)
	}
	for _, ends := range [][2]string{{"", ""}, {"name=", ""}, {"", "; Path=/"}, {"name=", "; Path=/"}} {
		for n := range len(raw) {
			if got, want := encodeText(ends[0], raw[:n], ends[1]), ends[0]+b64.EncodeToString(raw[:n])+ends[1]; got != want {
				t.Fatalf("encodeText(%q, %d bytes, %q) = %q, want %q", ends[0], n, ends[1], got, want)
			}
		}
	}
}

// encode's alphabet and its table of pairs are base64url's.
func TestEncodeAlphabet(t *testing.T) {
	for v := range 64 {
		if got, want := alphabet[v], b64.EncodeToString([]byte{byte(v << 2)})[0]; got != want {
			t.Fatalf("alphabet[%d] = %q, want %q", v, got, want)
		}
	}
	for v := range len(pairs) {
		// 12 bits in the top of two bytes encode as the first two characters.
		want := b64.EncodeToString([]byte{byte(v >> 4), byte(v << 4)})[:2]
		if got := string([]byte{byte(pairs[v]), byte(pairs[v] >> 8)}); got != want {
			t.Fatalf("pairs[%#x] = %q, want %q", v, got, want)
		}
	}
}

// encode matches encoding/base64 on random data at every length up to a
// few hundred steps of its loop.
func TestEncodeRandom(t *testing.T) {
	raw := make([]byte, 2000)
	rand.Read(raw)
	for n := range len(raw) {
		want := b64.EncodeToString(raw[:n])
		got := make([]byte, len(want))
		encode(got, raw[:n])
		if string(got) != want {
			t.Fatalf("encode of %d bytes = %q, want %q", n, got, want)
		}
	}
}

// Line breaks are found by the decoded length rather than a search of
// their own: at every length of the text form (each remainder modulo 4),
// one or two '\r' or '\n' anywhere, even where they make a length no
// text has into one that decodes, must be refused.
func TestOpenStringRefusesLineBreaks(t *testing.T) {
	s := sealer(t, "typedsession/test", current)
	for n := range 6 {
		text := s.SealString(bytes.Repeat([]byte{'p'}, n))
		if _, _, err := s.OpenString(text); err != nil {
			t.Fatalf("%d bytes: OpenString of the sealed value = %v", n, err)
		}
		for _, br := range []string{"\n", "\r", "\r\n", "\n\n"} {
			for _, at := range []int{0, 1, len(text) / 2, len(text) - 1, len(text)} {
				v := text[:at] + br + text[at:]
				if _, _, err := s.OpenString(v); !errors.Is(err, ErrInvalid) {
					t.Errorf("%d bytes, %q at %d of %d: OpenString = %v, want ErrInvalid", n, br, at, len(text), err)
				}
			}
		}
	}
}

// A value sealed with a fallback secret opens with one allocation, as one
// sealed with the current secret does: the attempts share their output.
func TestOpenFallbackAllocs(t *testing.T) {
	ring := sealer(t, "salt", current, other, retired)
	for i, sec := range []string{current, retired} {
		sealed := sealer(t, "salt", sec).Seal(nil, bytes.Repeat([]byte("payload;"), 40))
		got := testing.AllocsPerRun(100, func() {
			if _, _, err := ring.Open(sealed); err != nil {
				t.Fatal(err)
			}
		})
		if got != 1 {
			t.Errorf("secret %d: Open made %v allocations, want 1 (the plaintext)", i, got)
		}
	}
}

// SealText seals prefix and plaintext as one plaintext, at sizes below
// and above the pooled buffer's, and puts the text between head and tail.
func TestSealText(t *testing.T) {
	s := sealer(t, "typedsession/test", current)
	tests := []struct {
		name              string
		head, tail        string
		prefix, plaintext []byte
	}{
		{"all empty", "", "", nil, nil},
		{"prefix only", "", "", []byte("head"), nil},
		{"plaintext only", "", "", nil, []byte("data")},
		{"both", "", "", []byte("\x02header"), []byte("session data")},
		{"between head and tail", "id=", "; Path=/; HttpOnly", []byte("\x02header"), []byte("session data")},
		{"larger than the pooled buffer", "id=", ";", bytes.Repeat([]byte{'h'}, 700), bytes.Repeat([]byte{'d'}, 3000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for range 2 { // the second time with the buffer the first returned
				line := s.SealText(tt.head, tt.prefix, tt.plaintext, tt.tail)
				text, ok := strings.CutPrefix(line, tt.head)
				text, ok2 := strings.CutSuffix(text, tt.tail)
				if !ok || !ok2 {
					t.Fatalf("SealText = %q, want it between %q and %q", line, tt.head, tt.tail)
				}
				got, secret, err := s.OpenString(text)
				if err != nil || secret != 0 {
					t.Fatalf("OpenString = _, %d, %v; want secret 0, no error", secret, err)
				}
				want := append(bytes.Clone(tt.prefix), tt.plaintext...)
				if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("plaintext (-want +got):\n%s", diff)
				}
			}
		})
	}
}
