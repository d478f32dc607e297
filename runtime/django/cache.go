package django

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store"
)

// CacheKeyPrefix is what Django's cache session backend puts before the
// session key (django.contrib.sessions.backends.cache.KEY_PREFIX).
const CacheKeyPrefix = "django.contrib.sessions.cache"

// CacheConfig configures a CacheStore. Its fields are the settings of the
// Django cache SESSION_CACHE_ALIAS names.
type CacheConfig struct {
	// KeyPrefix is the cache's KEY_PREFIX (default "").
	KeyPrefix string
	// Version is the cache's VERSION; 0 means Django's default, 1.
	Version int
}

// CacheStore keeps sessions in Redis as Django's cache session backend
// (SESSION_ENGINE = "django.contrib.sessions.backends.cache") does through
// django-redis configured with its JSON serializer: under
// KEY_PREFIX:VERSION:django.contrib.sessions.cache<key> (Django's
// default_key_func), the session dict as JSON, unsigned, with the
// session's age as the Redis expiry.
//
// As in Django, the cache is trusted: whoever can write to it can forge
// sessions. Values in pickle form (django-redis's default serializer, and
// Django 4.0+'s own RedisCache) are refused with ErrPickle: unpickling runs
// code, and only Python reads it.
type CacheStore struct {
	rdb    redis.UniversalClient
	prefix string
}

var (
	_ store.Store           = (*CacheStore)(nil)
	_ session.FormatStore   = (*CacheStore)(nil)
	_ session.ClearKeyStore = (*CacheStore)(nil)
)

// NewCacheStore returns a CacheStore on rdb.
func NewCacheStore(rdb redis.UniversalClient, cfg CacheConfig) (*CacheStore, error) {
	if rdb == nil {
		return nil, errors.New("django: NewCacheStore: the Redis client is nil")
	}
	if cfg.Version == 0 {
		cfg.Version = 1
	}
	return &CacheStore{rdb: rdb, prefix: cfg.KeyPrefix + ":" + strconv.Itoa(cfg.Version) + ":" + CacheKeyPrefix}, nil
}

// CacheKey returns the Redis key of the session under key, as Django's
// cache.make_key(KEY_PREFIX + key) makes it.
func (s *CacheStore) CacheKey(key string) string { return s.prefix + key }

// Format implements session.FormatStore: plain JSON, as the cache holds it.
func (s *CacheStore) Format(session.FormatConfig) (session.Format, error) {
	return &format{}, nil
}

// ClearKeys implements session.ClearKeyStore: Django looks entries up by
// the cookie's key.
func (s *CacheStore) ClearKeys() bool { return true }

// Load returns the JSON under key.
func (s *CacheStore) Load(ctx context.Context, key string) ([]byte, bool, error) {
	data, err := s.rdb.Get(ctx, s.CacheKey(key)).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("django: load: %w", err)
	}
	return data, true, nil
}

// Save stores data under key until expiry: only if the key is new with
// mustCreate (ErrCreate otherwise, as cache.add), only if it exists without
// (ErrUpdate otherwise, as Django's UpdateError, but in one step).
func (s *CacheStore) Save(ctx context.Context, key string, data []byte, expiry time.Time, mustCreate bool) error {
	ttl := time.Until(expiry)
	if ttl <= 0 {
		// Django passes the age as the timeout, and a timeout of 0 or
		// less deletes the entry; as for any store, a create still may not
		// take a live entry's key, and an update needs one.
		return s.saveExpired(ctx, key, mustCreate)
	}
	var ok bool
	var err error
	if mustCreate {
		ok, err = s.rdb.SetNX(ctx, s.CacheKey(key), data, ttl).Result()
	} else {
		ok, err = s.rdb.SetXX(ctx, s.CacheKey(key), data, ttl).Result()
	}
	switch {
	case err != nil && !errors.Is(err, redis.Nil):
		return fmt.Errorf("django: save: %w", err)
	case !ok && mustCreate:
		return fmt.Errorf("django: save: %w", store.ErrCreate)
	case !ok:
		return fmt.Errorf("django: save: %w", store.ErrUpdate)
	}
	return nil
}

// saveExpired is Save for an expiry already past: nothing is stored.
func (s *CacheStore) saveExpired(ctx context.Context, key string, mustCreate bool) error {
	if mustCreate {
		n, err := s.rdb.Exists(ctx, s.CacheKey(key)).Result()
		switch {
		case err != nil:
			return fmt.Errorf("django: save: %w", err)
		case n > 0:
			return fmt.Errorf("django: save: %w", store.ErrCreate)
		}
		return nil
	}
	n, err := s.rdb.Del(ctx, s.CacheKey(key)).Result()
	switch {
	case err != nil:
		return fmt.Errorf("django: save: %w", err)
	case n == 0:
		return fmt.Errorf("django: save: %w", store.ErrUpdate)
	}
	return nil
}

// Delete removes the entry under key.
func (s *CacheStore) Delete(ctx context.Context, key string) error {
	if err := s.rdb.Del(ctx, s.CacheKey(key)).Err(); err != nil {
		return fmt.Errorf("django: delete: %w", err)
	}
	return nil
}

// Exists reports whether an entry exists under key.
func (s *CacheStore) Exists(ctx context.Context, key string) (bool, error) {
	n, err := s.rdb.Exists(ctx, s.CacheKey(key)).Result()
	if err != nil {
		return false, fmt.Errorf("django: exists: %w", err)
	}
	return n > 0, nil
}

// ClearExpired returns 0: Redis expires the entries itself.
func (s *CacheStore) ClearExpired(ctx context.Context) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("django: clear expired: %w", err)
	}
	return 0, nil
}
