package codec_test

// Regression tests for bugs found by review and fuzzing of the envelope
// decoder; each failed before its fix.

import (
	"errors"
	"runtime"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/typedsession/typedsession/runtime/codec"
)

// Bug 1: the expiry kind is read as a uint64 and converted to ExpiryKind
// (uint8) before it is checked, so kind 257 passes for ExpiryIdle (1).
func TestBugExpiryKindTruncated(t *testing.T) {
	payload := payloadOf(1, 0x96, 0, 0, 0xcd, 0x01, 0x01, 0x3c, 0, 0x80) // kind = uint16 257
	if env, err := codec.Decode(payload, nil, nil); !errors.Is(err, codec.ErrMalformed) {
		t.Errorf("Decode with expiry kind 257 = %+v, %v; want ErrMalformed", env.Meta, err)
	}
}

// Bug 2: an absolute expiry is stored as UnixNano, which only covers the
// years 1678..2262; ExpireAt(year 2300), or a version 0 "_expiry" past
// 2262, comes back as a different time: year 2300 becomes 1715 (the
// session is dead at once), year 1600 becomes 2184 (an expired session
// would live). Clamping to the range keeps the meaning.
func TestBugExpiresAtOutsideUnixNanoRange(t *testing.T) {
	limit := time.Date(2262, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, at := range []time.Time{
		time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC),
		time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC),
	} {
		meta := codec.Meta{Expiry: codec.ExpiryAt, ExpiresAt: at}
		env, err := codec.Decode(encode(t, meta, nil), nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := env.ExpiresAt; at.After(limit) != got.After(limit) {
			t.Errorf("ExpiresAt %v came back as %v, on the other side of now", at, got)
		}
	}
	v0, err := codec.Decode(version0(t, "_expiry", "9999-12-31T23:59:59Z"), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	again, err := codec.Decode(encode(t, v0.Meta, nil), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(v0.Meta, again.Meta); diff != "" {
		t.Errorf("v0 far-future expiry re-written (-v0 +v1):\n%s", diff)
	}
}

// Bug 3: a version 0 "_expiry" of nil (Django's None: no custom expiry) is
// read by DecodeInt64, which turns nil into 0, i.e. "expire at browser
// close" instead of the default.
func TestBugVersion0NilExpiryIsDefault(t *testing.T) {
	env, err := codec.Decode(version0(t, "_expiry", nil, "name", "Ada"), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if env.Expiry != codec.ExpiryDefault {
		t.Errorf("Expiry = %v (IdleSeconds %d) for _expiry nil, want ExpiryDefault", env.Expiry, env.IdleSeconds)
	}
}

// Bug 4: Decode does not reset f before decoding: fields absent from the
// payload keep whatever f held, and the empty-payload error path returns
// before the reset that every other error path does.
func TestBugDecodeResetsFields(t *testing.T) {
	payload := encode(t, codec.Meta{}, &visitor{Name: "Ada", Has: hasName})
	f := visitor{Visits: 99, Has: hasVisits}
	if _, err := codec.Decode(payload, &f, nil); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(visitor{Name: "Ada", Has: hasName}, f, cmpFields...); diff != "" {
		t.Errorf("fields after Decode into a used value (-want +got):\n%s", diff)
	}
	f = visitor{Visits: 99, Has: hasVisits}
	if _, err := codec.Decode(nil, &f, nil); err == nil || f.Has != 0 {
		t.Errorf("Decode(empty) = %v, left fields %+v; want an error and reset fields", err, f)
	}
}

// Suggestion 5: bytes after a complete envelope are ignored, so two
// different payloads decode to the same session. Signed data cannot be
// extended by an attacker, but a strict decoder costs one comparison.
func TestBugTrailingBytesRefused(t *testing.T) {
	payload := append(encode(t, codec.Meta{}, nil), 0xc0, 0xc0)
	if _, err := codec.Decode(payload, nil, nil); !errors.Is(err, codec.ErrMalformed) {
		t.Errorf("Decode with 2 trailing bytes = %v, want ErrMalformed", err)
	}
}

// Suggestion 6: Encode dereferences meta without a check; a nil *Meta
// panics instead of encoding empty metadata (or returning an error).
func TestBugEncodeNilMeta(t *testing.T) {
	defer func() {
		if p := recover(); p != nil {
			t.Errorf("Encode(nil meta) panicked: %v", p)
		}
	}()
	if _, err := codec.Encode(nil, nil, nil, nil); err != nil {
		t.Logf("Encode(nil meta) = %v (an error is fine, a panic is not)", err)
	}
}

// Bug 7 (the serious one): a declared length far beyond the payload (a
// string, binary or extension "of 4 GiB" in 12 bytes) makes msgpack grow
// the pooled Decoder's read buffer, which it keeps even though the read
// fails; the next such payload grows it again, by at least 1 MiB and
// usually by a quarter. 50 payloads leave ~4.9 GB in use; FuzzDecode is
// OOM-killed within about 30 s. Fix: Decode no longer reads with msgpack's
// Decoder at all, and checks each value's lengths (valueLen) before anything
// reads it; see wellformed.go beside this file.
func TestBugHostileLengthsDoNotGrowMemory(t *testing.T) {
	hostile := v1(0x81, 0xa1, 'k', 0xc6, 0xff, 0xff, 0xff, 0xff) // raw bin "of 4 GiB"
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range 20 {
		if _, err := codec.Decode(hostile, nil, nil); !errors.Is(err, codec.ErrMalformed) {
			t.Fatalf("Decode = %v, want ErrMalformed", err)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	if grown := int64(after.HeapInuse) - int64(before.HeapInuse); grown > 16<<20 {
		t.Errorf("20 hostile 12-byte payloads left the heap %d MiB larger", grown>>20)
	}
}
