package basic

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/typedsession/typedsession/runtime/codec"
	"github.com/typedsession/typedsession/runtime/sessiontest"
)

// bound returns a new session's view and its fields as the envelope sees
// them (codec.Fields, which package session keeps off every exported
// method set).
func bound(t testing.TB) (*VisitorSession, codec.Fields) {
	t.Helper()
	v, err := VisitorOf(context.Background(), newManager(t).Open(""))
	if err != nil {
		t.Fatal(err)
	}
	return v, sessiontest.ViewFields(v)
}

// visitorKeys are the stored keys of Visitor, in field order.
func visitorKeys() []string {
	var keys []string
	st := reflect.TypeFor[Visitor]()
	for i := range st.NumField() {
		key, _, _ := strings.Cut(st.Field(i).Tag.Get("session"), ",")
		if key != "-" && st.Field(i).IsExported() {
			if key == "" {
				key = st.Field(i).Name
			}
			keys = append(keys, key)
		}
	}
	return keys
}
