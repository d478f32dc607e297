package sqlstore

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestFreshDriver checks which of the tests' drivers the store trusts to
// hand out slices of their own (freshDrivers): pgx and modernc.org/sqlite,
// not go-sql-driver/mysql, whose values are slices of its read buffer.
func TestFreshDriver(t *testing.T) {
	want := map[Dialect]bool{Postgres: true, SQLite: true, MySQL: false}
	forEachBackend(t, func(t *testing.T, b backend) {
		s := newStore(t, b.open(t), b.dialect, Config{})
		if s.fresh != want[b.dialect] {
			t.Errorf("fresh = %v for %T, want %v", s.fresh, s.db.Driver(), want[b.dialect])
		}
	})
}

// TestLoadIsTheCallers checks that what each way of loading returns is the
// caller's (copies on get): it stays as it was while the store runs other
// queries, loading other records of the same length, and changing it
// changes nothing stored. With a driver that reused its memory for later
// values and the store keeping the driver's slice (freshDrivers), the
// first half would fail.
func TestLoadIsTheCallers(t *testing.T) {
	forEach(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		expiry := time.Now().Add(time.Hour)
		const owner = "u1"
		records := map[string][]byte{}
		var keys []string
		for _, fill := range []byte{'a', 'b', 'c'} {
			key := testKey(t)
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
	})
}
