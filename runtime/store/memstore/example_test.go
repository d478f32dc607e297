package memstore_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/typedsession/typedsession/runtime/store"
	"github.com/typedsession/typedsession/runtime/store/memstore"
)

// SwapOwned replaces a record only if it still holds what the caller
// loaded, and files it under its owner in the same step: a request whose
// load is out of date learns it (store.ErrChanged) instead of overwriting
// another request's save.
func ExampleStore_SwapOwned() {
	ctx := context.Background()
	s := memstore.New()
	defer s.Close()
	key, expiry := "examplekey0123456789", time.Now().Add(time.Hour)
	if err := s.SaveOwned(ctx, key, "", []byte("anonymous"), expiry, true); err != nil {
		panic(err)
	}

	// Signing in: the record this request loaded becomes user 42's.
	if err := s.SwapOwned(ctx, key, "42", []byte("anonymous"), []byte("cart=1"), expiry); err != nil {
		panic(err)
	}
	// A request that loaded the record before that swap is refused.
	err := s.SwapOwned(ctx, key, "42", []byte("anonymous"), []byte("cart=2"), expiry)
	fmt.Println(errors.Is(err, store.ErrChanged))

	list, _ := s.ListOwned(ctx, "42")
	for _, r := range list {
		fmt.Printf("%s: %s\n", r.Key, r.Data)
	}
	// Output:
	// true
	// examplekey0123456789: cart=1
}
