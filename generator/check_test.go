package generator

import (
	"reflect"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/typedsession/typedsession/runtime/session"
)

// TestViewMethodsMatchRuntime checks the names sessiongen refuses for
// session.View's sake against View itself.
func TestViewMethodsMatchRuntime(t *testing.T) {
	var got []string
	typ := reflect.TypeFor[*session.View]()
	for i := range typ.NumMethod() {
		got = append(got, typ.Method(i).Name)
	}
	if diff := cmp.Diff(slices.Sorted(slices.Values(sessionViewMethods)), got); diff != "" {
		t.Errorf("sessionViewMethods against session.View's methods (-generator +runtime):\n%s", diff)
	}
}
