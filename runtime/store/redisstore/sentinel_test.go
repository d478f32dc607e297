package redisstore_test

import (
	"context"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/typedsession/typedsession/runtime/internal/redistest"
	"github.com/typedsession/typedsession/runtime/sessiontest"
)

// TestSentinel runs the store tests and the conformance suite against a
// real Sentinel group (a master, a replica and three sentinels) that it
// starts on loopback ports, through both clients an application may use.
func TestSentinel(t *testing.T) {
	g := redistest.StartSentinelGroup(t, 3)
	for _, c := range sentinelClients(g) {
		t.Run(c.name, func(t *testing.T) {
			// One client for every store, as in an application (see
			// sentinelClient). Each store has a prefix of its own, and
			// adds a round-trip counter that only its own test reads.
			client := c.new()
			t.Cleanup(func() { client.Close() })
			newEnv := func(t *testing.T) *env { return newEnv(t, client, nil, false) }
			t.Run("store", func(t *testing.T) { runStoreTests(t, newEnv) })
			t.Run("conformance", func(t *testing.T) { sessiontest.RunWith(t, factory(newEnv), redisOptions) })
		})
	}
}

// TestSentinelFailover checks that a store keeps working, through the same
// client, after Sentinel has promoted the replica: the sessions written
// before are there, and updates go to the new master.
func TestSentinelFailover(t *testing.T) {
	g := redistest.StartSentinelGroup(t, 3)
	type session struct {
		client string
		e      *env
		key    string
	}
	var sessions []session
	for _, c := range sentinelClients(g) {
		client := c.new()
		t.Cleanup(func() { client.Close() })
		s := session{c.name, newEnv(t, client, nil, false), newKey()}
		mustSave(t, s.e, s.key, []byte("before"), hour(), true)
		sessions = append(sessions, s)
	}
	for _, s := range sessions {
		g.WaitReplicated(t, s.e.prefix+s.key, "before")
	}

	g.Failover(t)

	for _, s := range sessions {
		t.Run(s.client, func(t *testing.T) {
			wantData(t, s.e, s.key, []byte("before"))
			mustSave(t, s.e, s.key, []byte("after"), hour(), false)
			wantData(t, s.e, s.key, []byte("after"))
			next := newKey()
			if err := s.e.s.Cycle(context.Background(), s.key, next, []byte("cycled"), hour()); err != nil {
				t.Fatalf("Cycle after failover: %v", err)
			}
			wantData(t, s.e, s.key, nil)
			wantData(t, s.e, next, []byte("cycled"))
			g.WantOnMaster(t, s.e.prefix+next, "cycled")
		})
	}
}

// sentinelClient makes a client of the group. Tests make few: go-redis
// (v9.22) builds a failover client with the placeholder address
// "FailoverClient" and looks that name up in DNS, for up to 2 s, on every
// construction.
type sentinelClient struct {
	name string
	new  func() redis.UniversalClient
}

// sentinelClients returns the ways an application reaches the group: a
// failover client, or the universal client built from configuration, which
// is a failover client when MasterName is set.
func sentinelClients(g *redistest.SentinelGroup) []sentinelClient {
	return []sentinelClient{
		{"failover_client", func() redis.UniversalClient {
			return redis.NewFailoverClient(&redis.FailoverOptions{
				MasterName: redistest.MasterName, SentinelAddrs: g.Sentinels,
			})
		}},
		{"universal_client", func() redis.UniversalClient {
			return redis.NewUniversalClient(&redis.UniversalOptions{
				MasterName: redistest.MasterName, Addrs: g.Sentinels,
			})
		}},
	}
}
