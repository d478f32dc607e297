package sessiontest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store"
)

// Outage says how a test takes its store down and brings it back, for
// RunOutage.
type Outage struct {
	// Break makes the store's operations fail: stop the server, rename
	// the table or directory away.
	Break func(t *testing.T)
	// Restore undoes Break.
	Restore func(t *testing.T)
	// Recovery bounds how long the store may take to work again after
	// Restore, for clients that reconnect in the background; zero means
	// the next request must succeed.
	Recovery time.Duration
}

// RunOutage checks "nothing lost, nothing hidden" through a Manager and its
// middleware over st: while the store is down, a request that loads a
// session and one that creates a session get the error handler's 500 and
// no session cookie (never a response claiming a save that did not
// happen); once it is back, the same Manager, without a restart, serves the
// session saved before the outage.
func RunOutage(t *testing.T, st store.Store, o Outage) {
	t.Helper()
	m, err := session.NewManager(session.Config{
		Store:  st,
		Secret: Secret,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(m.Handler(http.HandlerFunc(testCookieHandler)))
	defer srv.Close()

	status, cookie, _ := get(t, srv.URL+"/set", nil)
	if status != http.StatusOK || cookie == nil {
		t.Fatalf("/set: status %d, cookie %v; want 200 and a session cookie", status, cookie)
	}
	o.Break(t)
	if status, set, _ := get(t, srv.URL+"/get", cookie); status != http.StatusInternalServerError || set != nil {
		t.Errorf("loading while the store is down: status %d, cookie %v; want 500 and no cookie", status, set)
	}
	if status, set, _ := get(t, srv.URL+"/set", nil); status != http.StatusInternalServerError || set != nil {
		t.Errorf("creating while the store is down: status %d, cookie %v; want 500 and no cookie", status, set)
	}
	o.Restore(t)
	deadline := time.Now().Add(o.Recovery)
	for {
		status, _, body := get(t, srv.URL+"/get", cookie)
		if status == http.StatusOK && body == "true" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the store came back: status %d, body %q; want 200 and the session saved before the outage", status, body)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// testCookieHandler sets the session's test cookie on /set and reports it
// on /get.
func testCookieHandler(w http.ResponseWriter, r *http.Request) {
	s, err := session.FromContext(r.Context())
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	switch r.URL.Path {
	case "/set":
		s.SetTestCookie()
	case "/get":
		if err := s.Load(r.Context()); err != nil {
			return // the middleware answers with its error handler
		}
		fmt.Fprint(w, s.TestCookieWorked())
	}
}

// get requests url with cookie (if any) and returns the status, the
// session cookie the response set (if any) and the body.
func get(t *testing.T, url string, cookie *http.Cookie) (int, *http.Cookie, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cookie != nil {
		req.AddCookie(cookie)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var set *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == session.DefaultCookieName {
			set = c
		}
	}
	return resp.StatusCode, set, string(body)
}
