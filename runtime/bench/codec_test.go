package bench

import (
	"bytes"
	"encoding/gob"
	"encoding/json"
	"testing"

	"github.com/vmihailenco/msgpack/v5"
)

// format is one way of turning a Shopper into bytes and back, through the
// entry points its users call. decode leaves its result where result finds
// it, so that the benchmarks time the decoding alone.
type format struct {
	name   string
	encode func() ([]byte, error)
	decode func(data []byte) error
	result func() Shopper
}

// newFormats returns workload 1's encodings, each encoding v: the generated
// msgpack codec, through the plain struct's methods (generated) and
// through the envelope as every request reads and writes it (envelope, see
// envelope_test.go); msgpack by reflection (the same keys, through
// msgpack.Marshal and Unmarshal); tinylib/msgp's generated code on a copy
// of the struct (msgp); encoding/gob with a new encoder per value, as scs
// and gorilla/securecookie use it; and encoding/json.
func newFormats(tb testing.TB, v Shopper) []format {
	tb.Helper()
	p := plain(v)
	m := msgpOf(v)
	var (
		gen    Shopper
		refl   plainShopper
		gobbed plainShopper
		jsoned plainShopper
		msgped msgpShopper
	)
	// msgp appends to a buffer, as its users pass one they reuse.
	msgpBuf := make([]byte, 0, 1024)
	return []format{
		{
			name:   "msgpack-reflect",
			encode: func() ([]byte, error) { return msgpack.Marshal(&p) },
			decode: func(data []byte) error { refl = plainShopper{}; return msgpack.Unmarshal(data, &refl) },
			result: func() Shopper { return refl.shopper() },
		},
		{
			name:   "generated",
			encode: v.MarshalMsgpack,
			decode: func(data []byte) error { gen = Shopper{}; return gen.UnmarshalMsgpack(data) },
			result: func() Shopper { return gen },
		},
		envelopeFormat(tb, v),
		{
			name: "msgp",
			encode: func() ([]byte, error) {
				var err error
				msgpBuf, err = m.MarshalMsg(msgpBuf[:0])
				return msgpBuf, err
			},
			decode: func(data []byte) error {
				msgped = msgpShopper{}
				_, err := msgped.UnmarshalMsg(data)
				return err
			},
			result: func() Shopper { return msgped.shopper() },
		},
		{
			name: "gob",
			encode: func() ([]byte, error) {
				var buf bytes.Buffer
				err := gob.NewEncoder(&buf).Encode(&p)
				return buf.Bytes(), err
			},
			decode: func(data []byte) error {
				gobbed = plainShopper{}
				return gob.NewDecoder(bytes.NewReader(data)).Decode(&gobbed)
			},
			result: func() Shopper { return gobbed.shopper() },
		},
		{
			name:   "json",
			encode: func() ([]byte, error) { return json.Marshal(&p) },
			decode: func(data []byte) error { jsoned = plainShopper{}; return json.Unmarshal(data, &jsoned) },
			result: func() Shopper { return jsoned.shopper() },
		},
	}
}

// BenchmarkCodec is workload 1: encoding and decoding the session value,
// with the encoded size as B/enc.
func BenchmarkCodec(b *testing.B) {
	for _, c := range newFormats(b, shopper()) {
		data, err := c.encode()
		if err != nil {
			b.Fatalf("%s: %v", c.name, err)
		}
		b.Run("op=encode/codec="+c.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu := startCPU()
			for b.Loop() {
				if _, err := c.encode(); err != nil {
					b.Fatal(err)
				}
			}
			cpu.report(b)
			b.ReportMetric(float64(len(data)), "B/enc")
		})
		b.Run("op=decode/codec="+c.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu := startCPU()
			for b.Loop() {
				if err := c.decode(data); err != nil {
					b.Fatal(err)
				}
			}
			cpu.report(b)
			b.ReportMetric(float64(len(data)), "B/enc")
		})
	}
}
