package sessiontest

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/typedsession/typedsession/runtime/codec"
	"github.com/typedsession/typedsession/runtime/internal/probe"
	"github.com/typedsession/typedsession/runtime/session"
)

// codecCases are C28–C30, C35, C39, C40 and C62: what is stored, and what
// happens to data that is corrupt, old, or from another version of the
// application.
var codecCases = []testCase{
	{"C28", "round_trip", func(t *testing.T, h *harness) {
		want := probe.Probe{Name: "Zoë 日本", Count: -42, Tags: []string{"", "b"}}
		key := h.saved(func(p *probe.Session) { p.Update(func(v *probe.Probe) { *v = want }) })
		if diff := cmp.Diff(want, h.open(key).Values()); diff != "" {
			t.Errorf("round trip (-want +got):\n%s", diff)
		}
	}},
	{"C29", "corrupt_data_is_empty", func(t *testing.T, h *harness) {
		good := h.saved(func(p *probe.Session) { p.SetName("Ada") })
		for name, key := range h.corruptKeys(good) {
			t.Run(name, func(t *testing.T) {
				before := strings.Count(h.security.String(), "\n")
				p := h.open(key)
				if p.HasName() || p.Key() != "" {
					t.Errorf("corrupt session: HasName %v, Key %q; want empty, no key", p.HasName(), p.Key())
				}
				if strings.Count(h.security.String(), "\n") == before {
					t.Error("nothing logged on the security logger")
				}
			})
		}
	}},
	{"C30", "undecodable_signed_data_is_empty", func(t *testing.T, h *harness) {
		sg := signer(t, Secret)
		for name, payload := range map[string][]byte{
			"bad msgpack":     {1, 0xc1, 0xc1},
			"future version":  {99, 0x90},
			"wrong structure": {1, 0x81, 0xa1, 'x', 0x01},
			"empty":           {},
		} {
			t.Run(name, func(t *testing.T) {
				before := h.security.String()
				p := h.open(h.plant(sg.Sign(nil, payload)))
				if p.HasName() || p.Key() != "" {
					t.Errorf("HasName %v, Key %q; want empty, no key", p.HasName(), p.Key())
				}
				if h.security.String() == before {
					t.Error("nothing logged on the security logger")
				}
			})
		}
	}},
	{"C35", "old_format_and_fallback_secret_rewritten", func(t *testing.T, h *harness) {
		t.Run("version0", func(t *testing.T) {
			key := h.plant(signer(t, Secret).Sign(nil, version0(t, "Ada", 3600)))
			p := h.open(key)
			if p.Name() != "Ada" || p.ExpiryAge() != time.Hour {
				t.Fatalf("version 0: Name %q, ExpiryAge %v; want Ada, 1h", p.Name(), p.ExpiryAge())
			}
			h.save(p)
			if v := h.storedVersion(p.Key(), Secret); v < codec.MinVersion {
				t.Errorf("re-written in version %d, want %d or later", v, codec.MinVersion)
			}
		})
		t.Run("fallback_secret", func(t *testing.T) {
			old := h.manager(func(c *session.Config) { c.Secret = FallbackSecret })
			p := h.openWith(old, "")
			p.SetName("Ada")
			h.save(p)
			rotated := h.manager(func(c *session.Config) { c.FallbackSecrets = []string{FallbackSecret} })
			q := h.openWith(rotated, p.Key())
			if q.Name() != "Ada" {
				t.Fatalf("Name() with the old secret as fallback = %q, want Ada", q.Name())
			}
			h.save(q)
			if v := h.storedVersion(q.Key(), Secret); v < codec.MinVersion {
				t.Errorf("re-signed record has version %d, want %d or later", v, codec.MinVersion)
			}
		})
	}},
	{"C39", "unknown_field_survives", func(t *testing.T, h *harness) {
		future := encode(t, map[string]any{"theme": "dark"})
		key := h.plant(signer(t, Secret).Sign(nil, envelope(t, codec.RawField{Key: "name", Value: encode(t, "Ada")},
			codec.RawField{Key: "future", Value: future})))
		p := h.open(key)
		p.SetCount(1)
		h.save(p)
		env := h.stored(p.Key(), Secret)
		var got []byte
		for _, r := range env.Raw {
			if r.Key == "future" {
				got = r.Value
			}
		}
		if !bytes.Equal(got, future) {
			t.Errorf("unknown field after load/save = %x, want %x", got, future)
		}
	}},
	{"C40", "mistyped_field_dropped", func(t *testing.T, h *harness) {
		key := h.plant(signer(t, Secret).Sign(nil, envelope(t,
			codec.RawField{Key: "count", Value: encode(t, "not a number")},
			codec.RawField{Key: "name", Value: encode(t, "Ada")})))
		p := h.open(key)
		if p.HasCount() {
			t.Error("mistyped field kept")
		}
		if p.Name() != "Ada" {
			t.Errorf("Name() = %q, want the other field kept", p.Name())
		}
		if !strings.Contains(h.log.String(), "count") {
			t.Errorf("no warning naming the dropped field; log:\n%s", h.log.String())
		}
	}},
	{"C62", "forged_detached_value_dropped", func(t *testing.T, h *harness) {
		// A value too long for the record's head is stored after it,
		// covered by its digest in the signed head (codec.DetachAbove).
		tags := make([]string, 40)
		for i := range tags {
			tags[i] = strings.Repeat(string(rune('a'+i%26)), 10)
		}
		key := h.saved(func(p *probe.Session) { p.SetName("Ada"); p.SetTags(tags) })
		if h.client != nil {
			// The cookie's AEAD covers the whole record, which detaches
			// nothing (C29 forges it): it round trips.
			if diff := cmp.Diff(tags, h.open(key).Tags()); diff != "" {
				t.Errorf("tags (-want +got):\n%s", diff)
			}
			return
		}
		ctx := context.Background()
		data, _, err := h.raw.Load(ctx, h.storeKey(key))
		if err != nil {
			t.Fatal(err)
		}
		payload, _, err := session.VerifyRecord(signer(t, Secret), data)
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := codec.SignedLen(payload); n >= len(payload) {
			t.Fatalf("the stored record detaches nothing: %x", payload)
		}
		// The last byte of the detached values changed, the signed head
		// (and so the MAC) as it was.
		forged := bytes.Clone(data)
		forged[len(payload)-1] ^= 0x01
		if err := h.raw.Save(ctx, h.storeKey(key), forged, time.Now().Add(time.Hour), false); err != nil {
			t.Fatal(err)
		}
		before := h.security.String()
		p := h.open(key)
		if p.Key() != key || p.Name() != "Ada" {
			t.Errorf("Key %q, Name %q; want the session kept, with its other fields", p.Key(), p.Name())
		}
		if p.HasTags() {
			t.Errorf("forged tags read as %q, want absent", p.Tags())
		}
		if h.security.String() == before || !strings.Contains(h.security.String(), "tags") {
			t.Errorf("no security warning naming the field; security log:\n%s", h.security.String())
		}
	}},
}

// plant stores a signed payload the way the store would hold it and returns
// the key (for a client-side store, the sealed cookie value).
func (h *harness) plant(signed []byte) string {
	h.t.Helper()
	ctx := context.Background()
	expiry := time.Now().Add(time.Hour)
	if h.client != nil {
		key, err := h.client.Seal(ctx, signed, expiry)
		if err != nil {
			h.t.Fatal(err)
		}
		return key
	}
	key := strings.Repeat("p", 20) + randomSuffix()
	if err := h.raw.Save(ctx, h.storeKey(key), signed, expiry, true); err != nil {
		h.t.Fatal(err)
	}
	return key
}

// corruptKeys returns keys whose records are corrupt in different ways,
// derived from the good key's record.
func (h *harness) corruptKeys(good string) map[string]string {
	h.t.Helper()
	if h.client != nil {
		flipped := []byte(good)
		flipped[len(flipped)/2] ^= 0x01
		if flipped[len(flipped)/2] == '.' || flipped[len(flipped)/2] == '/' {
			flipped[len(flipped)/2] = 'A'
		}
		return map[string]string{
			"bad base64":   "!!not*base64!!",
			"random":       "q83hfQ0a8f7GQdhf7dh2ks9a8d7f6g5h4j3k2l1",
			"truncated":    good[:len(good)/2],
			"flipped byte": string(flipped),
		}
	}
	data, _, err := h.raw.Load(context.Background(), h.storeKey(good))
	if err != nil {
		h.t.Fatal(err)
	}
	flipped := bytes.Clone(data)
	flipped[len(flipped)-1] ^= 0x80
	return map[string]string{
		"random":        h.plant([]byte("random bytes, not a session at all, long enough to look signed!!")),
		"truncated":     h.plant(data[:len(data)/2]),
		"bad signature": h.plant(flipped),
		"empty":         h.plant([]byte{}),
	}
}

// stored reads back the record under key, verified with secret.
func (h *harness) stored(key, secret string) codec.Envelope {
	h.t.Helper()
	data, found, err := h.raw.Load(context.Background(), h.storeKey(key))
	if err != nil || !found {
		h.t.Fatalf("load %q: found %v, err %v", key, found, err)
	}
	payload, idx, err := session.VerifyRecord(signer(h.t, secret), data)
	if err != nil || idx != 0 {
		h.t.Fatalf("stored record does not verify with the current secret: %v", err)
	}
	env, err := codec.Decode(payload, nil, nil)
	if err != nil {
		h.t.Fatal(err)
	}
	return env
}

func (h *harness) storedVersion(key, secret string) int { return h.stored(key, secret).Version }

// version0 builds a payload in the earlier envelope layout.
func version0(t *testing.T, name string, idleSeconds int) []byte {
	t.Helper()
	var buf bytes.Buffer
	buf.WriteByte(0)
	enc := msgpack.NewEncoder(&buf)
	check(t, enc.EncodeMapLen(3), enc.EncodeString("name"), enc.EncodeString(name),
		enc.EncodeString("_created"), enc.EncodeInt(time.Now().Unix()),
		enc.EncodeString("_expiry"), enc.EncodeInt(int64(idleSeconds)))
	return buf.Bytes()
}

// envelope builds a current-version payload with the given raw fields.
func envelope(t *testing.T, fields ...codec.RawField) []byte {
	t.Helper()
	b, err := codec.Encode(nil, &codec.Meta{Created: time.Now()}, nil, fields)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func encode(t *testing.T, v any) []byte {
	t.Helper()
	b, err := msgpack.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func check(t *testing.T, errs ...error) {
	t.Helper()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}
