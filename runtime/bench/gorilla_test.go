package bench

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gorilla/sessions"
)

// gorilla is gorilla/sessions' CookieStore with a hash key and a block
// key, so that, as with typedsession's sealed cookies, the client can
// neither forge nor read its session: securecookie encrypts with AES-256
// and authenticates with HMAC-SHA256.
func gorilla() contender {
	st := sessions.NewCookieStore([]byte(hashKey), []byte(blockKey))
	return contender{
		lib:     "gorilla",
		wrap:    func(h http.Handler) http.Handler { return h },
		h:       gorillaHandler(st),
		mutates: true,
		seed:    func(tb testing.TB, v Shopper) *http.Cookie { return gorillaSeed(tb, st, v) },
		peek:    func(tb testing.TB, c *http.Cookie) Shopper { return gorillaPeek(tb, st, c) },
	}
}

// gorillaHandler has no middleware around it: with gorilla/sessions the
// handler loads and saves the session itself.
func gorillaHandler(st sessions.Store) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, err := st.Get(r, cookieName)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		uid, _ := s.Values[keyUserID].(int64)
		name, _ := s.Values[keyName].(string)
		if uid != wantUserID || name != wantName {
			http.Error(w, errWrongSession, http.StatusInternalServerError)
			return
		}
		s.Values[keyLastSeen] = now()
		if err := s.Save(r, w); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		io.WriteString(w, "ok")
	})
}

func gorillaSeed(tb testing.TB, st sessions.Store, v Shopper) *http.Cookie {
	tb.Helper()
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	s, err := st.New(r, cookieName)
	if err != nil {
		tb.Fatal(err)
	}
	s.Values[keyUserID] = v.UserID
	s.Values[keyName] = v.Name
	s.Values[keyRoles] = v.Roles
	s.Values[keyCart] = v.Cart
	s.Values[keyLastSeen] = v.LastSeen
	s.Values[keyCSRF] = v.CSRF
	s.Values[keyFlags] = v.Flags
	w := &recorder{h: http.Header{}}
	if err := s.Save(r, w); err != nil {
		tb.Fatal(err)
	}
	c := w.responseCookie()
	if c == nil {
		tb.Fatalf("gorilla: no session cookie in %q", w.h["Set-Cookie"])
	}
	return &http.Cookie{Name: c.Name, Value: c.Value}
}

func gorillaPeek(tb testing.TB, st sessions.Store, c *http.Cookie) Shopper {
	tb.Helper()
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.AddCookie(c)
	s, err := st.Get(r, cookieName)
	if err != nil {
		tb.Fatal(err)
	}
	var v Shopper
	v.UserID, _ = s.Values[keyUserID].(int64)
	v.Name, _ = s.Values[keyName].(string)
	v.Roles, _ = s.Values[keyRoles].([]string)
	v.Cart, _ = s.Values[keyCart].([]CartLine)
	v.LastSeen, _ = s.Values[keyLastSeen].(time.Time)
	v.LastSeen = v.LastSeen.In(time.UTC)
	v.CSRF, _ = s.Values[keyCSRF].(string)
	v.Flags, _ = s.Values[keyFlags].(map[string]bool)
	return v
}
