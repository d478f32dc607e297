package cachedstore_test

import (
	"log"
	"log/slog"
	"net/http"
	"os"

	"github.com/redis/go-redis/v9"

	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store"
	"github.com/typedsession/typedsession/runtime/store/cachedstore"
	"github.com/typedsession/typedsession/runtime/store/memstore"
	"github.com/typedsession/typedsession/runtime/store/redisstore"
)

// Redis in front of a durable store: reads are served by Redis, every
// session is also kept durably, and a Redis outage is logged, not fatal.
func ExampleNew() {
	// In production the durable store is a sqlstore.Store (or a filestore);
	// memstore only keeps this example self-contained.
	var durable store.Store = memstore.New()
	client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379", ContextTimeoutEnabled: true})
	cache := redisstore.New(client, redisstore.Config{})

	m, err := session.NewManager(session.Config{
		Store:  cachedstore.New(cache, durable, cachedstore.Config{Logger: slog.Default()}),
		Secret: os.Getenv("SESSION_SECRET"),
	})
	if err != nil {
		log.Fatal(err)
	}
	log.Fatal(http.ListenAndServe(":8080", m.Handler(http.NotFoundHandler())))
}
