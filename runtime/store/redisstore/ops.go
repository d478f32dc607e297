package redisstore

import (
	"context"
	"errors"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/typedsession/typedsession/runtime/store"
)

// Load returns the payload under key with one GET. Redis never returns an
// expired key, so found is false for unknown and expired sessions alike.
func (s *Store) Load(ctx context.Context, key string) ([]byte, bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, false, wrap(ctx, "load", err)
	}
	data, err := s.c.Get(ctx, s.key(key)).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, wrap(ctx, "load", err)
	}
	return data, true, nil
}

// Save stores data under key until expiry with one command: SET ... PXAT
// NX to create, SET ... PXAT XX to update, so the create and update
// semantics of store.Store are checked by Redis itself, atomically.
//
// An expiry that has already passed stores nothing: a create then only
// checks that key is free (EXISTS), and an update deletes the session (DEL),
// still reporting ErrCreate and ErrUpdate as a live expiry would.
func (s *Store) Save(ctx context.Context, key string, data []byte, expiry time.Time, mustCreate bool) error {
	if err := ctx.Err(); err != nil {
		return wrap(ctx, "save", err)
	}
	if err := s.put(ctx, key, data, expiry, mustCreate); err != nil {
		return wrap(ctx, "save", err)
	}
	return nil
}

// put is Save without the error prefix, for Save and Cycle.
func (s *Store) put(ctx context.Context, key string, data []byte, expiry time.Time, mustCreate bool) error {
	if !expiry.After(time.Now()) {
		return s.putExpired(ctx, key, mustCreate)
	}
	mode := "xx"
	if mustCreate {
		mode = "nx"
	}
	cmd := redis.NewStatusCmd(ctx, "set", s.key(key), data, "pxat", expiry.UnixMilli(), mode)
	err := s.c.Process(ctx, cmd)
	switch {
	case errors.Is(err, redis.Nil) && mustCreate:
		return store.ErrCreate
	case errors.Is(err, redis.Nil):
		return store.ErrUpdate
	}
	return err
}

// putExpired is put for an expiry already in the past. Sending it to Redis
// as PXAT would depend on how the server version treats a time in the past
// (and a zero time is refused outright), so the outcome is spelled out.
func (s *Store) putExpired(ctx context.Context, key string, mustCreate bool) error {
	if mustCreate {
		n, err := s.c.Exists(ctx, s.key(key)).Result()
		if err == nil && n > 0 {
			return store.ErrCreate
		}
		return err
	}
	n, err := s.c.Del(ctx, s.key(key)).Result()
	if err == nil && n == 0 {
		return store.ErrUpdate
	}
	return err
}

// Delete removes key, and its owner key and index entry if it has an
// owner (owner.go). A missing key is not an error.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return wrap(ctx, "delete", err)
	}
	if err := s.deleteOwned(ctx, key); err != nil { // also unfiles an owned record (owner.go)
		return wrap(ctx, "delete", err)
	}
	return nil
}

// Exists reports with one EXISTS whether a live session is stored under key.
func (s *Store) Exists(ctx context.Context, key string) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, wrap(ctx, "exists", err)
	}
	n, err := s.c.Exists(ctx, s.key(key)).Result()
	if err != nil {
		return false, wrap(ctx, "exists", err)
	}
	return n > 0, nil
}

// ClearExpired returns 0, nil without contacting Redis: Redis removes
// expired keys by itself.
func (s *Store) ClearExpired(ctx context.Context) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, wrap(ctx, "clear expired", err)
	}
	return 0, nil
}
