package cookiestore

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/typedsession/typedsession/runtime/store"
)

// cookieVectors holds session cookies as releases wrote them: each must
// keep opening, or an upgrade signs every user out.
var cookieVectors = filepath.Join("..", "..", "..", "testdata", "vectors", "cookie.json")

type cookieVector struct {
	Name    string `json:"name"`
	Secret  string `json:"secret"`
	Format  byte   `json:"format"`
	Value   string `json:"value"`
	DataHex string `json:"data_hex"`
}

func loadCookieVectors(t *testing.T) []cookieVector {
	t.Helper()
	b, err := os.ReadFile(cookieVectors)
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Cookie []cookieVector `json:"cookie"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%s: %v", cookieVectors, err)
	}
	formats := map[byte]bool{}
	for _, c := range v.Cookie {
		formats[c.Format] = true
	}
	if !formats[frameSigned] || !formats[frameFormat] {
		t.Fatalf("%s: want a vector of each format, have %v", cookieVectors, formats)
	}
	return v.Cookie
}

// vectorCookie returns the vector of the given format.
func vectorCookie(t *testing.T, format byte) cookieVector {
	t.Helper()
	for _, c := range loadCookieVectors(t) {
		if c.Format == format {
			return c
		}
	}
	t.Fatalf("no vector of format %d", format)
	return cookieVector{}
}

func TestCookieVectors(t *testing.T) {
	for _, v := range loadCookieVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			for secret, ring := range [][]string{{v.Secret}, {oldSecret, v.Secret}} {
				s, err := New(Config{Secret: ring[0], FallbackSecrets: ring[1:]})
				if err != nil {
					t.Fatal(err)
				}
				// The vectors were sealed in 2026 and expire in 2100: the
				// real clock is within.
				s.now = time.Now
				data, found, how, err := s.Unseal(context.Background(), v.Value)
				if err != nil || !found {
					t.Fatalf("secret %d of %d: Unseal = %v, %v", secret, len(ring), found, err)
				}
				if got := hex.EncodeToString(data); got != v.DataHex {
					t.Errorf("data = %s, want %s", got, v.DataHex)
				}
				if want := (store.Sealing{Secret: secret, Signed: v.Format == frameSigned}); how != want {
					t.Errorf("Sealing = %+v, want %+v", how, want)
				}
			}
		})
	}
}

// Seal writes the current format, carrying the data exactly as given.
func TestSealWritesCurrentFormat(t *testing.T) {
	s, _ := newStore(t, Config{})
	v := seal(t, s, []byte("payload"), start.Add(time.Hour))
	plain, secret, err := s.sealer.OpenString(v)
	if err != nil || secret != 0 {
		t.Fatalf("OpenString = %d, %v", secret, err)
	}
	if plain[0] != frameFormat || string(plain[headerLen:]) != "payload" {
		t.Errorf("frame = %x, want format %d and the data", plain, frameFormat)
	}
	if _, _, how, err := s.Unseal(context.Background(), v); err != nil || how != (store.Sealing{}) {
		t.Errorf("Unseal reports %+v, %v; want the current secret and format", how, err)
	}
}
