// Command redis is the smallest program with sessions in Redis. A test
// (runtime/store/deps_test.go) checks which packages it links.
package main

import (
	"log"
	"net/http"
	"os"

	"github.com/redis/go-redis/v9"

	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store/redisstore"
)

func main() {
	client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
	mgr, err := session.NewManager(session.Config{
		Store:  redisstore.New(client, redisstore.Config{}),
		Secret: os.Getenv("TYPEDSESSION_SECRET"),
	})
	if err != nil {
		log.Fatal(err)
	}
	log.Fatal(http.ListenAndServe("127.0.0.1:8080", mgr.Handler(http.NotFoundHandler())))
}
