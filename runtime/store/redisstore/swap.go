package redisstore

import (
	"context"
	"time"

	"github.com/typedsession/typedsession/runtime/store"
)

var _ store.Swapper = (*Store)(nil)

// swapScript replaces a session only if it still holds what the caller
// loaded. KEYS[1] is the session's key; ARGV[1] the payload loaded, ARGV[2]
// the new payload and ARGV[3] the expiry in Unix milliseconds, or "0" for
// an expiry already past (then the session is deleted). It returns 0 when
// there is no session (deleted or expired), 1 when it holds other data, 2
// when it was replaced.
//
// It touches one key only, so it runs on a Cluster as on a single node.
const swapScript = `
local cur = redis.call('GET', KEYS[1])
if not cur then return 0 end
if cur ~= ARGV[1] then return 1 end
if ARGV[3] == '0' then
  redis.call('DEL', KEYS[1])
else
  redis.call('SET', KEYS[1], ARGV[2], 'PXAT', ARGV[3])
end
return 2
`

// Swap replaces the session under key with data until expiry if it is live
// and holds exactly old: store.ErrChanged if it holds other data,
// store.ErrUpdate if there is none. It is one EVAL of a script that Redis
// runs atomically (compare with GET, then SET ... PXAT): one command and one
// round trip, as Save, on a single node, Sentinel or a Cluster alike. EVAL
// rather than EVALSHA for the reason given at Cycle; go-redis's
// Script.Run would send EVALSHA and, on NOSCRIPT, EVAL. Nor would EVALSHA
// save anything measurable: Redis 7.0 spent 4.9 µs per call of this script
// by EVAL and 4.9 µs by EVALSHA at 330 bytes (45 and 47 µs at 9.8 KB;
// INFO commandstats, five alternated runs), the script text's hash being
// small beside moving the payloads in and out of Lua. The old payload is
// sent whole rather than as a digest for the reason and the numbers given
// at store.Swapper.
//
// What a swap costs beyond a SET is the server's: Lua copies each
// argument and the record GET returns into strings of its own, so the
// script took 4.9 µs of Redis's time against 0.9 µs for SET ... PXAT XX
// at 330 bytes, and 45 against 0.9 µs at 9.8 KB. Redis 7 has no
// compare-and-set command that would spare it (Valkey 8.1 added SET ...
// IFEQ, which compares without Lua).
func (s *Store) Swap(ctx context.Context, key string, old, data []byte, expiry time.Time) error {
	if err := ctx.Err(); err != nil {
		return wrap(ctx, "swap", err)
	}
	var ms int64
	if expiry.After(time.Now()) {
		ms = expiry.UnixMilli()
	}
	res, err := s.c.Eval(ctx, swapScript, []string{s.key(key)}, old, data, ms).Int()
	switch {
	case err != nil:
		return wrap(ctx, "swap", err)
	case res == 0:
		return wrap(ctx, "swap", store.ErrUpdate)
	case res == 1:
		return wrap(ctx, "swap", store.ErrChanged)
	}
	return nil
}

var _ store.OwnedSwapper = (*Store)(nil)

// swapOwnedScript is swapScript for an owned record (see "How owners are
// kept in Redis" in owner.go): it compares the record KEYS[1] with ARGV[1]
// and only then writes it and its companion KEYS[2], and returns {status,
// previous owner} with swapScript's statuses. ARGV[2] is the new payload,
// ARGV[3] the expiry in Unix milliseconds ("0": already past, delete),
// ARGV[4] the owner ("" for none). KEYS[3], given only where one script
// may reach it (a single node), is the owner's index, which it files
// ARGV[5] (the store key) in, before the write, with ARGV[6] as now.
const swapOwnedScript = indexAddFunc + writeOwnedFunc + `
local cur = redis.call('GET', KEYS[1])
if not cur then return {0, ''} end
if cur ~= ARGV[1] then return {1, ''} end
local prev = redis.call('GET', KEYS[2]) or ''
if KEYS[3] then indexAdd(KEYS[3], ARGV[5], ARGV[3], ARGV[6]) end
writeOwned(KEYS[1], KEYS[2], ARGV[2], ARGV[3], ARGV[4])
return {2, prev}
`

// SwapOwned is Swap that files the record under owner ("" for none), as
// SaveOwned does (store.OwnedSwapper). On a single node or a Sentinel
// group it is one EVAL that compares, files the key in the owner's index
// and writes the record and its owner key: one round trip, as Swap. On a
// Cluster the index lives in another hash slot, so, as for SaveOwned, the
// key is filed in the index first and the record swapped after: two round
// trips, and a swap that fails leaves at most an index member that
// listing filters out. Moving the record from another owner's index costs
// one more round trip, a ZREM, after the swap.
func (s *Store) SwapOwned(ctx context.Context, key, owner string, old, data []byte, expiry time.Time) error {
	if err := s.ownedCall(ctx, owner); err != nil {
		return wrap(ctx, "swap", err)
	}
	if err := s.swapOwned(ctx, key, owner, old, data, expiry); err != nil {
		return wrap(ctx, "swap", err)
	}
	return nil
}

func (s *Store) swapOwned(ctx context.Context, key, owner string, old, data []byte, expiry time.Time) error {
	now := time.Now()
	ms := expiryMillis(expiry, now)
	k := s.key(key)
	keys := []string{k, s.ownerOf(k)}
	switch {
	case s.split:
		if err := s.indexFirst(ctx, key, owner, ms, now); err != nil {
			return err
		}
	case owner != "" && ms != 0:
		keys = append(keys, s.indexOf(owner)) // the script files it
	}
	status, prev, err := s.evalOwned(ctx, swapOwnedScript, keys, old, data, ms, owner, key, now.UnixMilli())
	if err != nil {
		return err
	}
	switch status {
	case 0:
		if s.split {
			s.unindexGone(ctx, key, owner, ms)
		}
		return store.ErrUpdate
	case 1:
		// The record is live, perhaps under owner: a member filed first
		// (Cluster) stays, and listing checks it against the owner key.
		return store.ErrChanged
	}
	return s.unindexPrevious(ctx, key, prev, owner, ms)
}
