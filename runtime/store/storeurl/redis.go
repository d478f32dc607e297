package storeurl

import (
	"context"
	"io"
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

func newRedis(ctx context.Context, client redis.UniversalClient, prefix string) (store.Store, io.Closer, error) {
	if err := client.Ping(ctx).Err(); err != nil {
		client.Close()
		return nil, nil, err
	}
	return redisstore.New(client, redisstore.Config{Prefix: prefix}), client, nil
}
