package codec_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/typedsession/typedsession/runtime/codec"
)

// fuzzSeeds holds seed payloads (the envelope, without a signature), one
// per file.
var fuzzSeeds = filepath.Join("..", "..", "testdata", "fuzz", "codec")

// FuzzDecode feeds arbitrary bytes to Decode, with and without Fields. It
// must never panic, must fail only with ErrMalformed, and whatever it
// accepts must survive a round trip: encoded again and decoded again it
// gives the same metadata, fields and raw fields, and encoding that gives
// the same bytes.
func FuzzDecode(f *testing.F) {
	entries, err := os.ReadDir(fuzzSeeds)
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(fuzzSeeds, e.Name()))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	// Version 2 records, with detached values and without, and one whose
	// detached value does not match its digest.
	for _, b := range v2Seeds(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		roundTripRaw(t, data)
		roundTripFields(t, data)
	})
}

func roundTripRaw(t *testing.T, data []byte) {
	env, err := codec.Decode(data, nil, nil)
	if err != nil {
		if !errors.Is(err, codec.ErrMalformed) {
			t.Fatalf("Decode(nil fields) = %v, want ErrMalformed", err)
		}
		return
	}
	enc1, err := codec.Encode(nil, &env.Meta, nil, env.Raw)
	if err != nil {
		t.Fatalf("Encode of a decoded envelope: %v", err)
	}
	env2, err := codec.Decode(enc1, nil, nil)
	if err != nil {
		t.Fatalf("Decode of the re-encoded envelope %x: %v", enc1, err)
	}
	if diff := cmp.Diff(env.Meta, env2.Meta); diff != "" {
		t.Fatalf("meta changed by a round trip (-first +second):\n%s", diff)
	}
	if diff := cmp.Diff(env.Raw, env2.Raw, cmpFields...); diff != "" {
		t.Fatalf("raw fields changed by a round trip (-first +second):\n%s", diff)
	}
	enc2, err := codec.Encode(nil, &env2.Meta, nil, env2.Raw)
	if err != nil || !bytes.Equal(enc1, enc2) {
		t.Fatalf("encoding is not stable: %x then %x (%v)", enc1, enc2, err)
	}
	// And in version 2, whose detached values must come back as they went.
	v2, signed, err := codec.EncodeDetached(nil, &env.Meta, nil, env.Raw)
	if err != nil {
		t.Fatalf("EncodeDetached of a decoded envelope: %v", err)
	}
	if n, err := codec.SignedLen(v2); err != nil || n != signed {
		t.Fatalf("SignedLen = %d, %v; EncodeDetached said %d", n, err, signed)
	}
	env3, err := codec.Decode(v2, nil, func(key string, err error) {
		t.Fatalf("field %q of the version 2 record dropped: %v", key, err)
	})
	if err != nil {
		t.Fatalf("Decode of the version 2 record %x: %v", v2, err)
	}
	if diff := cmp.Diff(env.Meta, env3.Meta); diff != "" {
		t.Fatalf("meta changed by a version 2 round trip (-first +second):\n%s", diff)
	}
	// Version 2 lists the inline fields before the detached ones.
	if diff := cmp.Diff(env.Raw, env3.Raw, append(cmpFields, byKeyAndValue)...); diff != "" {
		t.Fatalf("raw fields changed by a version 2 round trip (-first +second):\n%s", diff)
	}
}

// byKeyAndValue compares raw fields in any order.
var byKeyAndValue = cmpopts.SortSlices(func(a, b codec.RawField) bool {
	if a.Key != b.Key {
		return a.Key < b.Key
	}
	return string(a.Value) < string(b.Value)
})

func roundTripFields(t *testing.T, data []byte) {
	var f visitor
	env, err := codec.Decode(data, &f, nil)
	if err != nil {
		if !errors.Is(err, codec.ErrMalformed) {
			t.Fatalf("Decode(fields) = %v, want ErrMalformed", err)
		}
		if f.Has != 0 {
			t.Fatalf("failed Decode left fields %+v", f)
		}
		return
	}
	enc, err := codec.Encode(nil, &env.Meta, &f, env.Raw)
	if err != nil {
		t.Fatalf("Encode of decoded fields: %v", err)
	}
	var f2 visitor
	env2, err := codec.Decode(enc, &f2, func(key string, err error) {
		t.Fatalf("re-encoded field %q does not decode: %v", key, err)
	})
	if err != nil {
		t.Fatalf("Decode of re-encoded fields %x: %v", enc, err)
	}
	if diff := cmp.Diff(f, f2, cmpFields...); diff != "" {
		t.Fatalf("fields changed by a round trip (-first +second):\n%s", diff)
	}
	if diff := cmp.Diff(env.Meta, env2.Meta); diff != "" {
		t.Fatalf("meta changed by a round trip (-first +second):\n%s", diff)
	}
	if diff := cmp.Diff(env.Raw, env2.Raw, cmpFields...); diff != "" {
		t.Fatalf("raw fields changed by a round trip (-first +second):\n%s", diff)
	}
}
