package session

// SetTestCookie records a marker in the session, so a later request can tell
// whether the browser sends cookies back (Django's set_test_cookie).
func (s *Session) SetTestCookie() {
	s.ensureLoadedForWrite()
	s.noteEdit(editTestCookie)
	s.meta.TestCookie = true
	s.markModified()
}

// TestCookieWorked reports whether the marker set by SetTestCookie came back.
// It reads the loaded session (see ExpiryDate).
func (s *Session) TestCookieWorked() bool {
	s.accessed = true
	return s.meta.TestCookie
}

// DeleteTestCookie removes the marker.
func (s *Session) DeleteTestCookie() {
	s.ensureLoadedForWrite()
	s.noteEdit(editTestCookie)
	s.meta.TestCookie = false
	s.markModified()
}
