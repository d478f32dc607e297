package storeurl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"

	"github.com/redis/go-redis/v9"

	"github.com/typedsession/typedsession/runtime/store"
	"github.com/typedsession/typedsession/runtime/store/redisstore"
)

func openRedis(ctx context.Context, u *url.URL, opts Options) (store.Store, io.Closer, error) {
	prefix := takeParam(u, "prefix")
	o, err := redis.ParseURL(u.String())
	if err != nil {
		return nil, nil, err
	}
	return newRedis(ctx, redis.NewClient(o), prefix)
}

// openRedisCluster opens redis+cluster://host:port?addr=host2:port&addr=...
// with go-redis's cluster URL syntax.
func openRedisCluster(ctx context.Context, u *url.URL, opts Options) (store.Store, io.Closer, error) {
	prefix := takeParam(u, "prefix")
	c := *u
	c.Scheme = strings.TrimSuffix(u.Scheme, "+cluster")
	o, err := redis.ParseClusterURL(c.String())
	if err != nil {
		return nil, nil, err
	}
	return newRedis(ctx, redis.NewClusterClient(o), prefix)
}

// sentinelPort is the port a sentinel listens on unless told otherwise.
// go-redis would default to 6379, Redis's own port, where a sentinel is
// rarely found.
const sentinelPort = "26379"

// openRedisSentinel opens
// redis+sentinel://[user:pass@]host[:port][/db]?master_name=name&addr=host2:port&...
// through the sentinels it names.
func openRedisSentinel(ctx context.Context, u *url.URL, opts Options) (store.Store, io.Closer, error) {
	prefix := takeParam(u, "prefix")
	o, err := failoverOptions(u)
	if err != nil {
		return nil, nil, err
	}
	st, c, err := newRedis(ctx, redis.NewFailoverClient(o), prefix)
	// go-redis reports a name no sentinel knows as unreachable sentinels,
	// with redis.Nil (their empty answer) among the causes.
	if errors.Is(err, redis.Nil) {
		return nil, nil, fmt.Errorf("no sentinel that answered knows a master named %q (check master_name): %w", o.MasterName, err)
	}
	return st, c, err
}

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
