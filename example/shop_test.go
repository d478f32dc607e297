package main

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store/storeurl"
)

func TestHome(t *testing.T) {
	ts := newTestShop(t, nil)
	c := ts.client(t)
	res := c.get("/")
	if res.code != http.StatusOK {
		t.Fatalf("GET /: status %d, want 200", res.code)
	}
	for _, p := range catalog {
		if !strings.Contains(res.body, `id="product-`+p.SKU+`"`) || !strings.Contains(res.body, p.PriceText()) {
			t.Errorf("GET /: product %s (%s) missing", p.Name, p.PriceText())
		}
	}
	if got := who(res.body); got != "Not signed in" {
		t.Errorf("who = %q, want %q", got, "Not signed in")
	}
	if c.sessionKey() == "" {
		t.Error("GET / set no session cookie; the CSRF token and visit counter need one")
	}
	wantLog(t, ts.logs, "msg=request", "method=GET", "path=/", "status=200", "session.load=new", "session.save=saved")
}

func TestSessionCookieAttributes(t *testing.T) {
	for _, secure := range []bool{false, true} {
		t.Run("secure="+map[bool]string{false: "false", true: "true"}[secure], func(t *testing.T) {
			sh, err := newShop(shopConfig{Store: newFlakyStore(t), Secret: testSecret, SecureCookies: secure, Logger: discardLogger()})
			if err != nil {
				t.Fatal(err)
			}
			rec := newRecorderGet(sh.handler(), "/")
			cookies := rec.Result().Cookies()
			if len(cookies) != 1 {
				t.Fatalf("got %d cookies, want 1: %v", len(cookies), rec.Header()["Set-Cookie"])
			}
			ck := cookies[0]
			got := map[string]any{
				"name": ck.Name, "httponly": ck.HttpOnly, "secure": ck.Secure,
				"samesite": ck.SameSite, "maxage": ck.MaxAge, "path": ck.Path,
			}
			want := map[string]any{
				"name": sessionCookie, "httponly": true, "secure": secure,
				"samesite": http.SameSiteLaxMode, "maxage": int(idleTimeout.Seconds()), "path": "/",
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("cookie attributes (-want +got):\n%s", d)
			}
		})
	}
}

func TestSecurityHeaders(t *testing.T) {
	ts := newTestShop(t, nil)
	c := ts.client(t)
	for _, path := range []string{"/", "/cart", "/signin", "/nope"} {
		res := c.get(path)
		for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"} {
			if res.header.Get(h) == "" {
				t.Errorf("GET %s: no %s header", path, h)
			}
		}
	}
	if got := c.get("/cart").header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("GET /cart: Cache-Control %q, want no-store", got)
	}
}

func TestRoutes(t *testing.T) {
	ts := newTestShop(t, nil)
	c := ts.client(t)
	tests := []struct {
		method, path string
		want         int
	}{
		{"GET", "/", http.StatusOK},
		{"GET", "/cart", http.StatusOK},
		{"GET", "/signin", http.StatusOK},
		{"GET", "/static/style.css", http.StatusOK},
		{"GET", "/nope", http.StatusNotFound},
		{"GET", "/signout", http.StatusMethodNotAllowed},
		{"GET", "/cart/add", http.StatusMethodNotAllowed},
		{"POST", "/cart", http.StatusMethodNotAllowed},
	}
	for _, tt := range tests {
		var res response
		if tt.method == "GET" {
			res = c.get(tt.path)
		} else {
			res = c.post(tt.path, url.Values{})
		}
		if res.code != tt.want {
			t.Errorf("%s %s: status %d, want %d", tt.method, tt.path, res.code, tt.want)
		}
	}
	if ct := c.get("/static/style.css").header.Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
		t.Errorf("style.css Content-Type %q, want text/css", ct)
	}
}

func TestVisitCounter(t *testing.T) {
	ts := newTestShop(t, nil)
	c := ts.client(t)
	type counts struct{ Browser, Page int }
	var got []counts
	for _, path := range []string{"/", "/", "/cart", "/", "/signin"} {
		b, p := visits(c.get(path).body)
		got = append(got, counts{b, p})
	}
	want := []counts{{1, 1}, {2, 2}, {3, 1}, {4, 3}, {5, 1}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("visit counters (-want +got):\n%s", d)
	}
}

func TestSignIn(t *testing.T) {
	ts := newTestShop(t, nil)
	c := ts.client(t)
	c.get("/")
	before := c.sessionKey()
	c.get("/") // a second visit, to see the counter survive sign-in
	c.signIn("alice", "wonderland")

	after := c.sessionKey()
	if after == "" || after == before {
		t.Errorf("session key after sign-in %q, before %q: want a new key (session fixation defence)", after, before)
	}
	if record(t, ts.store, before) != nil {
		t.Error("the pre-sign-in session is still stored under its old key")
	}
	res := c.get("/")
	if got := who(res.body); got != "Signed in as Alice" {
		t.Errorf("who = %q, want %q", got, "Signed in as Alice")
	}
	if d := cmp.Diff([]string{"Welcome, Alice!"}, flashes(res.body)); d != "" {
		t.Errorf("flash (-want +got):\n%s", d)
	}
	if b, _ := visits(res.body); b != 4 {
		t.Errorf("visit counter %d after three pages and sign-in, want 4: sign-in must keep the session's data", b)
	}
	if got := flashes(c.get("/").body); got != nil {
		t.Errorf("flash shown twice: %q", got)
	}
	wantLog(t, ts.logs, "method=POST", "path=/signin", "status=303", "session.save=saved", "session.event=cycled", "user=Alice")
}

func TestSignInRefused(t *testing.T) {
	tests := []struct{ login, password string }{
		{"alice", "wrong"},
		{"alice", ""},
		{"mallory", "wonderland"},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.login+"/"+tt.password, func(t *testing.T) {
			ts := newTestShop(t, nil)
			c := ts.client(t)
			before := c.sessionKey()
			res := c.submit("/signin", "/signin", url.Values{"login": {tt.login}, "password": {tt.password}})
			if res.code != http.StatusUnauthorized {
				t.Errorf("status %d, want 401", res.code)
			}
			if !strings.Contains(res.body, "Unknown login or wrong password.") {
				t.Errorf("no error message on the page:\n%s", res.body)
			}
			if got := who(c.get("/").body); got != "Not signed in" {
				t.Errorf("who = %q, want %q", got, "Not signed in")
			}
			if before != "" && c.sessionKey() != before {
				t.Error("a failed sign-in changed the session key")
			}
			wantLog(t, ts.logs, "level=WARN", "SECURITY sign-in failed", "security=true")
			if strings.Contains(ts.logs.String(), "wonderland") && tt.password == "wonderland" {
				t.Error("the password was logged")
			}
		})
	}
}

func TestSignInAsAnotherUserEmptiesTheCart(t *testing.T) {
	ts := newTestShop(t, nil)
	c := ts.client(t)
	c.signIn("alice", "wonderland")
	c.add("tea", 2)
	c.signIn("bob", "builder")
	res := c.get("/cart")
	if got := who(res.body); got != "Signed in as Bob" {
		t.Errorf("who = %q, want %q", got, "Signed in as Bob")
	}
	if got := cartOf(res.body); got != nil {
		t.Errorf("Bob's cart holds Alice's lines: %v", got)
	}
}

func TestCart(t *testing.T) {
	ts := newTestShop(t, nil)
	c := ts.client(t)
	c.signIn("alice", "wonderland")
	steps := []struct {
		action    string
		sku       string
		qty       int
		wantFlash []string
		wantCart  []CartLine
	}{
		{"add", "tea", 2, []string{"Added 2 × Tea"}, []CartLine{{"tea", 2}}},
		{"add", "biscuits", 1, []string{"Added 1 × Biscuits"}, []CartLine{{"tea", 2}, {"biscuits", 1}}},
		{"add", "tea", 3, []string{"Added 3 × Tea"}, []CartLine{{"tea", 5}, {"biscuits", 1}}},
		{"remove", "tea", 0, []string{"Removed Tea"}, []CartLine{{"biscuits", 1}}},
		{"remove", "tea", 0, nil, []CartLine{{"biscuits", 1}}},
		{"remove", "biscuits", 0, []string{"Removed Biscuits"}, nil},
	}
	for _, st := range steps {
		var res response
		if st.action == "add" {
			res = c.add(st.sku, st.qty)
		} else {
			res = c.submit("/cart", "/cart/remove", url.Values{"sku": {st.sku}})
		}
		if res.code != http.StatusSeeOther {
			t.Fatalf("%s %s: status %d, want 303", st.action, st.sku, res.code)
		}
		page := c.get("/cart").body
		if d := cmp.Diff(st.wantFlash, flashes(page)); d != "" {
			t.Errorf("%s %d %s: flash (-want +got):\n%s", st.action, st.qty, st.sku, d)
		}
		if d := cmp.Diff(st.wantCart, cartOf(page)); d != "" {
			t.Errorf("%s %d %s: cart (-want +got):\n%s", st.action, st.qty, st.sku, d)
		}
	}
}

func TestCartTotal(t *testing.T) {
	ts := newTestShop(t, nil)
	c := ts.client(t)
	c.add("tea", 2)    // 2 × 4.50
	c.add("coffee", 1) // 7.90
	page := c.get("/cart").body
	if !strings.Contains(page, `<th id="total">€16.90</th>`) {
		t.Errorf("cart total is not €16.90:\n%s", page)
	}
	if !strings.Contains(page, "Cart (3)") {
		t.Errorf("header does not count 3 items:\n%s", page)
	}
}

func TestCartRejectsBadInput(t *testing.T) {
	tests := []struct {
		name string
		path string
		form url.Values
	}{
		{"qty 0", "/cart/add", url.Values{"sku": {"tea"}, "qty": {"0"}}},
		{"qty too large", "/cart/add", url.Values{"sku": {"tea"}, "qty": {"10"}}},
		{"qty not a number", "/cart/add", url.Values{"sku": {"tea"}, "qty": {"two"}}},
		{"unknown product", "/cart/add", url.Values{"sku": {"caviar"}, "qty": {"1"}}},
		{"remove unknown product", "/cart/remove", url.Values{"sku": {"caviar"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestShop(t, nil)
			c := ts.client(t)
			if res := c.submit("/", tt.path, tt.form); res.code != http.StatusBadRequest {
				t.Errorf("status %d, want 400", res.code)
			}
			if got := cartOf(c.get("/cart").body); got != nil {
				t.Errorf("cart changed: %v", got)
			}
		})
	}
}

func TestCartIsCapped(t *testing.T) {
	ts := newTestShop(t, nil)
	c := ts.client(t)
	for range 12 {
		c.add("jam", maxQtyPerAdd)
	}
	if d := cmp.Diff([]CartLine{{"jam", maxQtyPerSKU}}, cartOf(c.get("/cart").body)); d != "" {
		t.Errorf("cart (-want +got):\n%s", d)
	}
}

func TestFlashIsBounded(t *testing.T) {
	ts := newTestShop(t, nil)
	c := ts.client(t)
	token := csrfOf(t, c.get("/").body)
	for range 8 {
		if res := c.post("/cart/add", url.Values{csrfField: {token}, "sku": {"tea"}, "qty": {"1"}}); res.code != http.StatusSeeOther {
			t.Fatalf("add: status %d, want 303", res.code)
		}
	}
	if got := len(flashes(c.get("/").body)); got != 5 {
		t.Errorf("%d flash messages after 8 posts without a page between, want 5", got)
	}
}

func TestSignOut(t *testing.T) {
	ts := newTestShop(t, nil)
	c := ts.client(t)
	c.signIn("alice", "wonderland")
	c.add("tea", 2)
	key := c.sessionKey()
	otherTab := c.clone()

	res := c.submit("/", "/signout", nil)
	if res.code != http.StatusSeeOther {
		t.Fatalf("sign out: status %d, want 303", res.code)
	}
	if record(t, ts.store, key) != nil {
		t.Error("the session is still stored after sign-out")
	}
	if c.sessionKey() == key {
		t.Error("the browser still has the signed-out session's key")
	}
	page := c.get("/cart").body
	if got := who(page); got != "Not signed in" {
		t.Errorf("who = %q, want %q", got, "Not signed in")
	}
	if d := cmp.Diff([]string{"You are signed out."}, flashes(page)); d != "" {
		t.Errorf("flash (-want +got):\n%s", d)
	}
	if got := cartOf(page); got != nil {
		t.Errorf("cart after sign-out: %v", got)
	}

	// The other tab still sends the old key: it is signed out too.
	page = otherTab.get("/cart").body
	if got := who(page); got != "Not signed in" {
		t.Errorf("other tab: who = %q, want %q", got, "Not signed in")
	}
	if got := cartOf(page); got != nil {
		t.Errorf("other tab: cart after sign-out: %v", got)
	}
	wantLog(t, ts.logs, "method=POST", "path=/signout", "status=303", "session.event=flushed")
	wantLog(t, ts.logs, "method=GET", "path=/cart", "session.load=discarded")
}

func TestCSRF(t *testing.T) {
	forms := []struct {
		path string
		form url.Values
	}{
		{"/signin", url.Values{"login": {"alice"}, "password": {"wonderland"}}},
		{"/cart/add", url.Values{"sku": {"tea"}, "qty": {"1"}}},
		{"/cart/remove", url.Values{"sku": {"tea"}}},
		{"/signout", url.Values{}},
	}
	tokens := []struct {
		name  string
		token func(c, other *client) string
	}{
		{"missing", func(c, other *client) string { return "" }},
		{"wrong", func(c, other *client) string { return "AAAA" + csrfOf(c.t, c.get("/").body)[4:] }},
		{"another session's", func(c, other *client) string { return csrfOf(other.t, other.get("/").body) }},
	}
	for _, f := range forms {
		for _, tok := range tokens {
			t.Run(f.path+"/"+tok.name, func(t *testing.T) {
				ts := newTestShop(t, nil)
				c := ts.client(t)
				c.signIn("alice", "wonderland")
				c.add("tea", 1)
				form := url.Values{csrfField: {tok.token(c, ts.client(t))}}
				for k, v := range f.form {
					form[k] = v
				}
				// After token (which may load a page, and count a visit).
				before := record(t, ts.store, c.sessionKey())
				res := c.post(f.path, form)
				if res.code != http.StatusForbidden {
					t.Errorf("status %d, want 403", res.code)
				}
				if !bytes.Equal(record(t, ts.store, c.sessionKey()), before) {
					t.Error("the refused form changed the stored session")
				}
				wantLog(t, ts.logs, "level=WARN", "SECURITY form refused: CSRF token missing or wrong", "path="+f.path)
				wantLog(t, ts.logs, "msg=request", "method=POST", "path="+f.path, "status=403")
			})
		}
	}
}

func TestCSRFWithoutSession(t *testing.T) {
	ts := newTestShop(t, nil)
	c := ts.client(t)
	res := c.post("/cart/add", url.Values{csrfField: {"anything"}, "sku": {"tea"}, "qty": {"1"}})
	if res.code != http.StatusForbidden {
		t.Errorf("status %d, want 403", res.code)
	}
	if c.sessionKey() != "" {
		t.Error("a refused form created a session")
	}
}

func TestCSRFTokenRotatesAtSignIn(t *testing.T) {
	ts := newTestShop(t, nil)
	c := ts.client(t)
	old := csrfOf(t, c.get("/").body)
	c.signIn("alice", "wonderland")
	if got := csrfOf(t, c.get("/").body); got == old {
		t.Error("the CSRF token is the same after sign-in")
	}
	if res := c.post("/cart/add", url.Values{csrfField: {old}, "sku": {"tea"}, "qty": {"1"}}); res.code != http.StatusForbidden {
		t.Errorf("the pre-sign-in token still works: status %d, want 403", res.code)
	}
}

func TestTamperedCookie(t *testing.T) {
	ts := newTestShop(t, nil)
	c := ts.client(t)
	c.signIn("alice", "wonderland")
	c.add("tea", 2)
	key := c.sessionKey()
	// Another valid-looking key: the store has no such session.
	c.setSessionKey(flip(key))

	page := c.get("/cart").body
	if got := who(page); got != "Not signed in" {
		t.Errorf("who = %q, want %q", got, "Not signed in")
	}
	if got := cartOf(page); got != nil {
		t.Errorf("cart with a tampered cookie: %v", got)
	}
	if c.sessionKey() == flip(key) {
		t.Error("the shop adopted the key the client made up")
	}
	wantLog(t, ts.logs, "path=/cart", "session.load=discarded")
	if record(t, ts.store, key) == nil {
		t.Error("the genuine session was deleted by a request with a forged key")
	}
}

func TestTamperedRecord(t *testing.T) {
	ts := newTestShop(t, nil)
	c := ts.client(t)
	c.signIn("alice", "wonderland")
	c.add("tea", 2)
	key := c.sessionKey()
	data := record(t, ts.store, key)
	data[len(data)/2] ^= 0x01 // someone with write access to the store changed a byte
	if err := ts.store.Save(context.Background(), session.StoreKey(key), data, timeIn(idleTimeout), false); err != nil {
		t.Fatal(err)
	}

	page := c.get("/cart").body
	if got := who(page); got != "Not signed in" {
		t.Errorf("who = %q, want %q", got, "Not signed in")
	}
	if got := cartOf(page); got != nil {
		t.Errorf("cart from a tampered record: %v", got)
	}
	wantLog(t, ts.logs, "level=WARN", "SECURITY typedsession: session data failed signature verification", "security=true", "method=GET", "path=/cart", "remote=")
	wantLog(t, ts.logs, "path=/cart", "status=200", "session.load=discarded")
}

// flip changes the last character of a session key to another character of
// the key alphabet.
func flip(key string) string {
	last := key[len(key)-1]
	repl := byte('a')
	if last == 'a' {
		repl = 'b'
	}
	return key[:len(key)-1] + string(repl)
}

// TestTamperedSealedCookie: with the cookie store the session travels in
// the cookie, sealed; a changed cookie does not open, which is a security
// event.
func TestTamperedSealedCookie(t *testing.T) {
	st, closer, err := storeurl.Open(context.Background(), "cookie", storeurl.Options{Secret: testSecret})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { closer.Close() })
	ts := newTestShop(t, st)
	c := ts.client(t)
	c.signIn("alice", "wonderland")
	c.add("tea", 2)
	if got := cartOf(c.get("/cart").body); len(got) != 1 {
		t.Fatalf("cart in the sealed cookie: %v", got)
	}
	sealed := c.sessionKey()
	i := len(sealed) / 2
	repl := byte('A')
	if sealed[i] == 'A' {
		repl = 'B'
	}
	c.setSessionKey(sealed[:i] + string(repl) + sealed[i+1:])

	page := c.get("/cart").body
	if got := who(page); got != "Not signed in" {
		t.Errorf("who = %q, want %q", got, "Not signed in")
	}
	if got := cartOf(page); got != nil {
		t.Errorf("cart from a tampered cookie: %v", got)
	}
	wantLog(t, ts.logs, "level=WARN", "SECURITY typedsession: session record is corrupt or forged", "security=true")
	wantLog(t, ts.logs, "path=/cart", "status=200", "session.load=discarded")
}
