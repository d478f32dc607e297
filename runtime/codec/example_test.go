package codec_test

import (
	"errors"
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

// Generated code encodes and decodes slices, maps and pointers with the
// generic helpers, one function per element type.
func ExampleReadSlice() {
	w := codec.NewWriter(nil)
	codec.AppendSlice(&w, []string{"Added 2 × Tea", "Welcome back"}, (*codec.Writer).Str)

	r := codec.NewReader(w.Bytes())
	flash := codec.ReadSlice(&r, 0, func(r *codec.Reader, depth int) string { return r.Str() })
	fmt.Println(flash, r.Done())

	// A hostile header that announces more elements than the input holds
	// is refused before anything is allocated.
	r = codec.NewReader([]byte{0xdd, 0xff, 0xff, 0xff, 0xff, 0xa0})
	flash = codec.ReadSlice(&r, 0, func(r *codec.Reader, depth int) string { return r.Str() })
	fmt.Println(flash == nil, errors.Is(r.Done(), codec.ErrMalformed))
	// Output:
	// [Added 2 × Tea Welcome back] <nil>
	// true true
}
