package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// running is a shop started with run, in this process.
type running struct {
	url  string
	logs *logBuffer
	stop func() error // stops it and returns run's error
}

var listeningRE = regexp.MustCompile(`msg=listening url=(http://\S+/)`)

// startRun calls run with args in a goroutine and waits until it listens.
// run serves cheapUsers, the demo users with cheaper hashes.
func startRun(t *testing.T, args []string, env map[string]string) *running {
	t.Helper()
	cheap, demo := cheapUsers(t), runUsers
	runUsers = func() map[string]user { return cheap }
	t.Cleanup(func() { runUsers = demo }) // runs after r.stop, registered below
	ctx, cancel := context.WithCancel(context.Background())
	logs := &logBuffer{}
	done := make(chan error, 1)
	go func() { done <- run(ctx, args, func(k string) string { return env[k] }, logs) }()
	r := &running{logs: logs}
	stopped := false
	r.stop = func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(10 * time.Second):
			t.Fatal("run did not return within 10s of its context ending")
			return nil
		}
	}
	t.Cleanup(func() { r.stop() })

	deadline := time.After(15 * time.Second)
	for {
		if m := listeningRE.FindStringSubmatch(logs.String()); m != nil {
			r.url = m[1]
			return r
		}
		select {
		case err := <-done:
			stopped = true
			t.Fatalf("run returned before listening: %v; log:\n%s", err, logs)
		case <-deadline:
			t.Fatalf("run is not listening after 15s; log:\n%s", logs)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// httpClient is a cookie-keeping client that does not follow redirects.
func httpClient(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{
		Jar:           jar,
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

func fetch(t *testing.T, c *http.Client, method, u string, form url.Values) (int, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, string(b)
}

// TestRunRestartKeepsSessions runs the shop as `go run ./example` does, on
// a SQLite file and a generated secret (with the demo passwords hashed at
// fewer iterations, see startRun), stops it, and starts it again: the
// browser is still signed in with the same cart.
func TestRunRestartKeepsSessions(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "data", "shop.db")
	args := []string{"-addr", "127.0.0.1:0", "-db", db}
	srv := startRun(t, args, nil)
	wantLog(t, srv.logs, "level=WARN", "TYPEDSESSION_SECRET is unset: generated", "file="+filepath.Join(dir, "data", secretFile))
	wantLog(t, srv.logs, "sessions are stored in SQLite", "db="+db)
	wantLog(t, srv.logs, "msg=listening", "secure_cookies=false")

	c := httpClient(t)
	_, page := fetch(t, c, "GET", srv.url+"signin", nil)
	token := csrfOf(t, page)
	if code, _ := fetch(t, c, "POST", srv.url+"signin", url.Values{csrfField: {token}, "login": {"alice"}, "password": {"wonderland"}}); code != http.StatusSeeOther {
		t.Fatalf("sign in: status %d, want 303", code)
	}
	_, page = fetch(t, c, "GET", srv.url, nil)
	token = csrfOf(t, page)
	if code, _ := fetch(t, c, "POST", srv.url+"cart/add", url.Values{csrfField: {token}, "sku": {"coffee"}, "qty": {"2"}}); code != http.StatusSeeOther {
		t.Fatalf("add: status %d, want 303", code)
	}
	if err := srv.stop(); err != nil {
		t.Fatalf("run: %v", err)
	}
	wantLog(t, srv.logs, "msg=\"shutting down\"")

	srv = startRun(t, []string{"-addr", strings.TrimSuffix(strings.TrimPrefix(srv.url, "http://"), "/"), "-db", db}, nil)
	wantLog(t, srv.logs, "level=WARN", "using the secret generated earlier")
	_, page = fetch(t, c, "GET", srv.url+"cart", nil)
	if got := who(page); got != "Signed in as Alice" {
		t.Errorf("after restart: who = %q, want %q", got, "Signed in as Alice")
	}
	if d := cmp.Diff([]CartLine{{"coffee", 2}}, cartOf(page)); d != "" {
		t.Errorf("after restart: cart (-want +got):\n%s", d)
	}
}

func TestRunFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr string
	}{
		{"short secret", []string{"-addr", "127.0.0.1:0"}, map[string]string{secretEnv: "too short"}, "Secret"},
		{"unknown store", []string{"-addr", "127.0.0.1:0", "-store", "nosuch://x"}, nil, "unknown store"},
		{"unknown flag", []string{"-nope"}, nil, "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"-db", filepath.Join(t.TempDir(), "shop.db")}, tt.args...)
			err := run(context.Background(), args, func(k string) string { return tt.env[k] }, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("run(%q) = %v, want an error containing %q", tt.args, err, tt.wantErr)
			}
		})
	}
}

func TestRunWithStoreURL(t *testing.T) {
	srv := startRun(t, []string{"-addr", "127.0.0.1:0", "-store", "memory", "-db", filepath.Join(t.TempDir(), "unused.db")},
		map[string]string{secretEnv: testSecret})
	wantLog(t, srv.logs, "sessions are stored in the -store store", "store=memory")
	if strings.Contains(srv.logs.String(), "TYPEDSESSION_SECRET is unset") {
		t.Error("warned about an unset secret that was set")
	}
	c := httpClient(t)
	if code, _ := fetch(t, c, "GET", srv.url, nil); code != http.StatusOK {
		t.Errorf("GET /: status %d", code)
	}
	if strings.Contains(srv.logs.String(), testSecret) {
		t.Error("the secret was logged")
	}
}

func TestLoadSecret(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache")
	logs := &logBuffer{}
	log := slogTo(logs)
	noEnv := func(string) string { return "" }

	fromEnv, err := loadSecret(func(k string) string { return map[string]string{secretEnv: "from-env"}[k] }, dir, log)
	if err != nil || fromEnv != "from-env" {
		t.Fatalf("with %s set: %q, %v", secretEnv, fromEnv, err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Error("a secret file was written although the variable is set")
	}

	first, err := loadSecret(noEnv, dir, log)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) < 32 {
		t.Errorf("generated secret has %d bytes, want at least 32", len(first))
	}
	path := filepath.Join(dir, secretFile)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("secret file mode %v, want 0600", fi.Mode().Perm())
	}
	second, err := loadSecret(noEnv, dir, log)
	if err != nil || second != first {
		t.Errorf("second start: %v, and the secret changed: %v", err, second != first)
	}
	if strings.Contains(logs.String(), first) {
		t.Error("the secret was logged")
	}

	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := loadSecret(noEnv, dir, log); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("world-readable secret file: err = %v, want one that says chmod 600", err)
	}
}

func TestRunSecureCookies(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		secure   bool
		wantWarn bool
	}{
		{"loopback", []string{"-addr", "127.0.0.1:0"}, false, false},
		{"loopback behind HTTPS", []string{"-addr", "127.0.0.1:0", "-https"}, true, false},
		{"all interfaces", []string{"-addr", ":0"}, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"-store", "memory", "-db", filepath.Join(t.TempDir(), "unused.db")}, tt.args...)
			srv := startRun(t, args, map[string]string{secretEnv: testSecret})
			wantLog(t, srv.logs, "msg=listening", fmt.Sprintf("secure_cookies=%v", tt.secure))
			if warned := len(srv.logs.lines("cookies are Secure because")) > 0; warned != tt.wantWarn {
				t.Errorf("warned about Secure cookies: %v, want %v", warned, tt.wantWarn)
			}
			// The cookie a client gets says the same.
			port := srv.url[strings.LastIndex(srv.url, ":"):]
			res, err := http.Get("http://127.0.0.1" + port)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			cookies := res.Cookies()
			if len(cookies) != 1 || cookies[0].Secure != tt.secure {
				t.Errorf("cookies %v, want one with Secure=%v", cookies, tt.secure)
			}
		})
	}
}
