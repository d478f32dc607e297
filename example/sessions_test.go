package main

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store/storeurl"
)

// User-Agent headers of the test's "devices".
const (
	uaFirefoxLinux  = "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0"
	uaSafariIPhone  = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1"
	uaChromeWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"
)

// signedInDevice is a new client with User-Agent ua, signed in as login.
func (ts *testShop) signedInDevice(t *testing.T, ua, login string) *client {
	t.Helper()
	c := ts.client(t)
	c.ua = ua
	c.signIn(login, demoPasswords[login])
	return c
}

// listedSession is a row of the "Your sessions" page, as far as the tests
// check it.
type listedSession struct {
	Device, Network string
	Current         bool
	Handle          string
}

var sessionRowRE = regexp.MustCompile(`(?s)<tr data-handle="([^"]+)"( class="current")?>\s*<td class="device">(.*?)</td>\s*<td class="network">(.*?)</td>`)

// sessionsOf returns the rows of the "Your sessions" page.
func sessionsOf(body string) []listedSession {
	var out []listedSession
	for _, m := range sessionRowRE.FindAllStringSubmatch(body, -1) {
		out = append(out, listedSession{
			Handle:  html.UnescapeString(m[1]),
			Current: m[2] != "",
			Device:  html.UnescapeString(tagRE.ReplaceAllString(m[3], "")),
			Network: html.UnescapeString(m[4]),
		})
	}
	return out
}

// sessions returns c's "Your sessions" page and its rows, failing the test
// unless the page is shown.
func (c *client) sessions() (string, []listedSession) {
	c.t.Helper()
	res := c.get("/sessions")
	if res.code != http.StatusOK {
		c.t.Fatalf("GET /sessions: status %d, want 200; body:\n%s", res.code, res.body)
	}
	return res.body, sessionsOf(res.body)
}

// handles returns the rows' handles, and that of the one marked current.
func handles(rows []listedSession) (others []string, current string) {
	for _, r := range rows {
		if r.Current {
			current = r.Handle
		} else {
			others = append(others, r.Handle)
		}
	}
	return others, current
}

func second[A, B any](_ A, b B) B { return b }

// byDevice sorts rows by device before comparing them.
var byDevice = cmpopts.SortSlices(func(a, b listedSession) bool { return a.Device < b.Device })

// ignoreHandle leaves the random handles out of row comparisons.
var ignoreHandle = cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Handle" }, cmp.Ignore())

func TestYourSessionsLists(t *testing.T) {
	ts := newTestShop(t, nil)
	laptop := ts.signedInDevice(t, uaFirefoxLinux, "alice")
	phone := ts.signedInDevice(t, uaSafariIPhone, "alice")
	ts.signedInDevice(t, uaChromeWindows, "bob") // not Alice's: not listed

	if !strings.Contains(laptop.get("/").body, `href="/sessions"`) {
		t.Error("the layout of a signed-in page has no link to /sessions")
	}
	body, rows := laptop.sessions()
	// The list is most recently active first, but both were active in the
	// same second: compare in device order.
	want := []listedSession{
		{Device: "Firefox on Linux (this device)", Network: "192.0.2.0/24", Current: true},
		{Device: "Safari on iOS", Network: "192.0.2.0/24"},
	}
	if d := cmp.Diff(want, rows, ignoreHandle, byDevice); d != "" {
		t.Errorf("Alice's sessions seen from her laptop (-want +got):\n%s\npage:\n%s", d, body)
	}
	if !strings.Contains(body, `id="revoke-others"`) {
		t.Error(`no "Sign out everywhere else" form with two sessions`)
	}
	if strings.Count(body, `action="/sessions/revoke"`) != 1 {
		t.Errorf("want one sign-out button (the other session's), page:\n%s", body)
	}

	_, fromLaptop := handles(rows)
	_, fromPhone := handles(second(phone.sessions()))
	if fromPhone == "" || fromPhone == fromLaptop {
		t.Errorf("the phone's page marks %q current, the laptop's %q: want each its own", fromPhone, fromLaptop)
	}
	for _, r := range rows {
		if strings.Contains(r.Handle, laptop.sessionKey()) || strings.Contains(r.Handle, phone.sessionKey()) {
			t.Errorf("handle %q reveals a session key", r.Handle)
		}
	}
}

func TestYourSessionsAlone(t *testing.T) {
	ts := newTestShop(t, nil)
	c := ts.signedInDevice(t, uaFirefoxLinux, "alice")
	body, rows := c.sessions()
	if len(rows) != 1 || !rows[0].Current {
		t.Errorf("rows = %+v, want only this device", rows)
	}
	if strings.Contains(body, `id="revoke-others"`) || strings.Contains(body, `action="/sessions/revoke"`) {
		t.Errorf("sign-out buttons shown with no other session:\n%s", body)
	}
}

func TestYourSessionsNeedsSignIn(t *testing.T) {
	ts := newTestShop(t, nil)
	c := ts.client(t)
	res := c.get("/sessions")
	if res.code != http.StatusSeeOther || res.header.Get("Location") != "/signin" {
		t.Fatalf("GET /sessions signed out: status %d to %q, want 303 to /signin", res.code, res.header.Get("Location"))
	}
	if d := cmp.Diff([]string{"Sign in to see where you are signed in."}, flashes(c.get("/signin").body)); d != "" {
		t.Errorf("flash (-want +got):\n%s", d)
	}
	for _, action := range []string{"/sessions/revoke", "/sessions/revoke-others"} {
		res := c.submit("/", action, url.Values{"handle": {"x"}})
		if res.code != http.StatusSeeOther || res.header.Get("Location") != "/signin" {
			t.Errorf("POST %s signed out: status %d to %q, want 303 to /signin", action, res.code, res.header.Get("Location"))
		}
	}
}

func TestRevokeSession(t *testing.T) {
	ts := newTestShop(t, nil)
	laptop := ts.signedInDevice(t, uaFirefoxLinux, "alice")
	phone := ts.signedInDevice(t, uaSafariIPhone, "alice")
	_, rows := laptop.sessions()
	others, _ := handles(rows)
	if len(others) != 1 {
		t.Fatalf("other sessions %v, want the phone's", others)
	}

	res := laptop.submit("/sessions", "/sessions/revoke", url.Values{"handle": {others[0]}})
	if res.code != http.StatusSeeOther || res.header.Get("Location") != "/sessions" {
		t.Fatalf("revoke: status %d to %q, want 303 to /sessions; body:\n%s", res.code, res.header.Get("Location"), res.body)
	}
	body, rows := laptop.sessions()
	if d := cmp.Diff([]string{"That session is signed out."}, flashes(body)); d != "" {
		t.Errorf("flash (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]listedSession{{Device: "Firefox on Linux (this device)", Network: "192.0.2.0/24", Current: true}}, rows, ignoreHandle); d != "" {
		t.Errorf("sessions after revoking the phone (-want +got):\n%s", d)
	}
	if got := who(phone.get("/cart").body); got != "Not signed in" {
		t.Errorf("the phone's next request: who = %q, want Not signed in", got)
	}
	if got := who(laptop.get("/").body); got != "Signed in as Alice" {
		t.Errorf("the laptop: who = %q, want still signed in", got)
	}
	wantLog(t, ts.logs, "path=/sessions/revoke", "session.event=revoked")

	// Revoking it again: already gone.
	laptop.submit("/sessions", "/sessions/revoke", url.Values{"handle": {others[0]}})
	if d := cmp.Diff([]string{"That session had already ended."}, flashes(laptop.get("/sessions").body)); d != "" {
		t.Errorf("second revoke: flash (-want +got):\n%s", d)
	}
}

func TestRevokeSessionOfAnotherUser(t *testing.T) {
	ts := newTestShop(t, nil)
	alice := ts.signedInDevice(t, uaFirefoxLinux, "alice")
	bob := ts.signedInDevice(t, uaChromeWindows, "bob")
	_, rows := alice.sessions()
	_, aliceHandle := handles(rows)

	bob.submit("/sessions", "/sessions/revoke", url.Values{"handle": {aliceHandle}})
	if d := cmp.Diff([]string{"That session had already ended."}, flashes(bob.get("/sessions").body)); d != "" {
		t.Errorf("Bob revoking Alice's handle: flash (-want +got):\n%s", d)
	}
	if got := who(alice.get("/").body); got != "Signed in as Alice" {
		t.Errorf("Alice after Bob tried to revoke her session: who = %q", got)
	}
}

func TestRevokeCurrentSessionRefused(t *testing.T) {
	ts := newTestShop(t, nil)
	c := ts.signedInDevice(t, uaFirefoxLinux, "alice")
	_, rows := c.sessions()
	_, current := handles(rows)
	c.submit("/sessions", "/sessions/revoke", url.Values{"handle": {current}})
	body := c.get("/sessions").body
	if d := cmp.Diff([]string{"To sign out this device, use Sign out."}, flashes(body)); d != "" {
		t.Errorf("flash (-want +got):\n%s", d)
	}
	if got := who(body); got != "Signed in as Alice" {
		t.Errorf("who = %q, want still signed in", got)
	}
}

func TestRevokeOtherSessions(t *testing.T) {
	ts := newTestShop(t, nil)
	laptop := ts.signedInDevice(t, uaFirefoxLinux, "alice")
	phone := ts.signedInDevice(t, uaSafariIPhone, "alice")
	desktop := ts.signedInDevice(t, uaChromeWindows, "alice")
	bob := ts.signedInDevice(t, uaChromeWindows, "bob")
	laptop.add("tea", 2)

	res := laptop.submit("/sessions", "/sessions/revoke-others", nil)
	if res.code != http.StatusSeeOther || res.header.Get("Location") != "/sessions" {
		t.Fatalf("revoke others: status %d to %q, want 303 to /sessions; body:\n%s", res.code, res.header.Get("Location"), res.body)
	}
	body, rows := laptop.sessions()
	if d := cmp.Diff([]string{"Signed out 2 other sessions."}, flashes(body)); d != "" {
		t.Errorf("flash (-want +got):\n%s", d)
	}
	if len(rows) != 1 || !rows[0].Current {
		t.Errorf("sessions after signing out the others: %+v, want only this device", rows)
	}
	for name, c := range map[string]*client{"phone": phone, "desktop": desktop} {
		if got := who(c.get("/").body); got != "Not signed in" {
			t.Errorf("Alice's %s: who = %q, want Not signed in", name, got)
		}
	}
	page := laptop.get("/cart").body
	if got := who(page); got != "Signed in as Alice" {
		t.Errorf("the laptop: who = %q, want still signed in", got)
	}
	if d := cmp.Diff([]CartLine{{"tea", 2}}, cartOf(page)); d != "" {
		t.Errorf("the laptop's cart (-want +got):\n%s", d)
	}
	if got := who(bob.get("/").body); got != "Signed in as Bob" {
		t.Errorf("Bob: who = %q, want still signed in", got)
	}
	wantLog(t, ts.logs, "SECURITY signed out the other sessions", "count=2")

	laptop.submit("/sessions", "/sessions/revoke-others", nil)
	if d := cmp.Diff([]string{"You were signed in nowhere else."}, flashes(laptop.get("/sessions").body)); d != "" {
		t.Errorf("again: flash (-want +got):\n%s", d)
	}
}

func TestRevokeNeedsCSRFToken(t *testing.T) {
	ts := newTestShop(t, nil)
	laptop := ts.signedInDevice(t, uaFirefoxLinux, "alice")
	phone := ts.signedInDevice(t, uaSafariIPhone, "alice")
	_, rows := laptop.sessions()
	others, _ := handles(rows)

	for _, tt := range []struct {
		action string
		form   url.Values
	}{
		{"/sessions/revoke", url.Values{"handle": others}},
		{"/sessions/revoke", url.Values{"handle": others, csrfField: {"forged"}}},
		{"/sessions/revoke-others", url.Values{}},
		{"/sessions/revoke-others", url.Values{csrfField: {csrfOf(t, phone.get("/").body)}}}, // another session's token
	} {
		if res := laptop.post(tt.action, tt.form); res.code != http.StatusForbidden {
			t.Errorf("POST %s with form %v: status %d, want 403", tt.action, tt.form, res.code)
		}
	}
	if got := who(phone.get("/").body); got != "Signed in as Alice" {
		t.Errorf("the phone after refused forms: who = %q, want still signed in", got)
	}
	if _, rows := laptop.sessions(); len(rows) != 2 {
		t.Errorf("after refused forms: %d sessions listed, want 2", len(rows))
	}
}

// TestYourSessionsWithCookieStore: with the cookie store the sessions live
// in the browsers, so the page says it cannot list them and the forms
// change nothing; the shop still runs.
func TestYourSessionsWithCookieStore(t *testing.T) {
	st, closer, err := storeurl.Open(context.Background(), "cookie", storeurl.Options{Secret: testSecret})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { closer.Close() })
	ts := newTestShop(t, st)
	laptop := ts.signedInDevice(t, uaFirefoxLinux, "alice")
	phone := ts.signedInDevice(t, uaSafariIPhone, "alice")

	body, rows := laptop.sessions()
	if !strings.Contains(body, `id="sessions-unavailable"`) || rows != nil {
		t.Errorf("with the cookie store: rows %v, and the page should say the sessions cannot be listed:\n%s", rows, body)
	}
	for _, action := range []string{"/sessions/revoke", "/sessions/revoke-others"} {
		res := laptop.submit("/sessions", action, url.Values{"handle": {"x"}})
		if res.code != http.StatusSeeOther {
			t.Errorf("POST %s: status %d, want 303", action, res.code)
		}
		if d := cmp.Diff([]string{"Other sessions cannot be signed out with this store."}, flashes(laptop.get("/sessions").body)); d != "" {
			t.Errorf("POST %s: flash (-want +got):\n%s", action, d)
		}
	}
	if got := who(phone.get("/").body); got != "Signed in as Alice" {
		t.Errorf("the phone: who = %q, want still signed in", got)
	}
}

func TestSessionRowsPutThisDeviceFirst(t *testing.T) {
	list := []session.SessionInfo{{Handle: "a"}, {Handle: "b"}, {Handle: "c"}}
	var got []string
	for _, r := range sessionRows(list, "b") {
		got = append(got, r.Handle+map[bool]string{true: "*"}[r.Current])
	}
	if d := cmp.Diff([]string{"b*", "a", "c"}, got); d != "" {
		t.Errorf("rows (-want +got):\n%s", d)
	}
}
