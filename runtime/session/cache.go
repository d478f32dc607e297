package session

import (
	"net/http"
	"strings"
)

// cookieSent marks a response that sets or deletes the session cookie: it
// depends on the request's cookie (Vary: Cookie, even when the handler only
// loaded the session and an idle refresh re-sends the cookie), and it must
// not be stored by a shared cache.
func cookieSent(h http.Header, hv *headerValues) {
	addVary(h, hv)
	keepPrivate(h, hv, "Cache-Control", true)
	keepPrivate(h, hv, "Cdn-Cache-Control", false) // RFC 9213: CDNs prefer it to Cache-Control
}

// headerValues holds the values commit adds to the response header, one
// slot per header it may add, inside the Session: a header that was not
// there yet gets a one-element slice of its slot instead of a []string of
// its own (what http.Header.Add allocates), which saves three small
// allocations per response that sets the cookie. Each slice is capped at
// its one element, so a handler or outer middleware appending to the
// header gets a new array, and never writes over a neighbouring slot.
type headerValues [headerSlots]string

const (
	slotVary = iota
	slotSetCookie
	slotCacheControl
	headerSlots
)

// add appends value to the header name (in canonical form), as
// http.Header.Add does.
func (hv *headerValues) add(h http.Header, slot int, name, value string) {
	hv.appendTo(h, slot, name, h[name], value)
}

// appendTo is add for a caller that has just read the header's values,
// old, and need not look them up again.
func (hv *headerValues) appendTo(h http.Header, slot int, name string, old []string, value string) {
	if len(old) > 0 {
		h[name] = append(old, value)
		return
	}
	hv[slot] = value
	h[name] = hv[slot : slot+1 : slot+1]
}

// keepPrivate makes the response private in the named cache header, so no
// shared cache (CDN, reverse proxy) stores it: a cache that did would hand
// one user's session cookie to everybody who gets the cached copy.
//
// "private" is chosen over scs's `no-cache="Set-Cookie"` because every
// shared cache honours it, while the field-qualified no-cache is ignored or
// misread by many (RFC 9111 section 5.2.2.4 lets a cache treat it as plain
// no-cache, which still stores the response) and would, at best, let the
// cache keep a body rendered for one session. A browser's own cache may
// still keep the response, as the handler asked.
//
// A stricter value the handler set stays as it is: no-store, or private
// without field names. Otherwise public (which would allow a shared cache
// to store even an authenticated response) and a field-qualified private
// are dropped, "private" is put first, and the other directives (max-age,
// no-cache, must-revalidate…) are kept for the browser. With always false,
// a header that is absent stays absent.
func keepPrivate(h http.Header, hv *headerValues, name string, always bool) {
	lines := h[name]
	if len(lines) == 0 {
		if always {
			hv.appendTo(h, slotCacheControl, name, nil, "private")
		}
		return
	}
	directives := []string{"private"}
	for _, line := range lines {
		for _, d := range splitDirectives(line) {
			n, _, qualified := strings.Cut(d, "=")
			switch n = strings.ToLower(strings.TrimSpace(n)); {
			case n == "no-store", n == "private" && !qualified:
				return
			case n == "public", n == "private", n == "":
				// dropped: public contradicts private; a qualified private
				// lets shared caches store the rest.
			default:
				directives = append(directives, d)
			}
		}
	}
	h[name] = []string{strings.Join(directives, ", ")}
}

// splitDirectives splits a Cache-Control value at the commas that are not
// inside a quoted string (no-cache="Set-Cookie, Authorization"), trimming
// each directive.
func splitDirectives(v string) []string {
	var out []string
	quoted, escaped, start := false, false, 0
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case escaped:
			escaped = false
		case quoted && c == '\\':
			escaped = true
		case c == '"':
			quoted = !quoted
		case c == ',' && !quoted:
			out = appendDirective(out, v[start:i])
			start = i + 1
		}
	}
	return appendDirective(out, v[start:])
}

func appendDirective(out []string, d string) []string {
	if d = strings.TrimSpace(d); d != "" {
		out = append(out, d)
	}
	return out
}
