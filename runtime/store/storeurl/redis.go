package storeurl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/typedsession/typedsession/runtime/store"
	"github.com/typedsession/typedsession/runtime/store/redisstore"
)

// openRedis opens redis[s]://, redis[s]+cluster:// and redis[s]+sentinel://.
func openRedis(ctx context.Context, u *url.URL, opts Options) (store.Store, io.Closer, error) {
	prefix := takeParam(u, "prefix")
	client, err := redisClient(u)
	if err != nil {
		return nil, nil, err
	}
	st, c, err := newRedis(ctx, client, prefix)
	// go-redis reports a name no sentinel knows as unreachable sentinels,
	// with redis.Nil (their empty answer) among the causes.
	if strings.HasSuffix(u.Scheme, "+sentinel") && errors.Is(err, redis.Nil) {
		return nil, nil, fmt.Errorf("no sentinel that answered knows a master named %q (check master_name): %w",
			u.Query().Get("master_name"), err)
	}
	return st, c, err
}

// redisClient makes the go-redis client u describes, with storeurl's
// defaults for what it does not set.
func redisClient(u *url.URL) (redis.UniversalClient, error) {
	q := u.Query()
	switch {
	case strings.HasSuffix(u.Scheme, "+cluster"):
		// go-redis's cluster URL syntax: redis://host:port?addr=host2:port&addr=...
		c := *u
		c.Scheme = strings.TrimSuffix(u.Scheme, "+cluster")
		o, err := redis.ParseClusterURL(c.String())
		if err != nil {
			return nil, err
		}
		redisTimeouts{&o.DialTimeout, &o.ReadTimeout, &o.WriteTimeout, &o.PoolTimeout, &o.MaxRetries, &o.DialerRetries}.setDefaults(q)
		return redis.NewClusterClient(o), nil
	case strings.HasSuffix(u.Scheme, "+sentinel"):
		o, err := failoverOptions(u)
		if err != nil {
			return nil, err
		}
		redisTimeouts{&o.DialTimeout, &o.ReadTimeout, &o.WriteTimeout, &o.PoolTimeout, &o.MaxRetries, &o.DialerRetries}.setDefaults(q)
		return redis.NewFailoverClient(o), nil
	}
	o, err := redis.ParseURL(u.String())
	if err != nil {
		return nil, err
	}
	redisTimeouts{&o.DialTimeout, &o.ReadTimeout, &o.WriteTimeout, &o.PoolTimeout, &o.MaxRetries, &o.DialerRetries}.setDefaults(q)
	return redis.NewClient(o), nil
}

// The settings storeurl gives go-redis where the URL does not set them.
// go-redis's own defaults make a request wait about two seconds when Redis
// is down (four attempts, each dialling five times) and up to five seconds
// per attempt when its host does not answer; a session store in front of
// every request must fail in well under a second instead, and a healthy
// Redis answers a session's GET or SET in about a millisecond.
const (
	redisDialTimeout = 250 * time.Millisecond // dial_timeout: one TCP (and TLS) connect
	redisIOTimeout   = 250 * time.Millisecond // read_timeout and write_timeout: one command
	redisPoolTimeout = 500 * time.Millisecond // pool_timeout: waiting for a free connection
	redisMaxRetries  = 1                      // max_retries: one more attempt, on a fresh connection
	redisDialRetries = 1                      // dials per attempt (go-redis: 5; a URL cannot set it)
)

// redisTimeouts points at the fields of go-redis's options (for a single
// node, a Cluster or Sentinel) that setDefaults fills in.
type redisTimeouts struct {
	dial, read, write, pool *time.Duration
	retries, dials          *int
}

// setDefaults sets each option that q, the URL's query, does not.
func (r redisTimeouts) setDefaults(q url.Values) {
	for _, d := range []struct {
		name string
		p    *time.Duration
		v    time.Duration
	}{
		{"dial_timeout", r.dial, redisDialTimeout},
		{"read_timeout", r.read, redisIOTimeout},
		{"write_timeout", r.write, redisIOTimeout},
		{"pool_timeout", r.pool, redisPoolTimeout},
	} {
		if !q.Has(d.name) {
			*d.p = d.v
		}
	}
	if !q.Has("max_retries") {
		*r.retries = redisMaxRetries
	}
	if !q.Has("dialer_retries") { // only Sentinel URLs have it
		*r.dials = redisDialRetries
	}
}

// sentinelPort is the port a sentinel listens on unless told otherwise.
// go-redis would default to 6379, Redis's own port, where a sentinel is
// rarely found.
const sentinelPort = "26379"

// failoverOptions reads a Sentinel URL, without typedsession's parameters,
// with go-redis's failover URL syntax: the host and each addr= are
// sentinels, the URL's user and password are the sentinels' own, and the
// master's are the username= and password= parameters.
func failoverOptions(u *url.URL) (*redis.FailoverOptions, error) {
	if u.Opaque != "" {
		return nil, fmt.Errorf("want %s://[user:pass@]host[:port][/db]?master_name=name", u.Scheme)
	}
	c := *u
	c.Scheme = strings.TrimSuffix(u.Scheme, "+sentinel")
	if c.Port() == "" {
		c.Host = net.JoinHostPort(c.Hostname(), sentinelPort)
	}
	o, err := redis.ParseFailoverURL(c.String())
	if err != nil {
		return nil, err
	}
	if o.MasterName == "" {
		return nil, errors.New("no master_name parameter: add master_name=<name>, the name the sentinels " +
			"monitor the master by (sentinel monitor <name> … in sentinel.conf)")
	}
	// go-redis panics on the first two with a failover client, and all
	// three send commands to replicas: writes would fail there, and reads
	// could miss a session just saved on the master.
	if o.RouteByLatency || o.RouteRandomly || o.ReplicaOnly {
		return nil, errors.New("route_by_latency, route_randomly and replica_only send commands to replicas; " +
			"a session store reads and writes on the master: remove them")
	}
	return o, nil
}

func newRedis(ctx context.Context, client redis.UniversalClient, prefix string) (store.Store, io.Closer, error) {
	if err := client.Ping(ctx).Err(); err != nil {
		client.Close()
		return nil, nil, err
	}
	return redisstore.New(client, redisstore.Config{Prefix: prefix}), client, nil
}
