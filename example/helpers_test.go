package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store"
	"github.com/typedsession/typedsession/runtime/store/memstore"
)

const testSecret = "test-secret-test-secret-test-secret-0123456789"

// logBuffer collects log output for assertions.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// lines returns the log lines that contain every one of parts.
func (l *logBuffer) lines(parts ...string) []string {
	var out []string
	for _, line := range strings.Split(l.String(), "\n") {
		if line != "" && containsAll(line, parts...) {
			out = append(out, line)
		}
	}
	return out
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// wantLog fails the test unless a log line contains all of parts.
func wantLog(t *testing.T, logs *logBuffer, parts ...string) {
	t.Helper()
	if len(logs.lines(parts...)) == 0 {
		t.Errorf("no log line contains all of %q; the log:\n%s", parts, logs)
	}
}

// testShop is a shop over st (a fresh memstore when nil) whose log goes to
// a buffer.
type testShop struct {
	h     http.Handler
	logs  *logBuffer
	store store.Store
}

func newTestShop(t *testing.T, st store.Store) *testShop {
	t.Helper()
	if st == nil {
		m := memstore.New()
		t.Cleanup(func() { m.Close() })
		st = m
	}
	logs := &logBuffer{}
	sh, err := newShop(shopConfig{
		Store:  st,
		Secret: testSecret,
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Users:  cheapUsers(t),
	})
	if err != nil {
		t.Fatal(err)
	}
	return &testShop{h: sh.handler(), logs: logs, store: st}
}

// cheapUsers are the demo users with the demo passwords hashed at
// a thousand iterations, so that the many sign-ins of the tests (slow
// under the race detector at the real count) take milliseconds.
// TestDemoUsers checks the real hashes.
func cheapUsers(t *testing.T) map[string]user {
	t.Helper()
	users := demoUsers()
	for login, password := range demoPasswords {
		u := users[login]
		h, err := hashPassword(password, 1000)
		if err != nil {
			t.Fatal(err)
		}
		u.Hash = h
		users[login] = u
	}
	return users
}

// demoPasswords are the passwords the sign-in page lists.
var demoPasswords = map[string]string{"alice": "wonderland", "bob": "builder"}

// shopURL is where test clients believe the shop is.
var shopURL = &url.URL{Scheme: "http", Host: "shop.test", Path: "/"}

// client is a browser stand-in: it keeps cookies and sends requests straight
// to the handler.
type client struct {
	t   *testing.T
	h   http.Handler
	jar *cookiejar.Jar
	ua  string // the User-Agent header it sends, none when empty
}

func (ts *testShop) client(t *testing.T) *client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &client{t: t, h: ts.h, jar: jar}
}

// response is what a request returned.
type response struct {
	code   int
	header http.Header
	body   string
}

func (c *client) get(path string) response {
	return c.do(httptest.NewRequest(http.MethodGet, shopURL.ResolveReference(&url.URL{Path: path}).String(), nil))
}

func (c *client) post(path string, form url.Values) response {
	r := httptest.NewRequest(http.MethodPost, shopURL.ResolveReference(&url.URL{Path: path}).String(), strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(r)
}

func (c *client) do(r *http.Request) response {
	c.t.Helper()
	for _, ck := range c.jar.Cookies(shopURL) {
		r.AddCookie(ck)
	}
	if c.ua != "" {
		r.Header.Set("User-Agent", c.ua)
	}
	rec := httptest.NewRecorder()
	c.h.ServeHTTP(rec, r)
	res := rec.Result()
	c.jar.SetCookies(shopURL, res.Cookies())
	body, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return response{code: res.StatusCode, header: res.Header, body: string(body)}
}

// submit posts a form from the page at page, with that page's CSRF token,
// as a browser does when a button is clicked.
func (c *client) submit(page, action string, form url.Values) response {
	c.t.Helper()
	p := c.get(page)
	if p.code != http.StatusOK {
		c.t.Fatalf("GET %s: status %d", page, p.code)
	}
	f := url.Values{csrfField: {csrfOf(c.t, p.body)}}
	for k, v := range form {
		f[k] = v
	}
	return c.post(action, f)
}

func (c *client) signIn(login, password string) {
	c.t.Helper()
	res := c.submit("/signin", "/signin", url.Values{"login": {login}, "password": {password}})
	if res.code != http.StatusSeeOther {
		c.t.Fatalf("sign in as %s: status %d, want 303; body:\n%s", login, res.code, res.body)
	}
}

func (c *client) add(sku string, qty int) response {
	c.t.Helper()
	return c.submit("/", "/cart/add", url.Values{"sku": {sku}, "qty": {strconv.Itoa(qty)}})
}

// sessionKey returns the session cookie's value, "" if there is none.
func (c *client) sessionKey() string {
	for _, ck := range c.jar.Cookies(shopURL) {
		if ck.Name == sessionCookie {
			return ck.Value
		}
	}
	return ""
}

func (c *client) setSessionKey(v string) {
	c.jar.SetCookies(shopURL, []*http.Cookie{{Name: sessionCookie, Value: v, Path: "/"}})
}

// clone returns a client with a copy of c's cookies: a second tab of the
// same browser at this moment.
func (c *client) clone() *client {
	jar, _ := cookiejar.New(nil)
	jar.SetCookies(shopURL, c.jar.Cookies(shopURL))
	return &client{t: c.t, h: c.h, jar: jar, ua: c.ua}
}

var (
	csrfRE  = regexp.MustCompile(`name="csrf" value="([^"]*)"`)
	whoRE   = regexp.MustCompile(`(?s)<span id="who">(.*?)</span>`)
	flashRE = regexp.MustCompile(`(?s)<ul id="flash">(.*?)</ul>`)
	liRE    = regexp.MustCompile(`(?s)<li>(.*?)</li>`)
	rowRE   = regexp.MustCompile(`(?s)<tr data-sku="([^"]+)">.*?<td class="qty">(\d+)</td>`)
	visitRE = regexp.MustCompile(`Visit (\d+) of this browser, (\d+) of this page`)
	tagRE   = regexp.MustCompile(`<[^>]+>`)
)

func csrfOf(t *testing.T, body string) string {
	t.Helper()
	m := csrfRE.FindStringSubmatch(body)
	if m == nil || m[1] == "" {
		t.Fatalf("no CSRF token on the page:\n%s", body)
	}
	return m[1]
}

// who returns the page's sign-in status: "Signed in as Alice" or "Not
// signed in".
func who(body string) string {
	m := whoRE.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(tagRE.ReplaceAllString(m[1], ""))
}

// flashes returns the page's flash messages.
func flashes(body string) []string {
	m := flashRE.FindStringSubmatch(body)
	if m == nil {
		return nil
	}
	var out []string
	for _, li := range liRE.FindAllStringSubmatch(m[1], -1) {
		out = append(out, html.UnescapeString(li[1]))
	}
	return out
}

// cartOf returns the cart page's lines.
func cartOf(body string) []CartLine {
	var out []CartLine
	for _, m := range rowRE.FindAllStringSubmatch(body, -1) {
		n, _ := strconv.Atoi(m[2])
		out = append(out, CartLine{SKU: m[1], Qty: n})
	}
	return out
}

// visits returns the footer's counters.
func visits(body string) (browser, page int) {
	m := visitRE.FindStringSubmatch(body)
	if m == nil {
		return -1, -1
	}
	b, _ := strconv.Atoi(m[1])
	p, _ := strconv.Atoi(m[2])
	return b, p
}

// flakyStore is a store whose operations can be made to fail.
type flakyStore struct {
	store.Store
	mu   sync.Mutex
	down map[string]bool
	// beforeSave, when set, runs at the start of every Save.
	beforeSave func()
}

var errStoreDown = errors.New("the store is down")

func newFlakyStore(t *testing.T) *flakyStore {
	m := memstore.New()
	t.Cleanup(func() { m.Close() })
	return &flakyStore{Store: m, down: map[string]bool{}}
}

// fail makes the named operations (load, save, delete, cycle) fail until
// fail is called again.
func (f *flakyStore) fail(ops ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	clear(f.down)
	for _, op := range ops {
		f.down[op] = true
	}
}

func (f *flakyStore) check(op string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down[op] {
		return fmt.Errorf("flakystore: %s: %w", op, errStoreDown)
	}
	return nil
}

func (f *flakyStore) Load(ctx context.Context, key string) ([]byte, bool, error) {
	if err := f.check("load"); err != nil {
		return nil, false, err
	}
	return f.Store.Load(ctx, key)
}

func (f *flakyStore) Save(ctx context.Context, key string, data []byte, expiry time.Time, mustCreate bool) error {
	if err := f.check("save"); err != nil {
		return err
	}
	if f.beforeSave != nil {
		f.beforeSave()
	}
	return f.Store.Save(ctx, key, data, expiry, mustCreate)
}

func (f *flakyStore) Delete(ctx context.Context, key string) error {
	if err := f.check("delete"); err != nil {
		return err
	}
	return f.Store.Delete(ctx, key)
}

func (f *flakyStore) Cycle(ctx context.Context, oldKey, newKey string, data []byte, expiry time.Time) error {
	if err := f.check("cycle"); err != nil {
		return err
	}
	return f.Store.(store.Cycler).Cycle(ctx, oldKey, newKey, data, expiry)
}

// record returns the stored bytes of the session with cookie key key, nil
// if there are none.
func record(t *testing.T, st store.Store, key string) []byte {
	t.Helper()
	data, found, err := st.Load(context.Background(), session.StoreKey(key))
	if err != nil {
		t.Fatal(err)
	}
	if !found {
		return nil
	}
	return bytes.Clone(data)
}

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

func slogTo(w io.Writer) *slog.Logger { return slog.New(slog.NewTextHandler(w, nil)) }

func newRecorderGet(h http.Handler, path string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, shopURL.ResolveReference(&url.URL{Path: path}).String(), nil))
	return rec
}

func timeIn(d time.Duration) time.Time { return time.Now().Add(d) }
