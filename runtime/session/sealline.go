package session

import (
	"context"
	"time"
)

// lineSealer is implemented by client-side stores that can seal a value
// straight into the Set-Cookie line around it (cookiestore.Store.SealLine),
// saving the copy of the value into the line.
type lineSealer interface {
	SealLine(ctx context.Context, head string, data []byte, expiry time.Time, tail string) (line string, err error)
}

// seal saves data into the cookie's value for a client-side store. A
// store.Unsealer that can seal into a line makes the whole Set-Cookie
// value at once; sessionCookie then sends it as it is.
func (s *Session) seal(ctx context.Context, data []byte, expiry time.Time) error {
	if ls, ok := s.m.client.(lineSealer); ok && s.m.unsealer != nil {
		expires, maxAge := s.cookieAge()
		c := &s.m.cookie
		head, tail := c.prefix, c.tails.tail(c, expires, maxAge)
		line, err := ls.SealLine(ctx, head, data, expiry, tail)
		if err != nil {
			return err
		}
		s.key, s.stale = line[len(head):len(line)-len(tail)], false
		s.line, s.lineKey = line, s.key
		return nil
	}
	key, err := s.m.client.Seal(ctx, data, expiry)
	if err != nil {
		return err
	}
	s.key, s.stale = key, false
	return nil
}

// sealedLine returns the Set-Cookie value seal made for the current key.
// Its Expires and Max-Age are still right: the request's time is read once,
// and whatever changes the expiry changes the data, so the key, too.
func (s *Session) sealedLine() (string, bool) {
	// lineKey is a substring of line, and s.key the same string until
	// something else sets it, so the comparison is of two pointers.
	if s.key == "" || s.key != s.lineKey {
		return "", false
	}
	return s.line, true
}
