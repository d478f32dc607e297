package codec_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/typedsession/typedsession/runtime/codec"
)

// blob is a value longer than codec.DetachAbove: a string of 300 x's,
// 303 bytes encoded.
func blob(t testing.TB) []byte { return mp(t, strings.Repeat("x", 300)) }

// TestVersion2Vector pins the bytes of a version 2 record: one short
// field in the head, one long one detached after it.
func TestVersion2Vector(t *testing.T) {
	want := "02" + "00000030" + // version, head length (48)
		"97" + // head: array of 7
		"ce67c2d398" + "ce67c49ca5" + "00" + "00" + "00" + // created, saved, expiry kind and value, flags
		"81" + "a3756964" + "2a" + // inline: {"uid": 42}
		"91" + "93" + "a4626c6f62" + "cd012f" + // detached: [["blob", 303,
		"c410" + "b109dab97ff62e169551dc2a262f1cdf" + // SHA-256(value)[:16]]]
		"da012c" + strings.Repeat("78", 300) // the value of "blob"
	raw := []codec.RawField{{Key: "uid", Value: []byte{0x2a}}, {Key: "blob", Value: blob(t)}}
	got, signed, err := codec.EncodeDetached(nil, &codec.Meta{Created: created, Saved: saved}, nil, raw)
	if err != nil {
		t.Fatal(err)
	}
	if hex.EncodeToString(got) != want {
		t.Errorf("EncodeDetached =\n%x\nwant\n%s", got, want)
	}
	if signed != 5+48 {
		t.Errorf("signed = %d, want the version, length and head: %d", signed, 5+48)
	}
	env, err := codec.Decode(got, nil, noWarnings(t))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(raw, env.Raw); diff != "" {
		t.Errorf("Decode raw (-want +got):\n%s", diff)
	}
}

// TestDetachedRoundTrip checks that values longer than DetachAbove, and
// only those, leave the head, and come back through Fields and raw alike.
func TestDetachedRoundTrip(t *testing.T) {
	long := strings.Repeat("λ", codec.DetachAbove)
	v := visitor{Name: long, Visits: 3, Tags: []string{long, "b"}, Has: hasName | hasVisits | hasTags}
	raw := []codec.RawField{{Key: "theme", Value: mp(t, "dark")}, {Key: "blob", Value: blob(t)}}
	meta := codec.Meta{Created: created, Labels: map[string]string{"device": "phone"}}
	payload := encodeV2(t, meta, &v, raw...)
	if n, _ := codec.SignedLen(payload); n >= len(payload)-2*codec.DetachAbove {
		t.Errorf("signed part %d of %d bytes: the long values are not detached", n, len(payload))
	}
	var got visitor
	env, err := codec.Decode(payload, &got, noWarnings(t))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(v, got, cmpFields...); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(meta, env.Meta); diff != "" {
		t.Errorf("meta (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(raw, env.Raw, cmpFields...); diff != "" {
		t.Errorf("raw (-want +got):\n%s", diff)
	}
}

// TestDetachedTampered checks a record whose detached value was changed
// after it was written, digest left as it was: decoding it drops that one
// field, with a warning wrapping ErrDigest, and keeps the rest.
func TestDetachedTampered(t *testing.T) {
	payload := encodeV2(t, codec.Meta{Created: created}, nil,
		codec.RawField{Key: "uid", Value: []byte{0x2a}}, codec.RawField{Key: "blob", Value: blob(t)})
	payload[len(payload)-1] = 'y' // the last byte of the detached value
	var warned []string
	env, err := codec.Decode(payload, nil, func(key string, err error) {
		if !errors.Is(err, codec.ErrDigest) || !errors.Is(err, codec.ErrMalformed) {
			t.Errorf("warning for %q = %v, want ErrDigest (an ErrMalformed)", key, err)
		}
		warned = append(warned, key)
	})
	if err != nil {
		t.Fatalf("Decode = %v; a tampered value costs its field, not the record", err)
	}
	if diff := cmp.Diff([]string{"blob"}, warned); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]codec.RawField{{Key: "uid", Value: []byte{0x2a}}}, env.Raw); diff != "" {
		t.Errorf("raw (-want +got):\n%s", diff)
	}
}

// TestDetachedLazy checks what LazyFields get: a detached value with its
// digest, unchecked (the Fields checks it when it uses the value), and
// what they write back with that digest is not hashed again.
func TestDetachedLazy(t *testing.T) {
	payload := encodeV2(t, codec.Meta{}, nil, codec.RawField{Key: "blob", Value: blob(t)})
	payload[len(payload)-1] = 'y'
	var l lazy
	if _, err := codec.Decode(payload, &l, noWarnings(t)); err != nil {
		t.Fatal(err)
	}
	if len(l.values) != 1 || !l.detached[0] || !bytes.Equal(l.values[0], payload[len(payload)-303:]) {
		t.Fatalf("lazy fields took %q (detached %v), want the tampered value, detached", l.values, l.detached)
	}
	if err := codec.CheckDigest(l.values[0], l.sums[0]); !errors.Is(err, codec.ErrDigest) {
		t.Errorf("CheckDigest of the tampered value = %v, want ErrDigest", err)
	}
	// Written back as taken, with its digest: the same record.
	again := encodeV2(t, codec.Meta{}, &l)
	if !bytes.Equal(again, payload) {
		t.Errorf("written back =\n%x\nwant the record as loaded\n%x", again, payload)
	}
}

// lazy is a LazyFields that keeps every value it is given.
type lazy struct {
	keys     []string
	values   [][]byte
	detached []bool
	sums     []codec.Digest
}

func (l *lazy) TakeField(key, value []byte) bool {
	l.keys, l.values = append(l.keys, string(key)), append(l.values, value)
	l.detached, l.sums = append(l.detached, false), append(l.sums, codec.Digest{})
	return true
}

func (l *lazy) TakeDetached(key, value []byte, sum codec.Digest) bool {
	l.keys, l.values = append(l.keys, string(key)), append(l.values, value)
	l.detached, l.sums = append(l.detached, true), append(l.sums, sum)
	return true
}

func (l *lazy) FieldCount() int { return len(l.keys) }

func (l *lazy) EncodeFields(w *codec.Writer) error {
	for i, k := range l.keys {
		start := w.Len()
		w.Key(k)
		w.Raw(l.values[i])
		if l.detached[i] {
			w.EndField(start, &l.sums[i])
		} else {
			w.EndField(start, nil)
		}
	}
	return w.Err()
}

func (l *lazy) DecodeField(key, value []byte) (bool, error) { return l.TakeField(key, value), nil }
func (l *lazy) ResetFields()                                { *l = lazy{} }
func (l *lazy) AppendFieldKeys(dst []string) []string       { return append(dst, l.keys...) }

// TestVersion2Malformed checks that a version 2 record whose framing does
// not add up is refused with ErrMalformed, before or after its head.
func TestVersion2Malformed(t *testing.T) {
	good := encodeV2(t, codec.Meta{}, nil, codec.RawField{Key: "blob", Value: blob(t)})
	headEnd, err := codec.SignedLen(good)
	if err != nil {
		t.Fatal(err)
	}
	setLen := func(b []byte, n uint32) []byte {
		b = bytes.Clone(b)
		b[1], b[2], b[3], b[4] = byte(n>>24), byte(n>>16), byte(n>>8), byte(n)
		return b
	}
	tests := []struct {
		name    string
		payload []byte
	}{
		{"no head length", []byte{2, 0, 0}},
		{"head longer than the record", setLen(good, 1<<31)},
		{"head shorter than it says", setLen(good, uint32(headEnd-5-1))},
		{"a detached value cut short", good[:len(good)-1]},
		{"bytes after the detached values", append(bytes.Clone(good), 0xc0)},
		{"no detached values", good[:headEnd]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, f := range []codec.Fields{nil, &visitor{}, &lazy{}} {
				if _, err := codec.Decode(tt.payload, f, nil); !errors.Is(err, codec.ErrMalformed) {
					t.Errorf("Decode(%T) = %v, want ErrMalformed", f, err)
				}
			}
		})
	}
}

// v2Seeds are version 2 records for FuzzDecode.
func v2Seeds(tb testing.TB) [][]byte {
	long := encodeV2(tb, codec.Meta{Created: created, Labels: map[string]string{"a": "b"}}, nil,
		codec.RawField{Key: "uid", Value: []byte{0x2a}}, codec.RawField{Key: "blob", Value: blob(tb)},
		codec.RawField{Key: "tags", Value: mp(tb, []string{strings.Repeat("t", 260), "u"})})
	tampered := bytes.Clone(long)
	tampered[len(tampered)-1] ^= 1
	short := encodeV2(tb, codec.Meta{Saved: saved}, nil, codec.RawField{Key: "name", Value: mp(tb, "Ada")})
	return [][]byte{long, tampered, short}
}

// TestEncodeDetachedShort checks that a record with no value longer than
// DetachAbove is written in version 1, byte for byte as Encode writes it,
// and signed whole: releases before version 2 read it.
func TestEncodeDetachedShort(t *testing.T) {
	v := visitor{Name: strings.Repeat("n", codec.DetachAbove-3), Visits: 1, Has: hasName | hasVisits} // 256 bytes encoded
	meta := codec.Meta{Created: created, Labels: map[string]string{"a": "b"}}
	raw := codec.RawField{Key: "theme", Value: mp(t, "dark")}
	got, signed, err := codec.EncodeDetached(nil, &meta, &v, []codec.RawField{raw})
	if err != nil {
		t.Fatal(err)
	}
	if want := encode(t, meta, &v, raw); !bytes.Equal(got, want) {
		t.Errorf("EncodeDetached =\n%x\nwant Encode's\n%x", got, want)
	}
	if signed != len(got) {
		t.Errorf("signed = %d, want the whole record, %d", signed, len(got))
	}
}
