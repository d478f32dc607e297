package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store/memstore"
)

// TestSessionConflict checks the shop's answer when a save meets
// session.ErrConflict (a page took the flash messages while another
// request added one): a GET is asked for again (303 to itself), so the
// browser gets a page drawn from the session as it is now; any other
// method gets a 409 page saying the change was not kept.
func TestSessionConflict(t *testing.T) {
	st := memstore.New()
	t.Cleanup(func() { st.Close() })
	sh, err := newShop(shopConfig{Store: st, Secret: testSecret, Users: cheapUsers(t)})
	if err != nil {
		t.Fatal(err)
	}
	conflict := fmt.Errorf("session: save: %w: field \"flash\" was read and then changed", session.ErrConflict)
	for _, tc := range []struct {
		method, target string
		status         int
		location       string
	}{
		{http.MethodGet, "/cart?x=1", http.StatusSeeOther, "/cart?x=1"},
		{http.MethodHead, "/", http.StatusSeeOther, "/"},
		{http.MethodPost, "/cart/add", http.StatusConflict, ""},
	} {
		t.Run(tc.method, func(t *testing.T) {
			rec := httptest.NewRecorder()
			sh.sessionError(rec, httptest.NewRequest(tc.method, tc.target, nil), conflict)
			if rec.Code != tc.status || rec.Header().Get("Location") != tc.location {
				t.Errorf("%s %s: status %d, Location %q; want %d, %q", tc.method, tc.target, rec.Code, rec.Header().Get("Location"), tc.status, tc.location)
			}
		})
	}
}
