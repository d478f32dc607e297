package session

import (
	"net/http"
	"strconv"
	"sync/atomic"
	"time"
)

// tailCache keeps the last tail of a Set-Cookie value made (everything
// after the cookie's value: its scope, Expires, Max-Age and flags), so
// that a busy server formats the date once per second instead of once per
// response, and builds each cookie with one concatenation: every cookie
// sent within one second (of one session age) ends the same way. It is safe
// for concurrent use; the zero value is ready.
type tailCache struct {
	last atomic.Pointer[cookieTail]
}

type cookieTail struct {
	dated  bool  // the tail has an Expires attribute
	sec    int64 // Unix seconds of its date
	maxAge int
	text   string
}

// tail returns what follows the value in a Set-Cookie value with
// expires (none when zero) and maxAge (see cookieHeader.line). Expires
// has whole seconds, so any expires within the same second gives the same
// text.
func (c *tailCache) tail(h *cookieHeader, expires time.Time, maxAge int) string {
	dated := !expires.IsZero()
	var sec int64
	if dated {
		sec = expires.Unix()
	}
	if t := c.last.Load(); t != nil && t.dated == dated && t.sec == sec && t.maxAge == maxAge {
		return t.text
	}
	t := &cookieTail{dated: dated, sec: sec, maxAge: maxAge, text: h.formatTail(dated, sec, maxAge)}
	c.last.Store(t)
	return t.text
}

// formatTail formats a tail: the scope, "; Expires=" and the date in
// http.TimeFormat if dated, Max-Age as http.Cookie writes it (positive:
// that many seconds; negative: Max-Age=0; zero: none), and the flags.
func (h *cookieHeader) formatTail(dated bool, sec int64, maxAge int) string {
	b := make([]byte, 0, len(h.scope)+len(h.flags)+64)
	b = append(b, h.scope...)
	if dated {
		b = append(b, "; Expires="...)
		b = time.Unix(sec, 0).UTC().AppendFormat(b, http.TimeFormat)
	}
	switch {
	case maxAge > 0:
		b = append(b, "; Max-Age="...)
		b = strconv.AppendInt(b, int64(maxAge), 10)
	case maxAge < 0:
		b = append(b, "; Max-Age=0"...)
	}
	b = append(b, h.flags...)
	return string(b)
}
