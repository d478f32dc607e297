package redisstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/typedsession/typedsession/runtime/store"
)

var _ store.Owners = (*Store)(nil)

// How owners are kept in Redis
//
// Each owned record has a companion key holding its owner id, with the
// record's expiry, in the record's hash slot (ownerOf), so one script
// writes both. Each owner has an index, a sorted set of the store keys of
// its records scored by expiry in milliseconds (indexOf). On Redis Cluster
// the index and the record are in different slots, so no single command
// can write both; the writes are ordered instead, so that the index may
// hold too much but never too little:
//
//   - SaveOwned adds the key to the new owner's index (raising, never
//     lowering, its score) before it writes the record, and removes it
//     from the previous owner's index only after.
//   - Delete deletes record and companion, then removes the key from the
//     owner's index.
//   - ListOwned reads the index, then each record with its companion, and
//     keeps only live records whose companion names the owner.
//
// An index member whose score has passed belongs to a record that has
// expired (the score is at least the record's expiry), so ListOwned drops
// such members: the lazy cleanup. Members left by a process that died
// between two writes go the same way. Two concurrent saves of one
// session that move it between two owners in opposite directions can drop
// it from the index of the owner that wins until its next save; the
// session package never does that (a sign-in cycles the key).

// saveOwnedScript writes the record (KEYS[1]) and its companion (KEYS[2])
// and returns {status, previous owner}: status 1 saved, 0 the key exists
// (create), -1 no live record (update). ARGV: data, expiry in Unix
// milliseconds (0: already past), 'nx' or 'xx', owner (” for none), the
// store key and now in Unix milliseconds. KEYS[3], given only where one
// script may reach it (a single node), is the owner's index, which it
// files ARGV[5] in, with ARGV[6] as now, once the write is sure to happen
// and before it, as swapOwnedScript does: then a save is one round trip.
const saveOwnedScript = indexAddFunc + writeOwnedFunc + `
local live = redis.call('EXISTS', KEYS[1]) == 1
if ARGV[3] == 'nx' and live then return {0, ''} end
if ARGV[3] == 'xx' and not live then return {-1, ''} end
local prev = ''
if live then prev = redis.call('GET', KEYS[2]) or '' end
if KEYS[3] then indexAdd(KEYS[3], ARGV[5], ARGV[2], ARGV[6]) end
writeOwned(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[4])
return {1, prev}
`

// writeOwnedFunc defines writeOwned, which writes data to record and owner
// (nothing for "") to its companion, both to expire at ms (Unix
// milliseconds), or deletes both for ms "0".
const writeOwnedFunc = `
local function writeOwned(record, companion, data, ms, owner)
  if ms == '0' then
    redis.call('DEL', record, companion)
    return
  end
  redis.call('SET', record, data, 'PXAT', ms)
  if owner == '' then
    redis.call('DEL', companion)
  else
    redis.call('SET', companion, owner, 'PXAT', ms)
  end
end
`

// indexAddFunc defines indexAdd, which adds member to index with score
// unless it has a higher one, keeps the index alive at least that long,
// and drops members whose score is before now.
const indexAddFunc = `
local function indexAdd(index, member, score, now)
  local cur = redis.call('ZSCORE', index, member)
  if not cur or tonumber(cur) < tonumber(score) then
    redis.call('ZADD', index, score, member)
  end
  redis.call('ZREMRANGEBYSCORE', index, '-inf', '(' .. now)
  local ttl = redis.call('PTTL', index)
  if ttl == -1 or (ttl >= 0 and tonumber(now) + ttl < tonumber(score)) then
    redis.call('PEXPIREAT', index, score)
  end
end
`

// indexAddScript runs indexAdd on the index KEYS[1] with member ARGV[1],
// score ARGV[2] and now ARGV[3].
const indexAddScript = indexAddFunc + `
indexAdd(KEYS[1], ARGV[1], ARGV[2], ARGV[3])
return 1
`

// indexListScript drops the members of index KEYS[1] whose score is before
// ARGV[1] (now) and returns the others.
const indexListScript = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1])
return redis.call('ZRANGE', KEYS[1], 0, -1)
`

// readOwnedScript returns {data, pttl} of record KEYS[1] if its companion
// KEYS[2] names ARGV[1], else an empty array.
const readOwnedScript = `
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return {} end
local data = redis.call('GET', KEYS[1])
if not data then return {} end
return {data, redis.call('PTTL', KEYS[1])}
`

// deleteScript deletes a record and its companion and returns the owner
// the companion named (” for none).
const deleteScript = `
local prev = redis.call('GET', KEYS[2]) or ''
redis.call('DEL', KEYS[1], KEYS[2])
return prev
`

var errBadOwner = errors.New("owner id is not valid (see store.ValidOwner)")

// ownerOf returns the name of the companion key of record name k: in k's
// hash slot, under the store's prefix, and never a valid record name.
func (s *Store) ownerOf(k string) string {
	if hasHashTag(k) {
		return k + ":owner"
	}
	return s.prefix + "owner:{" + k + "}"
}

// indexOf returns the name of owner's index.
func (s *Store) indexOf(owner string) string { return s.prefix + "owners:" + owner }

// hasHashTag reports whether Redis Cluster hashes k by a tag in braces.
func hasHashTag(k string) bool {
	i := strings.IndexByte(k, '{')
	return i >= 0 && strings.IndexByte(k[i+1:], '}') > 0
}

// ownersOK reports whether the companion of every record shares its slot:
// not with a prefix that has braces but no hash tag, where Redis Cluster
// would hash the two keys apart.
func (s *Store) ownersOK() error {
	if !s.split || hasHashTag(s.prefix) || !strings.ContainsAny(s.prefix, "{}") {
		return nil
	}
	return fmt.Errorf("prefix %q has braces but no hash tag: owners need a record and its owner key in one hash slot; remove the braces or make them a tag: %w", s.prefix, store.ErrNotSupported)
}

// SaveOwned is Save that records the owner beside the record and in the
// owner's index (see "How owners are kept in Redis" above). On a single
// node or a Sentinel group it is one EVAL that checks the create or update
// condition, files the key in the owner's index and writes the record and
// its owner key: one round trip. On a Cluster the index lives in another
// hash slot, so the key is filed in the index first and the record
// written after: two round trips. Moving the record from another owner's
// index costs one more round trip, a ZREM, after the write.
func (s *Store) SaveOwned(ctx context.Context, key, owner string, data []byte, expiry time.Time, mustCreate bool) error {
	if err := s.ownedCall(ctx, owner); err != nil {
		return wrap(ctx, "save", err)
	}
	if err := s.putOwned(ctx, key, owner, data, expiry, mustCreate); err != nil {
		return wrap(ctx, "save", err)
	}
	return nil
}

// ownedCall checks what a call that writes an owned record checks first:
// the context, the owner id and the prefix.
func (s *Store) ownedCall(ctx context.Context, owner string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if owner != "" && !store.ValidOwner(owner) {
		return errBadOwner
	}
	return s.ownersOK()
}

// expiryMillis returns expiry in Unix milliseconds, or 0 when it is not
// after now (the record is to be deleted).
func expiryMillis(expiry, now time.Time) int64 {
	if !expiry.After(now) {
		return 0
	}
	return expiry.UnixMilli()
}

// indexFirst files key in owner's index, to expire at ms, before its
// record is written (see above); nothing for no owner or a record about
// to be deleted.
func (s *Store) indexFirst(ctx context.Context, key, owner string, ms int64, now time.Time) error {
	if owner == "" || ms == 0 {
		return nil
	}
	if err := s.c.Eval(ctx, indexAddScript, []string{s.indexOf(owner)}, key, ms, now.UnixMilli()).Err(); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	return nil
}

func (s *Store) putOwned(ctx context.Context, key, owner string, data []byte, expiry time.Time, mustCreate bool) error {
	now := time.Now()
	ms := expiryMillis(expiry, now)
	mode := "xx"
	if mustCreate {
		mode = "nx"
	}
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
	status, prev, err := s.evalOwned(ctx, saveOwnedScript, keys, data, ms, mode, owner, key, now.UnixMilli())
	if err != nil {
		return err
	}
	switch status {
	case 0:
		// On a Cluster a member filed first stays: the key is live, and
		// listing checks the member against its owner key.
		return store.ErrCreate
	case -1:
		if s.split {
			s.unindexGone(ctx, key, owner, ms)
		}
		return store.ErrUpdate
	}
	return s.unindexPrevious(ctx, key, prev, owner, ms)
}

// evalOwned runs script, a script of saveOwnedScript's kind that returns
// {status, previous owner}, and returns the two.
func (s *Store) evalOwned(ctx context.Context, script string, keys []string, args ...any) (status int64, prev string, err error) {
	res, err := s.c.Eval(ctx, script, keys, args...).Slice()
	if err != nil {
		return 0, "", err
	}
	if len(res) != 2 {
		return 0, "", fmt.Errorf("owned write: the script returned %d values, want 2", len(res))
	}
	status, _ = res[0].(int64)
	prev, _ = res[1].(string)
	return status, prev, nil
}

// unindexGone removes key, which a write found no live record under, from
// the index of owner, where the write filed it first: keys are never
// reused, so the member just added can go. A failure only leaves a member
// that listing filters out.
func (s *Store) unindexGone(ctx context.Context, key, owner string, ms int64) {
	if owner != "" && ms != 0 {
		s.c.ZRem(ctx, s.indexOf(owner), key)
	}
}

// unindexPrevious removes key from the index of prev, the owner its record
// had before a write filed it under owner until ms (0: deleted), unless
// that is the same index.
func (s *Store) unindexPrevious(ctx context.Context, key, prev, owner string, ms int64) error {
	if prev == "" || (prev == owner && ms != 0) {
		return nil
	}
	if err := s.c.ZRem(ctx, s.indexOf(prev), key).Err(); err != nil {
		return fmt.Errorf("remove from the previous owner's index: %w", err)
	}
	return nil
}

// CycleOwned creates the new record for owner, then deletes the old one
// (and its index entry): there is a moment when both exist, never one when
// neither does.
func (s *Store) CycleOwned(ctx context.Context, oldKey, newKey, owner string, data []byte, expiry time.Time) error {
	if err := s.ownedCall(ctx, owner); err != nil {
		return wrap(ctx, "cycle", err)
	}
	if err := s.putOwned(ctx, newKey, owner, data, expiry, true); err != nil {
		return wrap(ctx, "cycle", err)
	}
	if err := s.deleteOwned(ctx, oldKey); err != nil {
		return wrap(ctx, "cycle: delete old key", err)
	}
	return nil
}

// deleteOwned deletes a record with its companion, then its index entry.
func (s *Store) deleteOwned(ctx context.Context, key string) error {
	if s.ownersOK() != nil {
		return s.c.Del(ctx, s.key(key)).Err()
	}
	k := s.key(key)
	prev, err := s.c.Eval(ctx, deleteScript, []string{k, s.ownerOf(k)}).Text()
	if err != nil || prev == "" {
		return err
	}
	return s.c.ZRem(ctx, s.indexOf(prev), key).Err()
}

// ListOwned returns owner's live records: one script on the index, then
// one pipelined read per member.
func (s *Store) ListOwned(ctx context.Context, owner string) ([]store.Owned, error) {
	if err := ctx.Err(); err != nil {
		return nil, wrap(ctx, "list owned", err)
	}
	if owner == "" {
		return nil, nil
	}
	keys, err := s.c.Eval(ctx, indexListScript, []string{s.indexOf(owner)}, time.Now().UnixMilli()).StringSlice()
	if err != nil {
		return nil, wrap(ctx, "list owned", err)
	}
	if len(keys) == 0 {
		return nil, nil
	}
	cmds := make([]*redis.Cmd, len(keys))
	_, err = s.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, key := range keys {
			k := s.key(key)
			cmds[i] = p.Eval(ctx, readOwnedScript, []string{k, s.ownerOf(k)}, owner)
		}
		return nil
	})
	if err != nil {
		return nil, wrap(ctx, "list owned", err)
	}
	now := time.Now()
	var out []store.Owned
	for i, cmd := range cmds {
		res, err := cmd.Slice()
		if err != nil || len(res) != 2 {
			continue
		}
		data, _ := res[0].(string)
		ttl, _ := res[1].(int64)
		if ttl <= 0 {
			continue
		}
		out = append(out, store.Owned{Key: keys[i], Data: []byte(data), Expiry: now.Add(time.Duration(ttl) * time.Millisecond)})
	}
	return out, nil
}
