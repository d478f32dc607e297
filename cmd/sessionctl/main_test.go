package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vmihailenco/msgpack/v5"

	"github.com/typedsession/typedsession/runtime/codec"
	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/signing"
	"github.com/typedsession/typedsession/runtime/store"
	"github.com/typedsession/typedsession/runtime/store/storeurl"
)

const (
	secret   = "sessionctl-test-secret-0123456789abcdef"
	fallback = "sessionctl-test-fallback-0123456789abcdef"
	other    = "sessionctl-test-unrelated-0123456789abcdef"
)

// result is what one run of sessionctl produced.
type result struct {
	code           int
	stdout, stderr string
}

func runT(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, &out, &errOut, func(k string) string { return env[k] })
	return result{code, out.String(), errOut.String()}
}

// check asserts the exit code and that each want string appears in stdout
// (or, when prefixed with "stderr:", in stderr).
func (r result) check(t *testing.T, code int, wants ...string) {
	t.Helper()
	if r.code != code {
		t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, r.stdout, r.stderr)
	}
	for _, w := range wants {
		if rest, ok := strings.CutPrefix(w, "stderr:"); ok {
			if !strings.Contains(r.stderr, rest) {
				t.Errorf("stderr lacks %q:\n%s", rest, r.stderr)
			}
		} else if !strings.Contains(r.stdout, w) {
			t.Errorf("stdout lacks %q:\n%s", w, r.stdout)
		}
	}
}

// testStores returns the URLs of an empty SQLite store and an empty file
// store, with the table created.
func testStores(t *testing.T) map[string]string {
	t.Helper()
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "files"), 0o700); err != nil {
		t.Fatal(err)
	}
	urls := map[string]string{
		"sqlite": "sqlite://" + filepath.Join(dir, "sessions.db"),
		"file":   "file://" + filepath.Join(dir, "files"),
	}
	for _, u := range urls {
		openStore(t, u) // creates the table
	}
	return urls
}

// openStore opens url for the test's own writes.
func openStore(t *testing.T, url string) store.Store {
	t.Helper()
	st, c, err := storeurl.Open(context.Background(), url, storeurl.Options{CreateTable: true, Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return st
}

// payload returns a signed session payload with the given metadata and
// fields, as the session package writes it.
func payload(t *testing.T, signWith string, meta codec.Meta, fields map[string]any) []byte {
	t.Helper()
	keys, err := signing.NewKeyring([]byte(signWith))
	if err != nil {
		t.Fatal(err)
	}
	return keys.Signer(session.SignerSalt).Sign(nil, envelope(t, meta, fields))
}

// envelope returns the encoded session, unsigned.
func envelope(t *testing.T, meta codec.Meta, fields map[string]any) []byte {
	t.Helper()
	var raw []codec.RawField
	for k, v := range fields {
		b, err := msgpack.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		raw = append(raw, codec.RawField{Key: k, Value: b})
	}
	enc, err := codec.Encode(nil, &meta, nil, raw)
	if err != nil {
		t.Fatal(err)
	}
	return enc
}

func save(t *testing.T, st store.Store, key string, data []byte, expiry time.Time) {
	t.Helper()
	if err := st.Save(context.Background(), key, data, expiry, true); err != nil {
		t.Fatal(err)
	}
}

func TestUsage(t *testing.T) {
	tests := []struct {
		args  []string
		code  int
		wants []string
	}{
		{nil, exitUsage, []string{"stderr:Usage: sessionctl <command>"}},
		{[]string{"-h"}, exitOK, []string{"clear-expired", "inspect"}},
		{[]string{"help"}, exitOK, []string{"Commands:"}},
		{[]string{"frobnicate"}, exitUsage, []string{`stderr:unknown command "frobnicate"`}},
		{[]string{"clear-expired", "-h"}, exitOK, []string{"Examples:", "sessionctl clear-expired -store sqlite:///", "-store URL"}},
		{[]string{"inspect", "-h"}, exitOK, []string{"Examples:", "TYPEDSESSION_SECRET", "-cookie value", "-key key", "-store-key key"}},
		{[]string{"clear-expired"}, exitUsage, []string{"stderr:-store is required"}},
		{[]string{"clear-expired", "-bogus"}, exitUsage, []string{"stderr:flag provided but not defined: -bogus"}},
		{[]string{"clear-expired", "-store", "memory", "extra"}, exitUsage, []string{`stderr:unexpected argument "extra"`}},
		{[]string{"inspect", "-store", "memory"}, exitUsage, []string{"stderr:-key, -store-key or -cookie is required"}},
		{[]string{"inspect", "-key", "abcdefgh"}, exitUsage, []string{"stderr:-store is required with -key"}},
		{[]string{"inspect", "-store-key", "abcdefgh"}, exitUsage, []string{"stderr:-store is required with -key and -store-key"}},
		{[]string{"inspect", "-store", "memory", "-key", "abcdefgh", "-cookie", "x"}, exitUsage, []string{"stderr:not several"}},
		{[]string{"inspect", "-store", "memory", "-key", "abcdefgh", "-store-key", "abcdefgh"}, exitUsage, []string{"stderr:not several"}},
		{[]string{"inspect", "-store", "memory", "-key", "abcdefgh"}, exitUsage, []string{"stderr:set TYPEDSESSION_SECRET"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			r := runT(t, nil, tt.args...)
			r.check(t, tt.code, tt.wants...)
			if tt.code == exitOK && r.stderr != "" {
				t.Errorf("help wrote to stderr:\n%s", r.stderr)
			}
		})
	}
}

// TestClearExpired is S03: clear-expired removes the expired sessions of
// the SQL and file stores and says how many.
func TestClearExpired(t *testing.T) {
	for name, url := range testStores(t) {
		t.Run(name, func(t *testing.T) {
			st := openStore(t, url)
			data := payload(t, secret, codec.Meta{}, nil)
			live := "live0000live0000"
			save(t, st, live, data, time.Now().Add(time.Hour))
			save(t, st, "dead0000dead0001", data, time.Now().Add(-time.Hour))
			save(t, st, "dead0000dead0002", data, time.Now().Add(-time.Second))

			runT(t, nil, "clear-expired", "-store", url).check(t, exitOK, "2 expired sessions removed\n")
			if ok, err := st.Exists(context.Background(), live); err != nil || !ok {
				t.Errorf("the live session is gone: %v, %v", ok, err)
			}
			// Nothing left to clear; the store can come from the environment.
			env := map[string]string{"TYPEDSESSION_STORE": url}
			runT(t, env, "clear-expired").check(t, exitOK, "0 expired sessions removed\n")
		})
	}
}

func TestClearExpiredErrors(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.db") // a database without the table
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	typo := filepath.Join(dir, "sesions.db")
	tests := []struct {
		name, url string
		code      int
		want      string
	}{
		{"unknown scheme", "mongodb://x", exitFailed, "stderr:must be one of"},
		{"missing directory", "file://" + filepath.Join(dir, "missing"), exitFailed, "stderr:does not exist"},
		{"no table", "sqlite://" + empty, exitFailed, `stderr:sessionctl: sqlstore: clear expired: there is no table "typedsession_sessions" in this database`},
		{"no table named so", "sqlite://" + empty + "?table=web_sessions", exitFailed, `stderr:there is no table "web_sessions"`},
		{"no file", "sqlite://" + typo, exitFailed, "stderr:sessionctl: there is no SQLite database at " + typo + ": check the -store URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runT(t, nil, "clear-expired", "-store", tt.url).check(t, tt.code, tt.want)
		})
	}
	if _, err := os.Stat(typo); err == nil {
		t.Errorf("clear-expired created %s", typo)
	}
}

// TestInspect shows stored sessions of both stores, and the ways an
// inspection fails.
func TestInspect(t *testing.T) {
	created := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	saved := created.Add(time.Hour)
	fields := map[string]any{
		"name":  "Ada",
		"uid":   42,
		"tags":  []string{"a", "b"},
		"prefs": map[string]any{"dark": true, "lang": "en"},
		"blob":  []byte{1, 2, 255},
	}
	env := map[string]string{"TYPEDSESSION_SECRET": secret}
	withFallback := map[string]string{"TYPEDSESSION_SECRET": secret, "TYPEDSESSION_FALLBACK_SECRETS": " , " + fallback + " ,"}
	for name, url := range testStores(t) {
		t.Run(name, func(t *testing.T) {
			st := openStore(t, url)
			expiry := time.Date(2099, 1, 2, 3, 4, 5, 0, time.UTC)
			meta := codec.Meta{Created: created, Saved: saved, Expiry: codec.ExpiryIdle, IdleSeconds: 3600}
			save(t, st, session.StoreKey("current000000000"), payload(t, secret, meta, fields), expiry)
			save(t, st, session.StoreKey("fallback00000000"), payload(t, fallback, codec.Meta{Expiry: codec.ExpiryAt, ExpiresAt: expiry}, nil), expiry)
			save(t, st, session.StoreKey("foreign000000000"), payload(t, other, codec.Meta{}, fields), expiry)
			save(t, st, session.StoreKey("garbage000000000"), []byte("not signed at all"), expiry)
			save(t, st, session.StoreKey("expired000000000"), payload(t, secret, codec.Meta{}, fields), time.Now().Add(-time.Minute))

			tests := []struct {
				name  string
				env   map[string]string
				args  []string
				code  int
				wants []string
			}{
				{"current secret", env, []string{"-key", "current000000000"}, exitOK, []string{
					"signature:   valid (TYPEDSESSION_SECRET)\n",
					"format:      version 1 (current)\n",
					"created:     2026-03-04T05:06:07Z\n",
					"saved:       2026-03-04T06:06:07Z\n",
					"expiry:      after 1h0m0s without a save\n",
					"expires:     2099-01-02T03:04:05Z (as kept by the store)\n",
					"fields:      5\n" +
						"  blob = bytes(3) 0102ff\n" +
						"  name = \"Ada\"\n" +
						"  prefs = {\"dark\": true, \"lang\": \"en\"}\n" +
						"  tags = [\"a\", \"b\"]\n" +
						"  uid = 42\n",
				}},
				{"fallback secret", withFallback, []string{"-key", "fallback00000000"}, exitOK, []string{
					"valid (fallback secret 1 of TYPEDSESSION_FALLBACK_SECRETS",
					"expiry:      at 2099-01-02T03:04:05Z\n",
					"created:     unknown\n",
					"fields:      0\n",
				}},
				{"fallback not configured", env, []string{"-key", "fallback00000000"}, exitFailed, []string{"stderr:DOES NOT VERIFY"}},
				{"foreign secret", withFallback, []string{"-key", "foreign000000000"}, exitFailed, []string{"stderr:DOES NOT VERIFY"}},
				{"not signed", env, []string{"-key", "garbage000000000"}, exitFailed, []string{"stderr:DOES NOT VERIFY"}},
				{"expired", env, []string{"-key", "expired000000000"}, exitFailed, []string{"stderr:no live session"}},
				{"unknown key", env, []string{"-key", "unknown000000000"}, exitFailed, []string{"stderr:no live session"}},
				{"invalid key", env, []string{"-key", "../../etc/passwd"}, exitUsage, []string{"stderr:is not a session key"}},
				{"short secret", map[string]string{"TYPEDSESSION_SECRET": "short"}, []string{"-key", "current000000000"}, exitUsage, []string{"stderr:secret too short"}},
				{"short fallback", map[string]string{"TYPEDSESSION_SECRET": secret, "TYPEDSESSION_FALLBACK_SECRETS": "x"}, []string{"-key", "current000000000"}, exitUsage, []string{"stderr:secret 1 is 1 bytes"}},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					args := append([]string{"inspect", "-store", url}, tt.args...)
					r := runT(t, tt.env, args...)
					r.check(t, tt.code, tt.wants...)
					if tt.code != exitOK && strings.Contains(r.stdout, "Ada") {
						t.Errorf("data of a session that failed inspection was shown:\n%s", r.stdout)
					}
					for _, s := range []string{secret, fallback, other} {
						if strings.Contains(r.stdout+r.stderr, s) {
							t.Error("a secret appears in the output")
						}
					}
				})
			}
		})
	}
}

// TestInspectOldFormat shows that a version 0 payload is reported as such.
func TestInspectOldFormat(t *testing.T) {
	url := testStores(t)["file"]
	st := openStore(t, url)
	v0, err := msgpack.Marshal(map[string]any{"_created": int64(1700000000), "name": "Old"})
	if err != nil {
		t.Fatal(err)
	}
	keys, _ := signing.NewKeyring([]byte(secret))
	save(t, st, session.StoreKey("version000000000"), keys.Signer(session.SignerSalt).Sign(nil, append([]byte{0}, v0...)), time.Now().Add(time.Hour))
	runT(t, map[string]string{"TYPEDSESSION_SECRET": secret}, "inspect", "-store", url, "-key", "version000000000").check(t, exitOK,
		"format:      version 0 (older than the current 1; re-written on the next save)\n",
		"created:     2023-11-14T22:13:20Z\n",
		"  name = \"Old\"\n")
}

// TestInspectCorruptPayload covers a payload that is correctly signed but
// cannot be decoded.
func TestInspectCorruptPayload(t *testing.T) {
	url := testStores(t)["sqlite"]
	st := openStore(t, url)
	keys, _ := signing.NewKeyring([]byte(secret))
	save(t, st, session.StoreKey("corrupt000000000"), keys.Signer(session.SignerSalt).Sign(nil, []byte{1, 0xc1, 0xc1}), time.Now().Add(time.Hour))
	r := runT(t, map[string]string{"TYPEDSESSION_SECRET": secret}, "inspect", "-store", url, "-key", "corrupt000000000")
	r.check(t, exitFailed, "signature:   valid", "stderr:cannot be decoded")
}
