package codec_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/typedsession/typedsession/runtime/codec"
)

// version0 builds a payload in the version 0 layout by hand: version byte 0,
// then one msgpack map of the key/value pairs kv, fields and the reserved
// keys "_created" and "_expiry" alike.
func version0(t testing.TB, kv ...any) []byte {
	t.Helper()
	var buf bytes.Buffer
	buf.WriteByte(0)
	enc := msgpack.NewEncoder(&buf)
	if err := enc.EncodeMapLen(len(kv) / 2); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(kv); i += 2 {
		if err := enc.EncodeString(kv[i].(string)); err != nil {
			t.Fatal(err)
		}
		if err := enc.Encode(kv[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

// C35: payloads in the previous layout decode, report Version 0 so the
// caller re-writes them, and carry their metadata over.
func TestDecodeVersion0(t *testing.T) {
	ada := visitor{Name: "Ada", Visits: 3, Tags: []string{"a"}, Has: hasName | hasVisits | hasTags}
	tests := []struct {
		name     string
		payload  []byte
		wantMeta codec.Meta
		want     visitor
		wantRaw  []codec.RawField
	}{
		{"idle expiry in seconds",
			version0(t, "name", "Ada", "_created", created.Unix(), "visits", 3, "_expiry", 3600, "tags", []string{"a"}),
			codec.Meta{Created: created, Expiry: codec.ExpiryIdle, IdleSeconds: 3600}, ada, nil},
		{"browser close",
			version0(t, "_expiry", 0, "name", "Ada", "visits", 3, "tags", []string{"a"}),
			codec.Meta{Expiry: codec.ExpiryIdle, IdleSeconds: 0}, ada, nil},
		{"absolute expiry, RFC 3339",
			version0(t, "_expiry", "2031-01-02T03:04:05Z", "_created", created.Unix(), "name", "Ada"),
			codec.Meta{Created: created, Expiry: codec.ExpiryAt, ExpiresAt: time.Date(2031, 1, 2, 3, 4, 5, 0, time.UTC)},
			visitor{Name: "Ada", Has: hasName}, nil},
		{"absolute expiry with offset and fraction",
			version0(t, "_expiry", "2031-01-02T05:04:05.25+02:00"),
			codec.Meta{Expiry: codec.ExpiryAt, ExpiresAt: time.Date(2031, 1, 2, 3, 4, 5, 250000000, time.UTC)},
			visitor{}, nil},
		{"no expiry: the default",
			version0(t, "_created", created.Unix(), "visits", 3),
			codec.Meta{Created: created}, visitor{Visits: 3, Has: hasVisits}, nil},
		{"unknown field kept raw",
			version0(t, "theme", "dark", "name", "Ada"),
			codec.Meta{}, visitor{Name: "Ada", Has: hasName}, []codec.RawField{{Key: "theme", Value: mp(t, "dark")}}},
		{"empty map", version0(t), codec.Meta{}, visitor{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got visitor
			env, err := codec.Decode(tt.payload, &got, noWarnings(t))
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if env.Version != 0 {
				t.Errorf("Version = %d, want 0", env.Version)
			}
			if diff := cmp.Diff(tt.wantMeta, env.Meta); diff != "" {
				t.Errorf("meta (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.want, got, cmpFields...); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantRaw, env.Raw, cmpFields...); diff != "" {
				t.Errorf("raw (-want +got):\n%s", diff)
			}

			// Re-written in the current version, it reads the same.
			var again visitor
			env2, err := codec.Decode(encodeV2(t, env.Meta, &got, env.Raw...), &again, noWarnings(t))
			if err != nil {
				t.Fatalf("Decode of the re-written payload: %v", err)
			}
			if env2.Version < codec.MinVersion {
				t.Errorf("re-written Version = %d, want %d or later", env2.Version, codec.MinVersion)
			}
			if diff := cmp.Diff(env.Meta, env2.Meta); diff != "" {
				t.Errorf("re-written meta (-v0 +v1):\n%s", diff)
			}
			if diff := cmp.Diff(got, again, cmpFields...); diff != "" {
				t.Errorf("re-written fields (-v0 +v1):\n%s", diff)
			}
		})
	}
}

// Without Fields, the reserved keys become metadata, never raw fields that
// would be written back as data.
func TestDecodeVersion0WithoutFields(t *testing.T) {
	env, err := codec.Decode(version0(t, "_created", created.Unix(), "name", "Ada", "_expiry", 60), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]codec.RawField{{Key: "name", Value: mp(t, "Ada")}}, env.Raw); diff != "" {
		t.Errorf("raw (-want +got):\n%s", diff)
	}
	want := codec.Meta{Created: created, Expiry: codec.ExpiryIdle, IdleSeconds: 60}
	if diff := cmp.Diff(want, env.Meta); diff != "" {
		t.Errorf("meta (-want +got):\n%s", diff)
	}
}

// A mistyped field in a version 0 payload is dropped like one in version 1.
func TestDecodeVersion0MistypedField(t *testing.T) {
	var got visitor
	var w warnings
	_, err := codec.Decode(version0(t, "visits", "many", "name", "Ada"), &got, w.warn)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(visitor{Name: "Ada", Has: hasName}, got, cmpFields...); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"visits"}, w.keys); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
}
