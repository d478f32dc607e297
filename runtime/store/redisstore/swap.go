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
// rather than EVALSHA for the reason given at Cycle.
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
