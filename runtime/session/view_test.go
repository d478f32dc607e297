package session_test

import (
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/typedsession/typedsession/runtime/session"
)

// TestViewMethodsClosed fails when View's method set changes. Every
// generated view embeds View, so each of its methods is a field name
// sessiongen refuses (generator/check.go lists them, and README says so):
// a method added here would break every user with a field of that name.
// Change this list only together with sessiongen's and README's.
func TestViewMethodsClosed(t *testing.T) {
	want := []string{
		"Clear", "Cycle", "Err", "ExpireAtBrowserClose", "ExpiryAge", "ExpiryDate",
		"Flush", "IsEmpty", "Key", "Session", "SetExpiry",
	}
	var got []string
	typ := reflect.TypeFor[*session.View]()
	for i := range typ.NumMethod() {
		got = append(got, typ.Method(i).Name)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("View's methods (-want +got):\n%s", diff)
	}
}
