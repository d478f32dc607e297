package django

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
	"github.com/typedsession/typedsession/runtime/internal/viewfields"
	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/sessiontest"
	"github.com/typedsession/typedsession/runtime/store"
)

func newCacheStore(t *testing.T, cfg CacheConfig) (*CacheStore, *miniredis.Miniredis) {
	t.Helper()
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { rdb.Close() })
	st, err := NewCacheStore(rdb, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return st, mr
}

func TestCacheStoreConformance(t *testing.T) {
	// Redis expires entries by itself: ClearExpired has nothing to count.
	sessiontest.RunWith(t, func(t *testing.T) store.Store {
		st, _ := newCacheStore(t, CacheConfig{})
		return st
	}, sessiontest.Options{SelfExpiring: true})
}

// TestCacheKey: the Redis key is the one Django's cache.make_key made.
func TestCacheKey(t *testing.T) {
	v := loadVectors(t)
	st, _ := newCacheStore(t, CacheConfig{KeyPrefix: v.CacheKey.Prefix, Version: v.CacheKey.Version})
	if got := st.CacheKey(v.CacheKey.Key); got != v.CacheKey.Made {
		t.Errorf("got %s, Django made %s", got, v.CacheKey.Made)
	}
	st, _ = newCacheStore(t, CacheConfig{KeyPrefix: "shop", Version: 3})
	if got := st.CacheKey("k"); got != "shop:3:django.contrib.sessions.cachek" {
		t.Errorf("got %s", got)
	}
}

// TestCacheStoreReadsDjangoEntry: an entry as django-redis's JSON
// serializer writes it (json.dumps with its default separators) reads
// through a Manager; a pickled one is refused, logged, and reads as empty.
func TestCacheStoreReadsDjangoEntry(t *testing.T) {
	ctx := context.Background()
	st, mr := newCacheStore(t, CacheConfig{})
	m := djangoManager(t, st, djangoSecret)
	key := "abcdefgh12345678abcdefgh12345678"
	mr.Set(st.CacheKey(key), `{"uid": 5, "name": "Ada", "_auth_user_id": "5", "_auth_user_backend": "`+ModelBackend+`", "_auth_user_hash": "h"}`)
	s := m.Open(key)
	u, ok, err := SignedIn(ctx, s)
	if err != nil || !ok || u != (User{ID: "5", Backend: ModelBackend, Hash: "h"}) {
		t.Fatalf("signed in %+v %v %v", u, ok, err)
	}
	mr.Set(st.CacheKey(key), "\x80\x04\x95\x0b\x00\x00\x00\x00\x00\x00\x00}\x94\x8c\x01a\x94K\x01s.")
	s = m.Open(key)
	if _, ok, err := SignedIn(ctx, s); ok || err != nil {
		t.Errorf("a pickled entry: signed in %v, err %v", ok, err)
	}
	if s.Key() != "" {
		t.Error("a pickled entry kept its key")
	}
}

func TestCacheStoreExpiry(t *testing.T) {
	ctx := context.Background()
	st, mr := newCacheStore(t, CacheConfig{})
	if err := st.Save(ctx, "k0000000", []byte("{}"), time.Now().Add(time.Minute), true); err != nil {
		t.Fatal(err)
	}
	if ttl := mr.TTL(st.CacheKey("k0000000")); ttl <= 0 || ttl > time.Minute {
		t.Errorf("TTL %s, want at most a minute", ttl)
	}
	if err := st.Save(ctx, "k0000000", []byte("{}"), time.Now().Add(time.Minute), true); !errors.Is(err, store.ErrCreate) {
		t.Errorf("create over an entry: %v", err)
	}
	if err := st.Save(ctx, "k0000000", []byte("{}"), time.Now().Add(-time.Second), false); err != nil {
		t.Fatal(err)
	}
	if mr.Exists(st.CacheKey("k0000000")) {
		t.Error("saving with a past expiry kept the entry; Django's cache deletes it")
	}
}

// TestCacheFormatReadsDjangoRedis: what django-redis's JSON serializer
// stored reads as the session Django serialized, and writes back as
// Django's compact JSON.
func TestCacheFormatReadsDjangoRedis(t *testing.T) {
	v := loadVectors(t)
	st, _ := newCacheStore(t, CacheConfig{})
	fm, err := st.Format(session.FormatConfig{})
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range v.Sessions {
		f := boundVisit(t)
		env, stale, err := fm.Decode([]byte(s.Cache), viewfields.Of(f), nil)
		if err != nil || stale {
			t.Fatalf("session %d: stale %v, %v", i, stale, err)
		}
		out, err := fm.Encode(nil, &env.Meta, viewfields.Of(f), env.Raw)
		if err != nil || string(out) != s.JSON {
			t.Errorf("session %d: wrote %s (%v), want %s", i, out, err, s.JSON)
		}
	}
}
