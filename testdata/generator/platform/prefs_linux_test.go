package platform

import "testing"

// TestRoundTrip compiles only where prefs_linux.go does: the generated
// file's //go:build line must agree with that file's name, or this package
// fails to build off Linux (or, if the line were missing, on it).
func TestRoundTrip(t *testing.T) {
	b, err := (&Prefs{Theme: "dark"}).MarshalMsgpack()
	if err != nil {
		t.Fatal(err)
	}
	var got Prefs
	if err := got.UnmarshalMsgpack(b); err != nil {
		t.Fatal(err)
	}
	if got.Theme != "dark" {
		t.Errorf("Theme = %q, want dark", got.Theme)
	}
}
