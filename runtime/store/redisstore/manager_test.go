package redisstore_test

import (
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/typedsession/typedsession/runtime/sessiontest"
	"github.com/typedsession/typedsession/runtime/store/redisstore"
)

// TestManagerSurvivesRedisOutage stops Redis and starts it again under a
// running Manager (see sessiontest.RunOutage); the client reconnects by
// itself, within a second or so.
func TestManagerSurvivesRedisOutage(t *testing.T) {
	mr := miniredis.RunT(t)
	c := redis.NewClient(&redis.Options{Addr: mr.Addr(), MaxRetries: -1, DialerRetries: 1})
	defer c.Close()
	sessiontest.RunOutage(t, redisstore.New(c, redisstore.Config{}), sessiontest.Outage{
		Break: func(t *testing.T) { mr.Close() },
		Restore: func(t *testing.T) {
			if err := mr.Restart(); err != nil {
				t.Fatal(err)
			}
		},
		Recovery: 20 * time.Second,
	})
}
