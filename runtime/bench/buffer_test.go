package bench

import (
	"testing"

	"github.com/typedsession/typedsession/runtime/codec"
)

// BenchmarkEncodeBuffer separates what workload 1's encode rows mix: the
// generated encoder against msgp's, each appending to a buffer reused from
// one call to the next (into=reused: the generated appendShopper, which
// MarshalMsgpack and the envelope call, with a Writer on the heap as the
// pooled ones are; msgp's MarshalMsg(buf[:0]), as in workload 1), and each
// returning a new slice (into=new: MarshalMsgpack, which must, as in
// workload 1; msgp's MarshalMsg(nil)). The codec=generated row of workload
// 1 is into=new, its codec=msgp row into=reused.
func BenchmarkEncodeBuffer(b *testing.B) {
	v := shopper()
	m := msgpOf(v)
	buf := make([]byte, 0, 1024)
	w := new(codec.Writer)
	for _, c := range []struct {
		name string
		run  func() ([]byte, error)
	}{
		{"into=reused/codec=generated", func() ([]byte, error) {
			*w = codec.NewWriter(buf[:0])
			appendShopper(w, v)
			buf = w.Bytes()
			return buf, w.Err()
		}},
		{"into=reused/codec=msgp", func() ([]byte, error) {
			var err error
			buf, err = m.MarshalMsg(buf[:0])
			return buf, err
		}},
		{"into=new/codec=generated", v.MarshalMsgpack},
		{"into=new/codec=msgp", func() ([]byte, error) { return m.MarshalMsg(nil) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.run(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestEncodeBufferSameBytes checks that the two ways of the generated
// encoder in BenchmarkEncodeBuffer write the same bytes, and as many as
// msgp (whose flags come in map order).
func TestEncodeBufferSameBytes(t *testing.T) {
	v := shopper()
	w := codec.NewWriter(nil)
	appendShopper(&w, v)
	marshaled, err := v.MarshalMsgpack()
	if err != nil {
		t.Fatal(err)
	}
	if string(w.Bytes()) != string(marshaled) {
		t.Errorf("appendShopper wrote % x, MarshalMsgpack % x", w.Bytes(), marshaled)
	}
	m := msgpOf(v)
	msgped, err := m.MarshalMsg(nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgped) != len(marshaled) {
		t.Errorf("msgp wrote %d bytes, the generated code %d", len(msgped), len(marshaled))
	}
}
