package codec_test

import (
	"testing"

	"github.com/typedsession/typedsession/runtime/codec"
)

// benchEnvelope is a realistic session: metadata with an idle expiry, three
// typed fields and one field from a newer release kept raw; about 200 bytes.
func benchEnvelope(b *testing.B) (codec.Meta, *visitor, []codec.RawField) {
	meta := codec.Meta{Created: created, Saved: saved, Expiry: codec.ExpiryIdle, IdleSeconds: 1209600}
	v := &visitor{
		Name:   "Ada Lovelace",
		Visits: 42,
		Tags:   []string{"admin", "beta", "newsletter", "fr-FR", "dark-mode"},
		Has:    hasName | hasVisits | hasTags,
	}
	raw := []codec.RawField{{Key: "cart", Value: mp(b, map[string]any{
		"items":  []map[string]any{{"sku": "A-1001", "qty": 2}, {"sku": "B-2002", "qty": 1}},
		"coupon": "SPRING25",
	})}}
	return meta, v, raw
}

func BenchmarkEncode(b *testing.B) {
	meta, v, raw := benchEnvelope(b)
	buf := make([]byte, 0, 512)
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if buf, err = codec.Encode(buf[:0], &meta, v, raw); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(len(buf)))
}

func BenchmarkDecode(b *testing.B) {
	meta, v, raw := benchEnvelope(b)
	payload := encode(b, meta, v, raw...)
	b.Run("fields", func(b *testing.B) {
		var got visitor
		b.ReportAllocs()
		b.SetBytes(int64(len(payload)))
		for b.Loop() {
			got.ResetFields()
			if _, err := codec.Decode(payload, &got, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("raw", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(payload)))
		for b.Loop() {
			if _, err := codec.Decode(payload, nil, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}
