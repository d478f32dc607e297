package session

import (
	"bytes"
	"crypto/sha256"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestEncodeHashMatchesBase32: encodeHash spells every sum as
// encoding/base32 with keyAlphabet does, for sums with every bit position
// set alone, all zeros, all ones and hashes of a few keys.
func TestEncodeHashMatchesBase32(t *testing.T) {
	var sums [][32]byte
	for bit := range 256 {
		var s [32]byte
		s[bit/8] = 0x80 >> (bit % 8)
		sums = append(sums, s)
	}
	var ones [32]byte
	copy(ones[:], bytes.Repeat([]byte{0xff}, 32))
	sums = append(sums, [32]byte{}, ones)
	for _, k := range []string{"", "abc", "abcdefghijklmnopqrstuvwxyz234567"} {
		sums = append(sums, sha256.Sum256([]byte(k)))
	}
	for _, sum := range sums {
		var got [storeKeyLen]byte
		encodeHash(&got, &sum)
		want := keyEncoding.EncodeToString(sum[:])
		if diff := cmp.Diff(want, string(got[:])); diff != "" {
			t.Fatalf("encodeHash(%x) (-base32 +got):\n%s", sum, diff)
		}
	}
}
