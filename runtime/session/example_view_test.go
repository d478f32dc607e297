package session_test

import (
	"context"
	"fmt"
	"log"

	"github.com/typedsession/typedsession/runtime/internal/probe"
	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store/memstore"
)

// A generated view, outside HTTP. sessiongen writes, for a struct such as
//
//	type Probe struct {
//		Name  string   `session:"name"`
//		Count int64    `session:"count"`
//		Tags  []string `session:"tags"`
//	}
//
// a view (here probe.Session, with probe.Of; for a struct Cart in another
// package, CartSession and CartOf) with the accessors of each field and the
// whole-session operations of the embedded View. ModifyCount changes a
// field in place: a save that meets a concurrent one replays it on the
// value stored then, so concurrent increments add up.
func ExampleView() {
	m, err := session.NewManager(session.Config{
		Store:  memstore.New(),
		Secret: "example-secret-do-not-use-0123456789abcdef",
	})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	p, err := probe.Of(ctx, m.Open(""))
	if err != nil {
		log.Fatal(err)
	}
	p.SetName("Ada")
	p.ModifyCount(func(n *int64) { *n += 2 })
	p.ModifyCount(func(n *int64) { *n *= 10 })
	if err := p.Session().Save(ctx); err != nil { // the middleware saves by itself
		log.Fatal(err)
	}

	again, err := probe.Of(ctx, m.Open(p.Key()))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(again.Name(), again.Count(), again.HasTags())
	// Output: Ada 20 false
}
