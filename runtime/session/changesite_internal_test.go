package session

import (
	"reflect"
	"testing"
)

type siteData struct {
	Name     string `session:"n"`
	Untagged int64
}

// siteView has the shape of a generated view, as it is now: TestFieldKey
// checks fieldKey's rules on it, but only TestChangeLostNamesPathAndField,
// through a view sessiongen generated, notices when that shape or the
// runtime's symbol names change under changeSite.
type siteView struct {
	*Session
	v   siteData
	has uint64
}

func TestFieldKey(t *testing.T) {
	view := reflect.TypeOf(siteView{v: siteData{}, has: 0})
	tests := []struct{ method, want string }{
		{"SetName", "n"},
		{"SetDefaultName", "n"},
		{"DeleteName", "n"},
		{"PopName", "n"},
		{"SetUntagged", "Untagged"}, // an untagged field is stored under its Go name
		{"Update", ""},
		{"SetExpiry", ""},
		{"Set", ""},
		{"Name", ""}, // a getter changes nothing
	}
	for _, tt := range tests {
		if got := fieldKey(view, tt.method); got != tt.want {
			t.Errorf("fieldKey(%s) = %q, want %q", tt.method, got, tt.want)
		}
	}
}

func TestSymbolPath(t *testing.T) {
	tests := []struct{ pkg, want string }{
		{"main", "main"},
		{"example.com/app", "example.com/app"},
		{"gopkg.in/yaml.v3", "gopkg.in/yaml%2ev3"},
		{"example.com/my.app/sessions", "example.com/my.app/sessions"},
		{"example.com/100%", "example.com/100%25"},
	}
	for _, tt := range tests {
		if got := symbolPath(tt.pkg); got != tt.want {
			t.Errorf("symbolPath(%q) = %q, want %q", tt.pkg, got, tt.want)
		}
	}
}
