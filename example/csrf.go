package main

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
)

// csrfField is the name of the hidden form field that carries the token.
const csrfField = "csrf"

// csrfToken returns the session's CSRF token, creating it on first use.
// Every page with a form calls it before rendering, so the token is saved
// with the session before the form reaches the browser.
//
// A token in the session (the synchronizer-token pattern) works in every
// browser and needs no second cookie: a page on another site can make the
// browser post a form here, with the session cookie even, but cannot read
// the token from our pages to put into it.
func csrfToken(s *ShopperSession) string {
	if s.HasCSRF() && s.CSRF() != "" {
		return s.CSRF()
	}
	t := newCSRFToken()
	s.SetCSRF(t)
	return t
}

func newCSRFToken() string {
	var b [32]byte
	rand.Read(b[:]) // never fails: crypto/rand panics rather than return weak bytes
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// csrfValid reports whether sent is the session's token. The comparison
// takes the same time however much of sent matches, so timing does not
// leak the token byte by byte.
func csrfValid(s *ShopperSession, sent string) bool {
	want := s.CSRF()
	if want == "" || sent == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(want), []byte(sent)) == 1
}
