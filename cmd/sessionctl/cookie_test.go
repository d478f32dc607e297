package main

import (
	"context"
	"encoding/binary"
	"strings"
	"testing"
	"time"

	"github.com/typedsession/typedsession/runtime/codec"
	"github.com/typedsession/typedsession/runtime/signing"
	"github.com/typedsession/typedsession/runtime/store/cookiestore"
)

// seal returns a cookie value as the cookie store and the Manager make it
// now: sealed with sealWith, the session unsigned inside.
func seal(t *testing.T, sealWith string, fields map[string]any, expiry time.Time) string {
	t.Helper()
	cs, err := cookiestore.New(cookiestore.Config{Secret: sealWith})
	if err != nil {
		t.Fatal(err)
	}
	v, err := cs.Seal(context.Background(), envelope(t, codec.Meta{Expiry: codec.ExpiryAt, ExpiresAt: expiry}, fields), expiry)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// sealSigned returns a cookie value in the format of earlier releases
// (testdata/vectors/cookie.json, format 1): sealed with sealWith, carrying
// a payload signed with signWith.
func sealSigned(t *testing.T, sealWith, signWith string, fields map[string]any, expiry time.Time) string {
	t.Helper()
	keys, err := signing.NewKeyring([]byte(sealWith))
	if err != nil {
		t.Fatal(err)
	}
	sealer, err := keys.Sealer("typedsession/cookie")
	if err != nil {
		t.Fatal(err)
	}
	frame := []byte{1}
	frame = binary.BigEndian.AppendUint64(frame, uint64(time.Now().Unix()))
	frame = binary.BigEndian.AppendUint64(frame, uint64(expiry.Unix()))
	frame = append(frame, payload(t, signWith, codec.Meta{Expiry: codec.ExpiryAt, ExpiresAt: expiry}, fields)...)
	return sealer.SealString(frame)
}

// tamper changes one character of v for another valid one.
func tamper(v string) string {
	b := []byte(v)
	if i := len(b) / 2; b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	return string(b)
}

func TestInspectCookie(t *testing.T) {
	hour := time.Now().Add(time.Hour).Truncate(time.Second)
	fields := map[string]any{"name": "Ada"}
	good := sealSigned(t, secret, secret, fields, hour)
	tampered := tamper(good)
	current := seal(t, secret, fields, hour)
	env := map[string]string{"TYPEDSESSION_SECRET": secret}
	rotated := map[string]string{"TYPEDSESSION_SECRET": secret, "TYPEDSESSION_FALLBACK_SECRETS": fallback}
	tests := []struct {
		name  string
		env   map[string]string
		args  []string
		code  int
		wants []string
	}{
		{"current format", env, []string{"-cookie", current}, exitOK, []string{
			"signature:   valid (TYPEDSESSION_SECRET)\n",
			"expiry:      at " + hour.UTC().Format(time.RFC3339) + "\n",
			"  name = \"Ada\"\n",
		}},
		{"current format, sealed with a fallback", rotated, []string{"-cookie", seal(t, fallback, fields, hour)}, exitOK, []string{
			"valid (fallback secret 1 of TYPEDSESSION_FALLBACK_SECRETS",
		}},
		{"current format, tampered", env, []string{"-cookie", tamper(current)}, exitFailed, []string{"stderr:the cookie does not open"}},
		{"sealed and signed with the secret", env, []string{"-cookie", good}, exitOK, []string{
			"signature:   valid (TYPEDSESSION_SECRET)\n",
			"expiry:      at " + hour.UTC().Format(time.RFC3339) + "\n",
			"  name = \"Ada\"\n",
		}},
		{"explicit -store cookie", env, []string{"-store", "cookie", "-cookie", good}, exitOK, []string{"  name = \"Ada\"\n"}},
		{"sealed with a fallback", rotated, []string{"-cookie", sealSigned(t, fallback, fallback, fields, hour)}, exitOK, []string{
			"valid (fallback secret 1 of TYPEDSESSION_FALLBACK_SECRETS",
		}},
		{"tampered", env, []string{"-cookie", string(tampered)}, exitFailed, []string{"stderr:the cookie does not open"}},
		{"another secret", env, []string{"-cookie", sealSigned(t, other, other, fields, hour)}, exitFailed, []string{"stderr:the cookie does not open"}},
		{"sealed right, signed wrong", env, []string{"-cookie", sealSigned(t, secret, other, fields, hour)}, exitFailed, []string{"stderr:DOES NOT VERIFY"}},
		{"expired", env, []string{"-cookie", sealSigned(t, secret, secret, fields, time.Now().Add(-time.Minute))}, exitFailed, []string{"stderr:has expired"}},
		{"no secret", nil, []string{"-cookie", good}, exitUsage, []string{"stderr:set TYPEDSESSION_SECRET"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runT(t, tt.env, append([]string{"inspect"}, tt.args...)...)
			r.check(t, tt.code, tt.wants...)
			if tt.code != exitOK && strings.Contains(r.stdout, "Ada") {
				t.Errorf("data of a cookie that failed inspection was shown:\n%s", r.stdout)
			}
		})
	}
}

// TestClearExpiredCookie is S03's other half: the cookie store cannot
// clear, says so, and exits with status 2, whether or not a secret is set.
func TestClearExpiredCookie(t *testing.T) {
	for _, env := range []map[string]string{nil, {"TYPEDSESSION_SECRET": secret}} {
		runT(t, env, "clear-expired", "-store", "cookie").check(t, exitUsage, "stderr:the cookie store cannot clear expired sessions")
	}
	// A store opened some other way reports ErrNotSupported itself.
	cs, err := cookiestore.New(cookiestore.Config{Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut strings.Builder
	if code := clearExpired(context.Background(), cs, &out, &errOut); code != exitUsage || !strings.Contains(errOut.String(), "cannot clear expired sessions") || out.Len() != 0 {
		t.Errorf("clearExpired(cookie store) = %d, stdout %q, stderr %q; want %d and an explanation", code, out.String(), errOut.String(), exitUsage)
	}
}
