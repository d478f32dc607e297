package session

import (
	"net/http"
	"sync/atomic"
	"time"
)

// expiresCache keeps the last Expires attribute made, so that a busy server
// formats the date once per second instead of once per response: every
// cookie sent within one second (of one session age) carries the same date.
// It is safe for concurrent use; the zero value is ready.
type expiresCache struct {
	last atomic.Pointer[expiresAttr]
}

type expiresAttr struct {
	sec  int64  // Unix seconds of the date
	text string // "; Expires=" and the date in http.TimeFormat
}

// attr returns "; Expires=" followed by t in http.TimeFormat. Expires has
// whole seconds, so any t within the same second gives the same text.
func (c *expiresCache) attr(t time.Time) string {
	sec := t.Unix()
	if a := c.last.Load(); a != nil && a.sec == sec {
		return a.text
	}
	var buf [len("; Expires=") + len(http.TimeFormat)]byte
	b := append(buf[:0], "; Expires="...)
	a := &expiresAttr{sec: sec, text: string(time.Unix(sec, 0).UTC().AppendFormat(b, http.TimeFormat))}
	c.last.Store(a)
	return a.text
}
