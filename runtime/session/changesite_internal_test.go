package session

import "testing"

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
