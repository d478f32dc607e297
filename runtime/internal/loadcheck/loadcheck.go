// Package loadcheck holds a test shared by the stores that promise copies
// on get (filestore, sqlstore): what each way of loading returns is the
// caller's.
package loadcheck

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/typedsession/typedsession/runtime/store"
)

// Store is a store with an owner index and expiry loading.
type Store interface {
	store.Store
	store.ExpiryLoader
	store.Owners
}

// CallersCopy checks that what Load, LoadWithExpiry and ListOwned return
// stays as it was while the store runs other queries, loading other
// records of the same length, and that changing it changes nothing
// stored. A store that kept a driver's slice which the driver reused for
// later values fails the first half. newKey returns an unused valid key.
func CallersCopy(t *testing.T, s Store, newKey func(testing.TB) string) {
	t.Helper()
	ctx := context.Background()
	expiry := time.Now().Add(time.Hour)
	const owner = "u1"
	records := map[string][]byte{}
	var keys []string
	for _, fill := range []byte{'a', 'b', 'c'} {
		key := newKey(t)
		records[key] = bytes.Repeat([]byte{fill}, 300)
		keys = append(keys, key)
		if err := s.SaveOwned(ctx, key, owner, records[key], expiry, true); err != nil {
			t.Fatal(err)
		}
	}
	loads := []struct {
		name string
		load func(key string) []byte
	}{
		{"Load", func(key string) []byte {
			data, found, err := s.Load(ctx, key)
			if err != nil || !found {
				t.Fatalf("Load(%s) = %v, %v", key, found, err)
			}
			return data
		}},
		{"LoadWithExpiry", func(key string) []byte {
			data, _, found, err := s.LoadWithExpiry(ctx, key)
			if err != nil || !found {
				t.Fatalf("LoadWithExpiry(%s) = %v, %v", key, found, err)
			}
			return data
		}},
		{"ListOwned", func(key string) []byte {
			list, err := s.ListOwned(ctx, owner)
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range list {
				if o.Key == key {
					return o.Data
				}
			}
			t.Fatalf("ListOwned(%s) = %v, without %s", owner, list, key)
			return nil
		}},
	}
	for _, l := range loads {
		got := map[string][]byte{}
		for _, key := range keys {
			got[key] = l.load(key)
		}
		for _, key := range keys {
			l.load(key) // more queries, which a reusing driver would read into the same memory
		}
		if diff := cmp.Diff(records, got); diff != "" {
			t.Errorf("%s: what earlier loads returned changed over later ones (-stored +returned):\n%s", l.name, diff)
		}
		for _, key := range keys {
			for i := range got[key] {
				got[key][i] = 'X'
			}
		}
		for _, key := range keys {
			if again := l.load(key); !bytes.Equal(again, records[key]) {
				t.Errorf("%s(%s) after the caller changed what it returned: %q, want %q", l.name, key, again, records[key])
			}
		}
	}
}
