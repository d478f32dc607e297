package bench

import (
	"bytes"
	"encoding/gob"
	"encoding/json"
	"testing"

	"github.com/vmihailenco/msgpack/v5"
)

// format is one way of turning a Shopper into bytes and back, through the
// entry points its users call. encode returns the bytes in a new slice the
// caller keeps; append writes them into a buffer reused from one call to
// the next, as a server encoding a value per request would (nil for a
// library without such a call). decode leaves its result where result
// finds it, so that the benchmarks time the decoding alone.
type format struct {
	name   string
	encode func() ([]byte, error)
	append func() ([]byte, error)
	decode func(data []byte) error
	result func() Shopper
}

// newFormats returns workload 1's encodings, each encoding v: the generated
// msgpack codec, through the plain struct's methods (generated:
// MarshalMsgpack, AppendMsgpack, UnmarshalMsgpack) and through the
// envelope as every request reads and writes it (envelope, see
// envelope_test.go; it only appends, into the session's reused buffer);
// msgpack by reflection (the same keys, through msgpack.Marshal and
// Unmarshal, and an Encoder kept on a reused bytes.Buffer); tinylib/msgp's
// generated code on a copy of the struct (msgp: MarshalMsg(nil),
// MarshalMsg(buf[:0]), UnmarshalMsg); encoding/gob with a new encoder per
// value, as scs and gorilla/securecookie use it; and encoding/json.
//
// The calls compared are alike: encode is each library's call that returns
// a new slice, append each one's call into a reused buffer, decode each
// one's decoding into a zero value of the struct.
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
	var reflBuf bytes.Buffer
	reflEnc := msgpack.NewEncoder(&reflBuf)
	genBuf := make([]byte, 0, 1024)
	msgpBuf := make([]byte, 0, 1024)
	// envelopeFormat's encode is the session's call, codec.Encode into a
	// pooled buffer it reuses: this workload's append.
	envelope := envelopeFormat(tb, v)
	envelope.encode, envelope.append = nil, envelope.encode
	return []format{
		{
			name:   "msgpack-reflect",
			encode: func() ([]byte, error) { return msgpack.Marshal(&p) },
			append: func() ([]byte, error) {
				reflBuf.Reset()
				err := reflEnc.Encode(&p)
				return reflBuf.Bytes(), err
			},
			decode: func(data []byte) error { refl = plainShopper{}; return msgpack.Unmarshal(data, &refl) },
			result: func() Shopper { return refl.shopper() },
		},
		{
			name:   "generated",
			encode: v.MarshalMsgpack,
			append: func() ([]byte, error) {
				var err error
				genBuf, err = v.AppendMsgpack(genBuf[:0])
				return genBuf, err
			},
			decode: func(data []byte) error { gen = Shopper{}; return gen.UnmarshalMsgpack(data) },
			result: func() Shopper { return gen },
		},
		envelope,
		{
			name:   "msgp",
			encode: func() ([]byte, error) { return m.MarshalMsg(nil) },
			append: func() ([]byte, error) {
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

// encodeOf returns f's encode, or its append for a format that only
// appends.
func (f format) encodeOf() func() ([]byte, error) {
	if f.encode != nil {
		return f.encode
	}
	return f.append
}

// BenchmarkCodec is workload 1: encoding and decoding the session value,
// with the encoded size as B/enc. op=encode returns a new slice, op=append
// writes into a buffer reused from one call to the next (see format).
func BenchmarkCodec(b *testing.B) {
	for _, c := range newFormats(b, shopper()) {
		data, err := c.encodeOf()()
		if err != nil {
			b.Fatalf("%s: %v", c.name, err)
		}
		data = bytes.Clone(data) // an append's buffer is written again by the next
		for _, op := range []struct {
			name string
			run  func() ([]byte, error)
		}{
			{"encode", c.encode},
			{"append", c.append},
			{"decode", func() ([]byte, error) { return nil, c.decode(data) }},
		} {
			if op.run == nil {
				continue
			}
			b.Run("op="+op.name+"/codec="+c.name, func(b *testing.B) {
				b.ReportAllocs()
				cpu := startCPU()
				for b.Loop() {
					if _, err := op.run(); err != nil {
						b.Fatal(err)
					}
				}
				cpu.report(b)
				b.ReportMetric(float64(len(data)), "B/enc")
			})
		}
	}
}
