package django

import (
	"bytes"
	"testing"

	"github.com/typedsession/typedsession/runtime/internal/viewfields"
)

// FuzzDecodeDict: no session JSON makes the decoder panic, and whatever it
// reads it writes back in a form that reads back to the same writing.
func FuzzDecodeDict(f *testing.F) {
	for _, seed := range []string{
		`{}`, `{"uid":1,"name":"x","_session_expiry":5,"testcookie":"worked"}`,
		`{"cart":[{"sku":"a","qty":1e3,"price":-1}],"counts":{"1":2},"seen":"2026-01-01T00:00:00Z"}`,
		`{"big":123456789012345678901234567890,"f":1.5e-05,"s":"\ud83d\ude00","n":null,"a":[[[]]]}`,
		`{"_session_expiry":"2026-01-01T00:00:00.5+02:00","x":{"y":true}}`, `[1]`, `{"a":}`,
	} {
		f.Add([]byte(seed))
	}
	v := loadVectors(f)
	for _, s := range v.Sessions {
		f.Add([]byte(s.JSON))
	}
	fm := &format{}
	f.Fuzz(func(t *testing.T, doc []byte) {
		first := boundVisit(t)
		env, _, err := fm.Decode(doc, viewfields.Of(first), nil)
		if err != nil {
			return
		}
		out, err := encodeDict(&env.Meta, viewfields.Of(first), env.Raw)
		if err != nil {
			return // a value JSON reads but cannot be written back (none known)
		}
		second := boundVisit(t)
		env2, _, err := fm.Decode(out, viewfields.Of(second), nil)
		if err != nil {
			t.Fatalf("%s: wrote %s, which does not read back: %v", doc, out, err)
		}
		again, err := encodeDict(&env2.Meta, viewfields.Of(second), env2.Raw)
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("%s: wrote %s, then %s (%v)", doc, out, again, err)
		}
	})
}

// FuzzLoads: no value makes the signer panic, and one it accepts was signed
// with its secret.
func FuzzLoads(f *testing.F) {
	v := loadVectors(f)
	for _, s := range v.Sessions {
		f.Add(s.Cookie)
		f.Add(s.DBLegacy)
	}
	f.Add("")
	f.Add(".:0:")
	sg := v.signer(SaltSignedCookies)
	other := &Signer{Secret: "other", Salt: SaltSignedCookies}
	f.Fuzz(func(t *testing.T, value string) {
		sg.Loads(value, 0)
		if _, _, err := other.Loads(value, 0); err == nil {
			t.Fatalf("%q verified under a secret that never signed it", value)
		}
	})
}
