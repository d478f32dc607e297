package codec_test

import (
	"fmt"
	"log"
	"time"

	"github.com/vmihailenco/msgpack/v5"

	"github.com/typedsession/typedsession/runtime/codec"
)

// Decoding without a type keeps every field raw; tools such as sessionctl
// inspect a stored session this way.
func ExampleDecode() {
	meta := codec.Meta{Created: time.Date(2025, 3, 1, 9, 30, 0, 0, time.UTC), Expiry: codec.ExpiryIdle, IdleSeconds: 3600}
	name, _ := msgpack.Marshal("Ada")
	payload, err := codec.Encode(nil, &meta, nil, []codec.RawField{{Key: "name", Value: name}})
	if err != nil {
		log.Fatal(err)
	}

	env, err := codec.Decode(payload, nil, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("version", env.Version, "created", env.Created.Format(time.RFC3339), "idle", env.IdleSeconds)
	for _, f := range env.Raw {
		var v any
		if err := msgpack.Unmarshal(f.Value, &v); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s = %v\n", f.Key, v)
	}
	// Output:
	// version 1 created 2025-03-01T09:30:00Z idle 3600
	// name = Ada
}
