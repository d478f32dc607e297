package codec_test

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/typedsession/typedsession/runtime/codec"
)

// shopper is the example application's session, encoded and decoded by
// hand the way generated code does it: with Writer and Reader, and with
// msgpack/v5's Encoder and Decoder as before them.
type shopper struct {
	UserID     int64
	Name       string
	SignedInAt time.Time
	Cart       []line
	Flash      []string
	Views      map[string]int64
}

func newShopper(lines int) shopper {
	s := shopper{
		UserID: 1042, Name: "Ada Lovelace", SignedInAt: time.Date(2025, 3, 1, 9, 30, 0, 123456789, time.UTC),
		Flash: []string{"Added 2 × Tea"}, Views: map[string]int64{"/": 12, "/cart": 3, "/checkout": 1},
	}
	for i := range lines {
		s.Cart = append(s.Cart, line{SKU: fmt.Sprintf("SKU-%05d", i), Qty: int64(i%5 + 1)})
	}
	return s
}

func appendShopper(w *codec.Writer, s shopper) {
	w.MapLen(6)
	w.Key("uid")
	w.Int(s.UserID)
	w.Key("name")
	w.Str(s.Name)
	w.Key("signed_in_at")
	w.Time(s.SignedInAt)
	w.Key("cart")
	codec.AppendSlice(w, s.Cart, appendLine)
	w.Key("flash")
	codec.AppendSlice(w, s.Flash, (*codec.Writer).Str)
	w.Key("views")
	codec.AppendMap(w, s.Views, (*codec.Writer).Str, (*codec.Writer).Int)
}

func readInt(r *codec.Reader, _ int) int64 { return r.Int() }

func readShopper(r *codec.Reader, depth int) (s shopper) {
	for range r.MapLen(depth) {
		switch string(r.Key()) {
		case "uid":
			s.UserID = r.Int()
		case "name":
			s.Name = r.Str()
		case "signed_in_at":
			s.SignedInAt = r.Time()
		case "cart":
			s.Cart = codec.ReadSlice(r, depth+1, readLine)
		case "flash":
			s.Flash = codec.ReadSlice(r, depth+1, readStr)
		case "views":
			s.Views = codec.ReadMap(r, depth+1, (*codec.Reader).Str, readInt)
		default:
			r.Skip(depth + 1)
		}
	}
	return s
}

// encodeShopperV5 is appendShopper with msgpack/v5's Encoder, as generated
// code wrote it before Writer (keys sorted the same way, errors checked).
func encodeShopperV5(enc *msgpack.Encoder, s shopper) error {
	steps := []func() error{
		func() error { return enc.EncodeMapLen(6) },
		func() error { return enc.EncodeString("uid") }, func() error { return enc.EncodeInt(s.UserID) },
		func() error { return enc.EncodeString("name") }, func() error { return enc.EncodeString(s.Name) },
		func() error { return enc.EncodeString("signed_in_at") }, func() error { return enc.EncodeTime(s.SignedInAt) },
		func() error { return enc.EncodeString("cart") }, func() error { return enc.EncodeArrayLen(len(s.Cart)) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	for _, l := range s.Cart {
		if err := errorsOf(enc.EncodeMapLen(2), enc.EncodeString("sku"), enc.EncodeString(l.SKU), enc.EncodeString("qty"), enc.EncodeInt(l.Qty)); err != nil {
			return err
		}
	}
	if err := errorsOf(enc.EncodeString("flash"), enc.EncodeArrayLen(len(s.Flash))); err != nil {
		return err
	}
	for _, f := range s.Flash {
		if err := enc.EncodeString(f); err != nil {
			return err
		}
	}
	if err := errorsOf(enc.EncodeString("views"), enc.EncodeMapLen(len(s.Views))); err != nil {
		return err
	}
	for _, k := range []string{"/", "/cart", "/checkout"} { // sorted, as generated code sorts them
		if err := errorsOf(enc.EncodeString(k), enc.EncodeInt(s.Views[k])); err != nil {
			return err
		}
	}
	return nil
}

// readKeyV5 reads a string map key into buf, as generated code did before
// Reader: from the *bytes.Reader under dec, so that buf stays on the stack.
// The inputs here hold only keys that fit.
func readKeyV5(dec *msgpack.Decoder, buf []byte) ([]byte, error) {
	n, err := dec.DecodeBytesLen()
	if err != nil {
		return nil, err
	}
	r, ok := dec.Buffered().(*bytes.Reader)
	if !ok || n < 0 || n > len(buf) || n > r.Len() {
		return nil, errors.New("readKeyV5: not a key of the benchmark's input")
	}
	_, _ = r.Read(buf[:n])
	return buf[:n], nil
}

func errorsOf(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// decodeShopperV5 is readShopper with msgpack/v5's Decoder, as generated
// code wrote it before Reader.
func decodeShopperV5(dec *msgpack.Decoder, depth int) (s shopper, err error) {
	if err := codec.Enter(depth + 1); err != nil {
		return s, err
	}
	n, err := dec.DecodeMapLen()
	if err != nil {
		return s, err
	}
	var buf [12]byte
	for range n {
		key, err := readKeyV5(dec, buf[:])
		if err != nil {
			return s, err
		}
		switch string(key) {
		case "uid":
			s.UserID, err = dec.DecodeInt64()
		case "name":
			s.Name, err = dec.DecodeString()
		case "signed_in_at":
			var t time.Time
			t, err = dec.DecodeTime()
			s.SignedInAt = t.UTC()
		case "cart":
			s.Cart, err = decodeLinesV5(dec, depth+1)
		case "flash":
			s.Flash, err = decodeStringsV5(dec, depth+1)
		case "views":
			s.Views, err = decodeViewsV5(dec, depth+1)
		default:
			err = codec.Skip(dec, depth+1)
		}
		if err != nil {
			return s, err
		}
	}
	return s, nil
}

func decodeLinesV5(dec *msgpack.Decoder, depth int) ([]line, error) {
	if err := codec.Enter(depth + 1); err != nil {
		return nil, err
	}
	n, err := dec.DecodeArrayLen()
	if err != nil || n < 0 {
		return nil, err
	}
	s := make([]line, 0, min(n, 256))
	for range n {
		if err := codec.Enter(depth + 2); err != nil {
			return nil, err
		}
		m, err := dec.DecodeMapLen()
		if err != nil {
			return nil, err
		}
		var l line
		var buf [3]byte
		for range m {
			key, err := readKeyV5(dec, buf[:])
			if err != nil {
				return nil, err
			}
			switch string(key) {
			case "sku":
				l.SKU, err = dec.DecodeString()
			case "qty":
				l.Qty, err = dec.DecodeInt64()
			default:
				err = codec.Skip(dec, depth+2)
			}
			if err != nil {
				return nil, err
			}
		}
		s = append(s, l)
	}
	return s, nil
}

func decodeStringsV5(dec *msgpack.Decoder, depth int) ([]string, error) {
	if err := codec.Enter(depth + 1); err != nil {
		return nil, err
	}
	n, err := dec.DecodeArrayLen()
	if err != nil || n < 0 {
		return nil, err
	}
	s := make([]string, 0, min(n, 256))
	for range n {
		x, err := dec.DecodeString()
		if err != nil {
			return nil, err
		}
		s = append(s, x)
	}
	return s, nil
}

func decodeViewsV5(dec *msgpack.Decoder, depth int) (map[string]int64, error) {
	if err := codec.Enter(depth + 1); err != nil {
		return nil, err
	}
	n, err := dec.DecodeMapLen()
	if err != nil || n < 0 {
		return nil, err
	}
	m := make(map[string]int64, min(n, 256))
	for range n {
		k, err := dec.DecodeString()
		if err != nil {
			return nil, err
		}
		if m[k], err = dec.DecodeInt64(); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// TestShopperCodecsAgree checks that the benchmarks compare like with like:
// both encoders write the same bytes, and both decoders read them back.
func TestShopperCodecsAgree(t *testing.T) {
	for _, lines := range []int{1, 3, 300} {
		s := newShopper(lines)
		w := codec.NewWriter(nil)
		appendShopper(&w, s)
		var buf bytes.Buffer
		if err := encodeShopperV5(msgpack.NewEncoder(&buf), s); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(w.Bytes(), buf.Bytes()) {
			t.Fatalf("%d lines: Writer wrote % x, msgpack/v5 % x", lines, clip(w.Bytes()), clip(buf.Bytes()))
		}
		r := codec.NewReader(w.Bytes())
		got := readShopper(&r, 0)
		v5, err := decodeShopperV5(msgpack.NewDecoder(bytes.NewReader(w.Bytes())), 0)
		if err := r.Done(); err != nil {
			t.Fatal(err)
		}
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(s, got, cmp.AllowUnexported(line{})); diff != "" {
			t.Errorf("%d lines: Reader (-want +got):\n%s", lines, diff)
		}
		if diff := cmp.Diff(s, v5, cmp.AllowUnexported(line{})); diff != "" {
			t.Errorf("%d lines: msgpack/v5 (-want +got):\n%s", lines, diff)
		}
	}
}

// BenchmarkWriter encodes a session with Writer and with msgpack/v5's
// Encoder (into a reused buffer, as a pooled encoder does).
func BenchmarkWriter(b *testing.B) {
	for _, lines := range []int{3, 300} {
		s := newShopper(lines)
		b.Run(fmt.Sprintf("lines=%d/impl=codec", lines), func(b *testing.B) {
			// One Writer, reused as a pooled encoder is: a Writer handed
			// to element functions lives on the heap.
			buf := make([]byte, 0, 16<<10)
			var w codec.Writer
			b.ReportAllocs()
			for b.Loop() {
				w = codec.NewWriter(buf[:0])
				appendShopper(&w, s)
				buf = w.Bytes()
			}
			b.SetBytes(int64(len(buf)))
		})
		b.Run(fmt.Sprintf("lines=%d/impl=msgpack", lines), func(b *testing.B) {
			var buf bytes.Buffer
			buf.Grow(16 << 10)
			enc := msgpack.NewEncoder(&buf)
			b.ReportAllocs()
			for b.Loop() {
				buf.Reset()
				if err := encodeShopperV5(enc, s); err != nil {
					b.Fatal(err)
				}
			}
			b.SetBytes(int64(buf.Len()))
		})
	}
}

// BenchmarkReader decodes a session with Reader and with msgpack/v5's
// Decoder (reset onto the data, as a pooled decoder is).
func BenchmarkReader(b *testing.B) {
	for _, lines := range []int{3, 300} {
		w := codec.NewWriter(nil)
		appendShopper(&w, newShopper(lines))
		data := w.Bytes()
		b.Run(fmt.Sprintf("lines=%d/impl=codec", lines), func(b *testing.B) {
			var r codec.Reader // reused, as a pooled decoder is
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				r = codec.NewReader(data)
				readShopper(&r, 0)
				if err := r.Done(); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("lines=%d/impl=msgpack", lines), func(b *testing.B) {
			var br bytes.Reader
			dec := msgpack.NewDecoder(nil)
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				br.Reset(data)
				dec.Reset(&br)
				if _, err := decodeShopperV5(dec, 0); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
