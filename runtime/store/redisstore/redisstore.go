// Package redisstore keeps sessions in Redis, through any go-redis v9
// redis.UniversalClient: a single node, a Sentinel-managed failover group or
// a Redis Cluster.
//
// Every session is one string key, prefix + session key, holding the signed
// payload, with a native Redis expiry equal to the session's expiry (SET
// ... PXAT). Redis removes expired sessions by itself, so ClearExpired does
// nothing. Each operation is a single command and a single round trip:
//
//	Load           GET
//	Save (create)  SET key data PXAT ms NX
//	Save (update)  SET key data PXAT ms XX
//	Delete         EVAL (GET of the owner key, DEL of record and owner key);
//	               for an owned record then ZREM from the owner's index
//	Exists         EXISTS
//	Cycle          EVAL of a short script (SET NX, then DEL only if the SET succeeded)
//	LoadWithExpiry GET and PTTL, pipelined
//
// On a Cluster or a Ring, the two keys of Cycle may live on different nodes,
// where no script can reach both; there Cycle creates the new key and then
// deletes the old one: two round trips, never a moment when neither exists.
//
// Sessions by owner (store.Owners): an owned record has a companion key
// holding its owner id in the record's hash slot, and each owner a sorted
// set of its records' keys; on a Cluster the two are written in an order
// that keeps the index never behind the records (see owner.go). SaveOwned
// writes both, and SwapOwned (store.OwnedSwapper) compares and writes
// both, and on a single node or a Sentinel group the index too, in one
// script: one round trip; on a Cluster the index is written first, in a
// command of its own. With a Cluster, a Prefix containing braces must
// contain a hash tag.
//
// Expiry times are absolute (PXAT), so the application's clock and the
// Redis server's clock should agree (NTP), as for any store that compares
// expiry times.
//
// # Deadlines
//
// The store checks the context before every command, and go-redis honours
// it while waiting for a pooled connection and while dialling. For a
// deadline to also bound a command already sent (a server that accepted the
// connection but does not answer), create the client with
// ContextTimeoutEnabled: true (or context_timeout_enabled=true in a URL);
// otherwise the client's ReadTimeout bounds the wait.
package redisstore

import (
	"github.com/redis/go-redis/v9"

	"github.com/typedsession/typedsession/runtime/store"
)

// DefaultPrefix namespaces session keys when Config.Prefix is empty.
const DefaultPrefix = "session:"

// Config configures a Store. The zero value is ready to use.
type Config struct {
	// Prefix is prepended to every session key, so sessions can share a
	// Redis database with other data and several applications can share a
	// server. Default DefaultPrefix.
	Prefix string
}

// Store is a store.Store backed by Redis. It is safe for concurrent use.
type Store struct {
	c      redis.UniversalClient
	prefix string
	// split is set when the client spreads keys over several nodes
	// (Cluster, Ring), where one script cannot touch two arbitrary keys.
	split bool
}

var (
	_ store.Store  = (*Store)(nil)
	_ store.Cycler = (*Store)(nil)
)

// New returns a Store that keeps sessions through client. The client stays
// the caller's: the Store never closes it.
func New(client redis.UniversalClient, cfg Config) *Store {
	if cfg.Prefix == "" {
		cfg.Prefix = DefaultPrefix
	}
	s := &Store{c: client, prefix: cfg.Prefix}
	switch client.(type) {
	case *redis.ClusterClient, *redis.Ring:
		s.split = true
	}
	return s
}

// key returns the Redis key for a session key.
func (s *Store) key(key string) string { return s.prefix + key }
