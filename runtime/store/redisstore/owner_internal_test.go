package redisstore

import (
	"errors"
	"testing"

	"github.com/typedsession/typedsession/runtime/store"
)

// TestOwnerKeySharesTheSlot checks that a record's owner key hashes to the
// record's Cluster slot for every kind of prefix the store accepts, and
// that a prefix with braces but no hash tag is refused on a Cluster.
func TestOwnerKeySharesTheSlot(t *testing.T) {
	if got := slot("foo"); got != 12182 { // CLUSTER KEYSLOT foo
		t.Fatalf("slot(foo) = %d, want 12182: the test's CRC16 is wrong", got)
	}
	for _, prefix := range []string{"session:", "{app}:session:", "app:{tenant7}:", "x{}y:"} {
		s := &Store{prefix: prefix, split: true}
		k := s.key("abcdefgh12345678")
		o := s.ownerOf(k)
		if o == k || !hasPrefix(o, prefix) {
			t.Errorf("prefix %q: owner key %q must differ from the record %q and start with the prefix", prefix, o, k)
		}
		if prefix == "x{}y:" {
			if err := s.ownersOK(); !errors.Is(err, store.ErrNotSupported) {
				t.Errorf("prefix %q on a Cluster: ownersOK = %v, want ErrNotSupported", prefix, err)
			}
			continue
		}
		if err := s.ownersOK(); err != nil {
			t.Errorf("prefix %q: ownersOK = %v", prefix, err)
		}
		if a, b := slot(k), slot(o); a != b {
			t.Errorf("prefix %q: record %q in slot %d, owner key %q in slot %d", prefix, k, a, o, b)
		}
	}
}

func hasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }

// slot is Redis Cluster's key slot: CRC16 of the hash tag or the key.
func slot(key string) int {
	if hasHashTag(key) {
		i := indexByte(key, '{')
		j := indexByte(key[i+1:], '}')
		key = key[i+1 : i+1+j]
	}
	return int(crc16(key)) % 16384
}

func indexByte(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

// crc16 is CRC-16/XMODEM, the one Redis Cluster uses.
func crc16(s string) uint16 {
	var crc uint16
	for i := 0; i < len(s); i++ {
		crc ^= uint16(s[i]) << 8
		for range 8 {
			if crc&0x8000 != 0 {
				crc = crc<<1 ^ 0x1021
			} else {
				crc <<= 1
			}
		}
	}
	return crc
}
