package django

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestSignerReadsDjango(t *testing.T) {
	v := loadVectors(t)
	for i, s := range v.Sessions {
		for _, c := range []struct {
			name, salt, value string
			stale             bool
		}{
			{"cookie", SaltSignedCookies, s.Cookie, false},
			{"db", SaltSessionStore, s.DB, false},
			{"db sha1", SaltSessionStore, s.DBSHA1, true},
		} {
			got, ver, err := v.signer(c.salt).Loads(c.value, 0)
			if err != nil {
				t.Errorf("session %d %s: %v", i, c.name, err)
				continue
			}
			if string(got) != s.JSON {
				t.Errorf("session %d %s: got %s, want %s", i, c.name, got, s.JSON)
			}
			if ver.Stale != c.stale || ver.Timestamp.Unix() != v.Timestamp {
				t.Errorf("session %d %s: %+v, want stale %v at %d", i, c.name, ver, c.stale, v.Timestamp)
			}
		}
	}
}

// TestSignerWritesDjango: what Dumps writes is what Django wrote, byte for
// byte when uncompressed; compressed values (Go's zlib output differs from
// CPython's) must read back to the same document.
func TestSignerWritesDjango(t *testing.T) {
	v := loadVectors(t)
	for i, s := range v.Sessions {
		sg := v.signer(SaltSignedCookies)
		got := sg.Dumps([]byte(s.JSON))
		if strings.HasPrefix(s.Cookie, ".") != strings.HasPrefix(got, ".") {
			t.Errorf("session %d: compressed %q, Django %q", i, got, s.Cookie)
		}
		if !strings.HasPrefix(s.Cookie, ".") && got != s.Cookie {
			t.Errorf("session %d: got %s, Django wrote %s", i, got, s.Cookie)
		}
		back, _, err := sg.Loads(got, 0)
		if err != nil || string(back) != s.JSON {
			t.Errorf("session %d: round trip %s, %v", i, back, err)
		}
	}
}

func TestSignerRefuses(t *testing.T) {
	v := loadVectors(t)
	good := v.Sessions[1].Cookie
	sg := v.signer(SaltSignedCookies)
	tests := map[string]struct {
		signer *Signer
		value  string
	}{
		"other salt":      {v.signer(SaltSessionStore), good},
		"other secret":    {&Signer{Secret: "x" + v.SecretKey, Salt: SaltSignedCookies}, good},
		"flipped payload": {sg, "f" + good[1:]},
		"truncated sig":   {sg, good[:len(good)-1]},
		"no separator":    {sg, "abc"},
		"no timestamp":    {sg, "e30:" + sg.signature(sha256New, "e30", v.SecretKey)},
		"empty":           {sg, ""},
	}
	for name, tt := range tests {
		if _, _, err := tt.signer.Loads(tt.value, 0); !errors.Is(err, ErrBadSignature) {
			t.Errorf("%s: err %v, want ErrBadSignature", name, err)
		}
	}
}

func TestSignerMaxAge(t *testing.T) {
	v := loadVectors(t)
	value := v.Sessions[0].Cookie
	signed := time.Unix(v.Timestamp, 0)
	for _, c := range []struct {
		after   time.Duration
		expired bool
	}{{time.Hour, false}, {time.Hour + time.Second, true}} {
		sg := &Signer{Secret: v.SecretKey, Salt: SaltSignedCookies, Now: func() time.Time { return signed.Add(c.after) }}
		_, _, err := sg.Loads(value, time.Hour)
		if got := errors.Is(err, ErrSignatureExpired); got != c.expired {
			t.Errorf("%s after signing: expired %v (%v), want %v", c.after, got, err, c.expired)
		}
		if c.expired && !errors.Is(err, ErrBadSignature) {
			t.Errorf("an expired signature must also be a bad one (Django's SignatureExpired is a BadSignature)")
		}
	}
}

func TestSignerFallbacks(t *testing.T) {
	v := loadVectors(t)
	sg := &Signer{Secret: "new-secret-new-secret-new-secret-0000", Fallbacks: []string{v.SecretKey}, Salt: SaltSignedCookies}
	_, ver, err := sg.Loads(v.Sessions[1].Cookie, 0)
	if err != nil || !ver.Stale {
		t.Fatalf("fallback secret: stale %v, err %v; want stale, nil", ver.Stale, err)
	}
	got, ver, err := sg.Loads(sg.Dumps([]byte("{}")), 0)
	if err != nil || ver.Stale || string(got) != "{}" {
		t.Fatalf("current secret: %s %+v %v", got, ver, err)
	}
}

func TestSignerZipBomb(t *testing.T) {
	sg := &Signer{Secret: "s", Salt: "x"}
	big := "[" + strings.Repeat("0,", maxInflated) + "0]"
	if _, _, err := sg.Loads(sg.Dumps([]byte(big)), 0); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("a value inflating beyond %d bytes: err %v, want ErrBadSignature", maxInflated, err)
	}
}

func TestBase62(t *testing.T) {
	for _, n := range []int64{0, 1, 61, 62, 1767225600, 1 << 40} {
		got, err := decodeBase62(encodeBase62(n))
		if err != nil || got != n {
			t.Errorf("%d: %d, %v", n, got, err)
		}
	}
	if encodeBase62(1767225600) != "1vb66i" {
		t.Errorf("1767225600 encodes as %s, Django wrote 1vb66i", encodeBase62(1767225600))
	}
	for _, bad := range []string{"", "-1", "zzzzzzzzzzz"} {
		if _, err := decodeBase62(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestSessionAuthHashVector(t *testing.T) {
	v := loadVectors(t)
	if got := SessionAuthHash(v.SecretKey, v.AuthHash.Password); got != v.AuthHash.SHA256 {
		t.Fatalf("got %s, Django %s", got, v.AuthHash.SHA256)
	}
}
