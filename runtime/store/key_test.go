package store_test

import (
	"strings"
	"testing"

	"github.com/typedsession/typedsession/runtime/store"
)

// TestValidKey checks every byte value at the first, a middle and the last
// position of a key, and the length bounds, against the definition:
// MinKeyLen to MaxKeyLen characters of KeyAlphabet.
func TestValidKey(t *testing.T) {
	for c := range 256 {
		want := strings.IndexByte(store.KeyAlphabet, byte(c)) >= 0
		for _, pos := range []int{0, 3, store.MinKeyLen - 1} {
			key := []byte(strings.Repeat("a", store.MinKeyLen))
			key[pos] = byte(c)
			if got := store.ValidKey(string(key)); got != want {
				t.Errorf("ValidKey(%q) = %t, want %t", key, got, want)
			}
		}
	}
	tests := []struct {
		key  string
		want bool
	}{
		{strings.Repeat("a", store.MinKeyLen-1), false},
		{strings.Repeat("a", store.MinKeyLen), true},
		{strings.Repeat("9", store.MaxKeyLen), true},
		{strings.Repeat("9", store.MaxKeyLen+1), false},
		{"", false},
		{"abcdefghijklmnopqrstuvwxyz0123456789", true},
		{"abcdefgH", false},
	}
	for _, tt := range tests {
		if got := store.ValidKey(tt.key); got != tt.want {
			t.Errorf("ValidKey(%q) = %t, want %t", tt.key, got, tt.want)
		}
	}
}
