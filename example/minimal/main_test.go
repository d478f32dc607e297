package main

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"
)

const testSecret = "minimal-example-test-secret-7f3a9c2e51b84d06"

// get requests path from srv with client and returns the body.
func get(t *testing.T, client *http.Client, srv *httptest.Server, path string) string {
	t.Helper()
	resp, err := client.Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
	}
	return string(body)
}

func newClient(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar}
}

// TestVisitsCounted runs the program's handler: each browser's count goes
// up by one a request, carried by its session cookie.
func TestVisitsCounted(t *testing.T) {
	app, err := newApp(testSecret)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(app)
	defer srv.Close()

	alice, bob := newClient(t), newClient(t)
	steps := []struct {
		who    string
		client *http.Client
		want   string
	}{
		{"alice", alice, "visit 1\n"},
		{"alice", alice, "visit 2\n"},
		{"bob", bob, "visit 1\n"}, // a browser of its own, a session of its own
		{"alice", alice, "visit 3\n"},
	}
	for i, st := range steps {
		if got := get(t, st.client, srv, "/"); got != st.want {
			t.Errorf("step %d (%s): body %q, want %q", i, st.who, got, st.want)
		}
	}
}

func TestShortSecretRefused(t *testing.T) {
	_, err := newApp("")
	if err == nil || !strings.Contains(err.Error(), "openssl rand") {
		t.Errorf("newApp(\"\") error = %v, want one that says how to make a secret", err)
	}
}
