package session

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// maxSetCookie is the largest Set-Cookie value browsers reliably keep
// (RFC 6265 section 6.1 asks for at least 4096 bytes per cookie).
const maxSetCookie = 4096

// cookieHeader holds the parts of the session's Set-Cookie value that do
// not change between responses, made once by http.Cookie itself so the
// format is the standard library's. Building the value from them skips
// http.Cookie.String's per-response sanitising of the name, path and
// domain, which NewManager has already checked.
type cookieHeader struct {
	prefix string // name=
	scope  string // ; Path=…; Domain=…
	flags  string // ; HttpOnly; Secure; SameSite=…; Partitioned

	tails    *tailCache
	deletion string // the Set-Cookie value that deletes the cookie
}

func newCookieHeader(cc *Cookie) (cookieHeader, error) {
	probe := &http.Cookie{Name: cc.Name, Value: "x", Path: cc.Path, Domain: cc.Domain}
	if err := probe.Valid(); err != nil {
		return cookieHeader{}, fmt.Errorf("session: Config.Cookie: %w", err)
	}
	if err := checkBrowserRules(cc); err != nil {
		return cookieHeader{}, fmt.Errorf("session: Config.Cookie: %w", err)
	}
	scoped := (&http.Cookie{Name: cc.Name, Path: cc.Path, Domain: cc.Domain}).String()
	flagged := (&http.Cookie{Name: cc.Name, HttpOnly: !cc.ScriptReadable, Secure: cc.Secure,
		SameSite: cc.SameSite, Partitioned: cc.Partitioned}).String()
	prefix := cc.Name + "="
	h := cookieHeader{prefix: prefix, scope: scoped[len(prefix):], flags: flagged[len(prefix):], tails: &tailCache{}}
	h.deletion = h.line("", epoch, -1)
	return h, nil
}

// checkBrowserRules refuses attribute combinations that browsers drop
// without a word (RFC 6265bis cookie prefixes; SameSite=None and CHIPS
// need Secure): the application would run, and every user would silently
// be without a session. Prefixes are compared ignoring case, as current
// browsers do.
func checkBrowserRules(cc *Cookie) error {
	switch {
	case hasPrefixFold(cc.Name, "__Host-") && !cc.Secure:
		return fmt.Errorf("the name %q starts with __Host-, which browsers accept only with Secure: set Cookie.Secure (and serve the site over HTTPS)", cc.Name)
	case hasPrefixFold(cc.Name, "__Host-") && cc.Domain != "":
		return fmt.Errorf("the name %q starts with __Host-, which browsers accept only without a Domain: leave Cookie.Domain empty (or drop the prefix to share the cookie with %q)", cc.Name, cc.Domain)
	case hasPrefixFold(cc.Name, "__Host-") && cc.Path != "/":
		return fmt.Errorf("the name %q starts with __Host-, which browsers accept only with Path=/: leave Cookie.Path empty or \"/\" (or drop the prefix to scope the cookie to %q)", cc.Name, cc.Path)
	case hasPrefixFold(cc.Name, "__Secure-") && !cc.Secure:
		return fmt.Errorf("the name %q starts with __Secure-, which browsers accept only with Secure: set Cookie.Secure (and serve the site over HTTPS)", cc.Name)
	case cc.SameSite == http.SameSiteNoneMode && !cc.Secure:
		return errors.New("SameSite=None without Secure is rejected by browsers: set Cookie.Secure (and serve the site over HTTPS), or use SameSite Lax or Strict")
	case cc.Partitioned && !cc.Secure:
		return errors.New("a Partitioned cookie without Secure is rejected by browsers: set Cookie.Secure (and serve the site over HTTPS), or drop Cookie.Partitioned")
	}
	return nil
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// line returns the Set-Cookie value for value: with an Expires attribute
// unless expires is zero, and Max-Age as http.Cookie writes it (positive:
// that many seconds; negative: Max-Age=0; zero: none).
func (h *cookieHeader) line(value string, expires time.Time, maxAge int) string {
	return h.prefix + value + h.tails.tail(h, expires, maxAge)
}

// cookieValue finds the named cookie in the request's Cookie headers without
// allocating, as http.Request.Cookie would. ok reports whether it is there.
func cookieValue(h http.Header, name string) (value string, ok bool) {
	for _, line := range h["Cookie"] {
		for line != "" {
			var part string
			part, line, _ = strings.Cut(line, ";")
			part = strings.TrimSpace(part)
			k, v, found := strings.Cut(part, "=")
			if !found || k != name {
				continue
			}
			if len(v) > 1 && v[0] == '"' && v[len(v)-1] == '"' {
				v = v[1 : len(v)-1]
			}
			return v, true
		}
	}
	return "", false
}

// errCookieValue is returned for a client-side store's value that is not
// a valid cookie value; server-side keys are valid by construction.
var errCookieValue = errors.New("session: the store's cookie value has characters a cookie cannot carry")

// sessionCookie returns the Set-Cookie value for s, refusing one browsers
// would drop.
func (m *Manager) sessionCookie(s *Session) (string, error) {
	// A store.Unsealer promises cookie-octets; only other client-side
	// stores' values are checked.
	if m.client != nil && m.unsealer == nil && !validCookieValue(s.key) {
		return "", errCookieValue
	}
	v, ok := s.sealedLine()
	if !ok {
		expires, maxAge := s.cookieAge()
		v = m.cookie.line(s.key, expires, maxAge)
	}
	if len(v) > maxSetCookie {
		return "", fmt.Errorf("%w: the Set-Cookie header would be %d bytes, over the %d browsers keep; store less in the session or use a server-side store",
			ErrCookieTooLarge, len(v), maxSetCookie)
	}
	return v, nil
}

// cookieAge returns the Expires and Max-Age of the session's cookie: zero
// and 0 for a cookie that ends with the browser session; Max-Age -1 (sent
// as Max-Age=0) for one already expired.
func (s *Session) cookieAge() (expires time.Time, maxAge int) {
	if s.expireAtBrowserClose() {
		return time.Time{}, 0
	}
	now := s.now()
	age := s.expiryAge(now)
	maxAge = int(age / time.Second)
	if maxAge <= 0 {
		maxAge = -1
	}
	return now.Add(age), maxAge
}

// epoch is the expiry of a deletion cookie: long past.
var epoch = time.Unix(0, 0).UTC()

// deletionCookie returns the Set-Cookie value that removes the session
// cookie: same name, domain and path, Max-Age=0 and an expiry in the past.
func (m *Manager) deletionCookie() string { return m.cookie.deletion }

// validCookieValue reports whether v has only RFC 6265 cookie-octets.
func validCookieValue(v string) bool {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c < 0x21 || c > 0x7e || c == '"' || c == ',' || c == ';' || c == '\\' {
			return false
		}
	}
	return true
}
