package redisstore_test

import (
	"log"
	"net/http"
	"os"

	"github.com/redis/go-redis/v9"

	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store/redisstore"
)

// A Manager keeping its sessions in Redis. ContextTimeoutEnabled lets a
// request's deadline also bound a Redis command already sent.
func ExampleNew() {
	client := redis.NewClient(&redis.Options{
		Addr:                  "127.0.0.1:6379",
		ContextTimeoutEnabled: true,
	})
	m, err := session.NewManager(session.Config{
		Store:  redisstore.New(client, redisstore.Config{Prefix: "myapp:session:"}),
		Secret: os.Getenv("SESSION_SECRET"),
	})
	if err != nil {
		log.Fatal(err)
	}
	log.Fatal(http.ListenAndServe(":8080", m.Handler(http.NotFoundHandler())))
}

// The same store over a Redis Cluster: only the client changes. With
// several addresses NewUniversalClient returns a *redis.ClusterClient; with
// MasterName set it returns a Sentinel-backed failover client instead.
func ExampleNew_cluster() {
	client := redis.NewUniversalClient(&redis.UniversalOptions{
		Addrs:                 []string{"10.0.0.1:6379", "10.0.0.2:6379", "10.0.0.3:6379"},
		ContextTimeoutEnabled: true,
	})
	_ = redisstore.New(client, redisstore.Config{})
}
