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
)

// TestStoreFailure makes the store fail in each step that needs it and
// checks that the shop answers 500, sets no cookie, logs the failure, and
// leaves the stored session exactly as it was: nothing half-saved.
func TestStoreFailure(t *testing.T) {
	tests := []struct {
		name   string
		fail   []string
		method string
		path   string
		form   url.Values
		// what the request log says about the session
		wantLog []string
		// cookieDeleted: the response deletes the session cookie. No
		// failure may: a session the store still holds must keep its
		// cookie, or the user would look signed out without being so.
		cookieDeleted bool
	}{
		{"save fails adding to the cart", []string{"save"}, "POST", "/cart/add",
			url.Values{"sku": {"biscuits"}, "qty": {"3"}}, []string{"session.load=ok", "session.save=failed"}, false},
		{"save fails removing from the cart", []string{"save"}, "POST", "/cart/remove",
			url.Values{"sku": {"tea"}}, []string{"session.load=ok", "session.save=failed"}, false},
		{"save fails on a page view", []string{"save"}, "GET", "/cart",
			nil, []string{"session.load=ok", "session.save=failed"}, false},
		{"load fails on a page view", []string{"load"}, "GET", "/",
			nil, []string{"session.load=error", "session.save=-"}, false},
		{"load fails on a form", []string{"load"}, "POST", "/cart/add",
			url.Values{"sku": {"biscuits"}, "qty": {"3"}}, []string{"session.load=error"}, false},
		{"delete fails at sign-out", []string{"delete"}, "POST", "/signout",
			nil, []string{"session.load=ok"}, false},
		{"cycle fails at sign-in", []string{"cycle"}, "POST", "/signin",
			url.Values{"login": {"alice"}, "password": {"wonderland"}}, []string{"session.load=ok", "session.save=failed"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := newFlakyStore(t)
			ts := newTestShop(t, st)
			c := ts.client(t)
			c.signIn("alice", "wonderland")
			c.add("tea", 2)
			token := csrfOf(t, c.get("/").body)
			c.get("/") // shows the flash, so the next page has none
			key := c.sessionKey()
			before := record(t, st, key)

			st.fail(tt.fail...)
			var res response
			if tt.method == "GET" {
				res = c.get(tt.path)
			} else {
				form := url.Values{csrfField: {token}}
				for k, v := range tt.form {
					form[k] = v
				}
				res = c.post(tt.path, form)
			}
			st.fail()

			if res.code != http.StatusInternalServerError {
				t.Errorf("status %d, want 500", res.code)
			}
			if !strings.Contains(res.body, "Something went wrong") {
				t.Errorf("not the error page:\n%s", res.body)
			}
			if !bytes.Equal(record(t, st, key), before) {
				t.Error("the stored session changed")
			}
			wantLog(t, ts.logs, append([]string{"level=ERROR", "msg=request", "path=" + tt.path, "status=500", "flakystore"}, tt.wantLog...)...)
			if tt.cookieDeleted {
				if c.sessionKey() != "" {
					t.Error("the session cookie was not deleted")
				}
				wantLog(t, ts.logs, "path="+tt.path, "status=500", "session.save=failed", "session.cookie=deleted")
				return
			}
			if sc := res.header["Set-Cookie"]; len(sc) != 0 {
				t.Errorf("the failed response sets cookies: %q", sc)
			}
			if c.sessionKey() != key {
				t.Error("the browser's session key changed")
			}

			// The store is back: the session is as it was before.
			page := c.get("/cart").body
			if got := who(page); got != "Signed in as Alice" {
				t.Errorf("who = %q, want %q", got, "Signed in as Alice")
			}
			if d := cmp.Diff([]CartLine{{"tea", 2}}, cartOf(page)); d != "" {
				t.Errorf("cart (-want +got):\n%s", d)
			}
			if got := flashes(page); got != nil {
				t.Errorf("flash from the failed request: %q", got)
			}
		})
	}
}

func TestStoreFailureForNewVisitor(t *testing.T) {
	st := newFlakyStore(t)
	ts := newTestShop(t, st)
	c := ts.client(t)
	st.fail("save")
	res := c.get("/")
	if res.code != http.StatusInternalServerError {
		t.Errorf("status %d, want 500", res.code)
	}
	if c.sessionKey() != "" {
		t.Error("a cookie was set for a session that was not saved")
	}
	wantLog(t, ts.logs, "level=ERROR", "status=500", "session.load=new", "session.save=failed")
}

// TestSignedOutDuringRequest: a request that loaded the session before
// another tab signed out must not bring the session back when it saves.
func TestSignedOutDuringRequest(t *testing.T) {
	st := newFlakyStore(t)
	ts := newTestShop(t, st)
	c := ts.client(t)
	c.signIn("alice", "wonderland")
	token := csrfOf(t, c.get("/").body)
	key := c.sessionKey()
	st.beforeSave = func() { st.Store.Delete(context.Background(), session.StoreKey(key)) } // the sign-out in the other tab

	res := c.post("/cart/add", url.Values{csrfField: {token}, "sku": {"tea"}, "qty": {"1"}})
	st.beforeSave = nil
	if res.code != http.StatusBadRequest || !strings.Contains(res.body, "Signed out elsewhere") {
		t.Errorf("status %d, want 400 with \"Signed out elsewhere\"; body:\n%s", res.code, res.body)
	}
	if record(t, st, key) != nil {
		t.Error("the signed-out session was saved again")
	}
	if got := who(c.get("/").body); got != "Not signed in" {
		t.Errorf("who = %q, want %q", got, "Not signed in")
	}
}
