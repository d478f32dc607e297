package redisstore

import (
	"context"
	"time"

	"github.com/typedsession/typedsession/runtime/store"
)

// cycleScript moves a session to a new key atomically. KEYS[1] is the old
// key, KEYS[2] the new one; ARGV[1] is the payload and ARGV[2] the expiry in
// Unix milliseconds, or "0" for an expiry already past (then the new key is
// only checked to be free). It returns 0 when the new key is taken, and
// then leaves the old key alone.
//
// MULTI/EXEC would not do: a SET NX that finds the key taken is not an error,
// so the transaction would go on to delete the old key and lose the session.
const cycleScript = `
if ARGV[2] == '0' then
  if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
elseif not redis.call('SET', KEYS[2], ARGV[1], 'PXAT', ARGV[2], 'NX') then
  return 0
end
redis.call('DEL', KEYS[1])
return 1
`

// Cycle moves the session under oldKey to newKey, with data and expiry. It
// fails with ErrCreate, leaving oldKey untouched, if newKey exists; a
// missing oldKey is not an error.
//
// On a single node (or a Sentinel group) it is one round trip: an EVAL of a
// script that Redis runs atomically, so no client ever sees both keys or
// neither. EVAL rather than EVALSHA, because EVALSHA costs a second round
// trip whenever the server has not cached the script (after every restart
// or failover); Redis caches the compiled script by content either way.
//
// On a Cluster or a Ring the keys may live on different nodes: Cycle then
// creates newKey (SET NX) and afterwards deletes oldKey (DEL). Both keys
// exist for a moment; neither is ever missing.
func (s *Store) Cycle(ctx context.Context, oldKey, newKey string, data []byte, expiry time.Time) error {
	if err := ctx.Err(); err != nil {
		return wrap(ctx, "cycle", err)
	}
	if s.split {
		return s.cycleSplit(ctx, oldKey, newKey, data, expiry)
	}
	var ms int64
	if expiry.After(time.Now()) {
		ms = expiry.UnixMilli()
	}
	keys := []string{s.key(oldKey), s.key(newKey)}
	moved, err := s.c.Eval(ctx, cycleScript, keys, data, ms).Int()
	switch {
	case err != nil:
		return wrap(ctx, "cycle", err)
	case moved == 0:
		return wrap(ctx, "cycle", store.ErrCreate)
	}
	return nil
}

// cycleSplit is Cycle for clients that spread keys over several nodes.
func (s *Store) cycleSplit(ctx context.Context, oldKey, newKey string, data []byte, expiry time.Time) error {
	if err := s.put(ctx, newKey, data, expiry, true); err != nil {
		return wrap(ctx, "cycle", err)
	}
	if err := s.c.Del(ctx, s.key(oldKey)).Err(); err != nil {
		return wrap(ctx, "cycle: delete old key", err)
	}
	return nil
}
