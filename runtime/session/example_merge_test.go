package session_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/typedsession/typedsession/runtime/internal/probe"
	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store/memstore"
)

// Two requests that loaded one session before either saved it: the later
// save merges with the earlier one, by what each did with each field.
// probe stands for a type sessiongen generated; sessions from Open merge
// as the middleware's do.
func Example_concurrentRequests() {
	sessions, err := session.NewManager(session.Config{
		Store:  memstore.New(),
		Secret: "example-secret-do-not-use-0123456789abcdef",
	})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	open := func(key string) *probe.Session {
		p, err := probe.Of(ctx, sessions.Open(key))
		if err != nil {
			log.Fatal(err)
		}
		return p
	}
	first := open("")
	first.SetCount(0)
	if err := first.Session().Save(ctx); err != nil {
		log.Fatal(err)
	}
	key := first.Key()

	// ModifyCount is replayed on the value the other request saved.
	a, b := open(key), open(key)
	a.ModifyCount(func(n *int64) { *n++ })
	b.ModifyCount(func(n *int64) { *n++ })
	fmt.Println(a.Session().Save(ctx), b.Session().Save(ctx), open(key).Count())

	// A value computed from what the request read is not written over a
	// concurrent change: the later save fails, and saves nothing.
	c, d := open(key), open(key)
	c.SetCount(c.Count() + 10)
	d.SetCount(d.Count() + 100)
	fmt.Println(c.Session().Save(ctx), errors.Is(d.Session().Save(ctx), session.ErrConflict), open(key).Count())
	// Output:
	// <nil> <nil> 2
	// <nil> true 12
}
