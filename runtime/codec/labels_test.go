package codec_test

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/typedsession/typedsession/runtime/codec"
)

// TestLabelsRoundTrip checks that labels survive an encode and decode, and
// that a session without labels encodes exactly as before labels existed
// (six elements), so earlier payloads and golden bytes stay valid.
func TestLabelsRoundTrip(t *testing.T) {
	created := time.Unix(1700000000, 0).UTC()
	labels := map[string]string{"device": "Firefox on Linux", "net": "192.0.2.0/24"}
	data, err := codec.Encode(nil, &codec.Meta{Created: created, Labels: labels}, nil, []codec.RawField{{Key: "uid", Value: []byte{0x2a}}})
	if err != nil {
		t.Fatal(err)
	}
	env, err := codec.Decode(data, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(labels, env.Labels); diff != "" {
		t.Errorf("labels after a round trip (-want +got):\n%s", diff)
	}
	if len(env.Raw) != 1 || env.Raw[0].Key != "uid" {
		t.Errorf("fields after a round trip: %v", env.Raw)
	}
	plain, err := codec.Encode(nil, &codec.Meta{Created: created}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := arrayLen(t, plain); n != 6 {
		t.Errorf("envelope without labels has %d elements, want 6 (the version 1 layout)", n)
	}
	if n := arrayLen(t, data); n != 7 {
		t.Errorf("envelope with labels has %d elements, want 7", n)
	}
	again, err := codec.Encode(nil, &codec.Meta{Created: created, Labels: labels}, nil, []codec.RawField{{Key: "uid", Value: []byte{0x2a}}})
	if err != nil || !bytes.Equal(again, data) {
		t.Errorf("encoding the same labels twice differs: %v", err)
	}
}

// TestLabelsMalformed checks that a labels element of the wrong shape is
// ErrMalformed, never a panic or a silent partial read.
func TestLabelsMalformed(t *testing.T) {
	for name, labels := range map[string]any{
		"not a map":      "device",
		"number value":   map[string]any{"device": 1},
		"too many":       manyLabels(codec.MaxLabels + 1),
		"non-string key": map[int]string{1: "x"},
	} {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			b.WriteByte(1)
			enc := msgpack.NewEncoder(&b)
			for _, v := range []any{[]any{0, 0, 0, 0, 0, map[string]any{}, labels}} {
				if err := enc.Encode(v); err != nil {
					t.Fatal(err)
				}
			}
			_, err := codec.Decode(b.Bytes(), nil, nil)
			if !errors.Is(err, codec.ErrMalformed) {
				t.Errorf("Decode = %v, want ErrMalformed", err)
			}
		})
	}
}

func manyLabels(n int) map[string]string {
	m := map[string]string{}
	for i := range n {
		m[string(rune('a'+i%26))+string(rune('a'+i/26))] = "v"
	}
	return m
}

func arrayLen(t *testing.T, payload []byte) int {
	t.Helper()
	n, err := msgpack.NewDecoder(bytes.NewReader(payload[1:])).DecodeArrayLen()
	if err != nil {
		t.Fatal(err)
	}
	return n
}
