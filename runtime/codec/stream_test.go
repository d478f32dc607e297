package codec_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/typedsession/typedsession/runtime/codec"
)

// next is the value every ReadKey input below is followed by; decoding it
// after the key shows the key was consumed exactly.
const next = 0x2a // positive fixint 42

// readers are the two kinds of decoder ReadKey meets: one over a
// *bytes.Reader, as GetDecoder's and the envelope's are, and one over any
// other reader, which msgpack buffers.
var readers = []struct {
	name string
	open func(data []byte) (dec *msgpack.Decoder, release func())
}{
	{"bytes.Reader", func(data []byte) (*msgpack.Decoder, func()) {
		// Not GetDecoder: it refuses the truncated inputs these tests need.
		return msgpack.NewDecoder(bytes.NewReader(data)), func() {}
	}},
	{"other reader", func(data []byte) (*msgpack.Decoder, func()) {
		// The anonymous struct hides bytes.Reader's methods but Read.
		return msgpack.NewDecoder(struct{ io.Reader }{bytes.NewReader(data)}), func() {}
	}},
}

func TestReadKey(t *testing.T) {
	tests := []struct {
		name    string
		in      []byte
		bufLen  int
		nilBuf  bool
		want    []byte
		wantErr error // nil: success, then next must decode
		anyErr  bool  // an error is wanted, whichever msgpack returns
	}{
		{name: "fits", in: []byte("\xa3abc"), bufLen: 8, want: []byte("abc")},
		{name: "exactly buf length", in: []byte("\xa4abcd"), bufLen: 4, want: []byte("abcd")},
		{name: "one longer than buf", in: []byte("\xa5abcde"), bufLen: 4, want: nil},
		{name: "much longer than buf", in: append([]byte{0xd9, 200}, strings.Repeat("k", 200)...), bufLen: 64, want: nil},
		{name: "str8 fits", in: append([]byte{0xd9, 40}, strings.Repeat("k", 40)...), bufLen: 64, want: []byte(strings.Repeat("k", 40))},
		{name: "str16", in: append([]byte{0xda, 0, 3}, "abc"...), bufLen: 8, want: []byte("abc")},
		{name: "str32", in: append([]byte{0xdb, 0, 0, 0, 3}, "abc"...), bufLen: 8, want: []byte("abc")},
		{name: "bin8", in: append([]byte{0xc4, 3}, "abc"...), bufLen: 8, want: []byte("abc")},
		{name: "empty key", in: []byte{0xa0}, bufLen: 8, want: []byte{}},
		{name: "nil key", in: []byte{0xc0}, bufLen: 8, want: nil},
		{name: "nil buf, empty key", in: []byte{0xa0}, nilBuf: true, want: nil},
		{name: "nil buf, key", in: []byte("\xa1a"), nilBuf: true, want: nil},
		{name: "truncated key that fits", in: []byte("\xa5ab"), bufLen: 8, wantErr: io.ErrUnexpectedEOF},
		{name: "truncated key longer than buf", in: append([]byte{0xd9, 100}, "0123456789"...), bufLen: 4, wantErr: io.ErrUnexpectedEOF},
		{name: "declared 4 GiB", in: append([]byte{0xdb, 0xff, 0xff, 0xff, 0xff}, "abc"...), bufLen: 8, wantErr: io.ErrUnexpectedEOF},
		{name: "truncated length", in: []byte{0xda, 0}, bufLen: 8, anyErr: true},
		{name: "empty input", in: nil, bufLen: 8, anyErr: true},
		{name: "not a string", in: []byte{0x05}, bufLen: 8, anyErr: true},
		{name: "map", in: []byte{0x80}, bufLen: 8, anyErr: true},
	}
	for _, r := range readers {
		for _, tt := range tests {
			t.Run(r.name+"/"+tt.name, func(t *testing.T) {
				in := append(bytes.Clone(tt.in), next)
				wantErr := tt.wantErr != nil || tt.anyErr
				if wantErr {
					in = tt.in // nothing may follow a truncated key
				}
				dec, release := r.open(in)
				defer release()
				var buf []byte
				if !tt.nilBuf {
					buf = make([]byte, tt.bufLen)
				}
				got, err := codec.ReadKey(dec, buf)
				switch {
				case tt.wantErr != nil:
					if !errors.Is(err, tt.wantErr) {
						t.Fatalf("ReadKey = %q, %v; want error %v", got, err, tt.wantErr)
					}
				case tt.anyErr:
					if err == nil {
						t.Fatalf("ReadKey = %q, nil; want an error", got)
					}
				case err != nil:
					t.Fatalf("ReadKey: %v", err)
				}
				if wantErr {
					if got != nil {
						t.Errorf("ReadKey returned %q with its error, want nil", got)
					}
					return
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("key (-want +got):\n%s", diff)
				}
				if (tt.want == nil) != (got == nil) {
					t.Errorf("key = %#v, want %#v (nil and empty differ: nil means skip)", got, tt.want)
				}
				if len(got) > 0 && &got[0] != &buf[0] {
					t.Errorf("key does not alias buf")
				}
				if v, err := dec.DecodeInt(); err != nil || v != next {
					t.Errorf("value after the key = %d, %v; want %d: the key was not consumed exactly", v, err, next)
				}
			})
		}
	}
}

// TestReadKeyNoReader checks ReadKey refuses, without panicking, a decoder
// that has nothing to read from.
func TestReadKeyNoReader(t *testing.T) {
	for name, dec := range map[string]*msgpack.Decoder{
		"nil decoder": nil,
		"nil reader":  msgpack.NewDecoder(nil),
		"reset to nil": func() *msgpack.Decoder {
			d := msgpack.NewDecoder(bytes.NewReader([]byte{0xa0}))
			d.Reset(nil)
			return d
		}(),
	} {
		t.Run(name, func(t *testing.T) {
			var buf [8]byte
			if got, err := codec.ReadKey(dec, buf[:]); err == nil {
				t.Errorf("ReadKey = %q, nil; want an error", got)
			}
		})
	}
}

// TestReadKeyAllocs checks that reading a key from a *bytes.Reader, into a
// buffer on the caller's stack, allocates nothing: neither the key that
// fits, nor the longer key that is skipped.
func TestReadKeyAllocs(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   []byte
	}{
		{"fits", []byte("\xa5theme")},
		{"longer than buf", append([]byte{0xd9, 40}, strings.Repeat("k", 40)...)},
		{"nil", []byte{0xc0}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := bytes.NewReader(tt.in)
			dec := msgpack.NewDecoder(r)
			var err error
			allocs := testing.AllocsPerRun(100, func() {
				r.Reset(tt.in)
				dec.Reset(r)
				// Only the error leaves the closure: printing the key would
				// move buf to the heap by itself.
				var buf [16]byte
				_, err = codec.ReadKey(dec, buf[:])
			})
			if err != nil {
				t.Fatalf("ReadKey: %v", err)
			}
			if allocs != 0 {
				t.Errorf("ReadKey allocates %v times per key, want 0", allocs)
			}
		})
	}
}

// TestEncoderReuse checks that an Encoder from the pool starts empty and
// with msgpack's default options, whatever its previous user wrote or set.
func TestEncoderReuse(t *testing.T) {
	big := strings.Repeat("x", 4096)
	wantSmall, err := msgpack.Marshal(int64(1))
	if err != nil {
		t.Fatal(err)
	}
	// Several rounds, because the pool may drop an Encoder (it does at random
	// under the race detector); most rounds reuse one.
	for i := 0; i < 20; i++ {
		e := codec.GetEncoder()
		if n := len(e.Bytes()); n != 0 {
			t.Fatalf("round %d: GetEncoder holds %d bytes, want 0", i, n)
		}
		e.Msgpack().UseCompactInts(true)
		if err := e.Msgpack().EncodeString(big); err != nil {
			t.Fatal(err)
		}
		e.Release()

		e = codec.GetEncoder()
		if err := e.Msgpack().Encode(int64(1)); err != nil {
			t.Fatal(err)
		}
		got := bytes.Clone(e.Bytes())
		e.Release()
		if diff := cmp.Diff(wantSmall, got); diff != "" {
			t.Fatalf("round %d: encoding after a big one with other options (-want +got):\n%s", i, diff)
		}
	}
}

// TestEncoderReleaseDropsBigBuffer checks an Encoder whose buffer grew past
// 64 KiB is not pooled, so one huge session does not pin its memory.
func TestEncoderReleaseDropsBigBuffer(t *testing.T) {
	e := codec.GetEncoder()
	if err := e.Msgpack().EncodeBytes(make([]byte, 100<<10)); err != nil {
		t.Fatal(err)
	}
	e.Release()
	// Holding on to what the pool hands out drains it, so this would meet e
	// again had Release pooled it.
	var held []*codec.Encoder
	defer func() {
		for _, h := range held {
			h.Release()
		}
	}()
	for i := 0; i < 100; i++ {
		got := codec.GetEncoder()
		held = append(held, got)
		if got == e {
			t.Fatalf("GetEncoder returned the encoder with a %d KiB buffer", 100)
		}
	}
}

// TestDecoderReuse checks that a Decoder from the pool reads only the data it
// was given, with msgpack's default options, whatever its previous user read
// or set.
func TestDecoderReuse(t *testing.T) {
	first := mp(t, []any{strings.Repeat("x", 4096), 1, 2, 3})
	second := []byte{0x05}
	for i := 0; i < 20; i++ {
		d := codec.GetDecoder(first)
		d.Msgpack().UseLooseInterfaceDecoding(true)
		if _, err := d.Msgpack().DecodeArrayLen(); err != nil {
			t.Fatal(err)
		}
		// Leave the rest unread: the next user must not see it.
		d.Done(nil)

		d = codec.GetDecoder(second)
		var got any
		if err := d.Msgpack().Decode(&got); err != nil {
			t.Fatal(err)
		}
		// Loose decoding would give int64(5).
		if diff := cmp.Diff(any(int8(5)), got); diff != "" {
			t.Fatalf("round %d: decoding after another use (-want +got):\n%s", i, diff)
		}
		if v, err := d.Msgpack().DecodeInterface(); !errors.Is(err, io.EOF) {
			t.Fatalf("round %d: after the only value got %v, %v; want io.EOF", i, v, err)
		}
		d.Done(nil)
	}
}

// FuzzReadKey checks ReadKey on arbitrary input, through both kinds of
// reader and several buffer sizes, against the key and the rest of the
// input sliced out directly after msgpack's DecodeBytesLen (not DecodeBytes,
// which allocates the declared length up front, up to 4 GiB). ReadKey must
// never panic, fail exactly when the input holds no complete key, return the
// key when it fits (nil when it does not) and leave the reader right after
// the key.
func FuzzReadKey(f *testing.F) {
	for _, seed := range [][]byte{
		[]byte("\xa5theme"),
		{0xa0},
		{0xc0},
		{0xc4, 2, 'h', 'i'},
		append([]byte{0xd9, 40}, strings.Repeat("k", 40)...),
		{0xda, 0, 3, 'a', 'b', 'c'},
		{0xdb, 0xff, 0xff, 0xff, 0xff, 'a'},
		[]byte("\xa5ab"),
		{0x05},
		{},
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := bytes.NewReader(data)
		n, refErr := msgpack.NewDecoder(r).DecodeBytesLen()
		var want, wantRest []byte
		if refErr == nil {
			at := len(data) - r.Len()
			switch {
			case n < 0:
				wantRest = data[at:]
			case n > r.Len():
				refErr = io.ErrUnexpectedEOF
			default:
				want, wantRest = data[at:at+n], data[at+n:]
			}
		}
		for _, size := range []int{0, 4, 64} {
			for _, r := range readers {
				dec, release := r.open(data)
				buf := make([]byte, size)
				got, err := codec.ReadKey(dec, buf)
				rest, _ := io.ReadAll(dec.Buffered())
				release()
				if (err != nil) != (refErr != nil) || errors.Is(refErr, io.ErrUnexpectedEOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
					t.Fatalf("%s, buf %d: ReadKey error %v, want %v", r.name, size, err, refErr)
				}
				if err != nil {
					if got != nil {
						t.Fatalf("%s, buf %d: ReadKey returned %q with error %v", r.name, size, got, err)
					}
					continue
				}
				wantKey := want
				if len(want) > size {
					wantKey = nil
				}
				if !bytes.Equal(got, wantKey) || len(want) > size && got != nil {
					t.Fatalf("%s, buf %d: ReadKey = %q, want %q", r.name, size, got, wantKey)
				}
				if !bytes.Equal(rest, wantRest) {
					t.Fatalf("%s, buf %d: %d bytes left after ReadKey, want %d", r.name, size, len(rest), len(wantRest))
				}
			}
		}
	})
}

// pooledAgain reports whether the pool hands out d again, holding on to
// what it hands out meanwhile so as to drain it. Only a false answer is
// certain: sync.Pool may drop what it was given (under the race detector it
// does at random), so a decoder that was pooled can still not come back.
func pooledAgain(d *codec.Decoder) bool {
	var held []*codec.Decoder
	defer func() {
		for _, h := range held {
			h.Done(nil)
		}
	}()
	for i := 0; i < 100; i++ {
		got := codec.GetDecoder([]byte{0x01})
		held = append(held, got)
		if got == d {
			return true
		}
	}
	return false
}

// TestDecoderDone checks that Done returns the outcome it was given and
// never pools a decoder that failed (msgpack may have grown its buffer for a
// length the input did not hold) or read more than 64 KiB. Which decoders
// Done may pool is TestDecoderReusable's: whether sync.Pool then keeps one
// is not for a test to rely on.
func TestDecoderDone(t *testing.T) {
	failure := errors.New("decode failed")
	for _, tt := range []struct {
		name        string
		data        []byte
		err         error
		mayBePooled bool
	}{
		{"succeeded", []byte{0x01}, nil, true},
		{"failed", []byte{0x01}, failure, false},
		{"read 100 KiB", mp(t, strings.Repeat("x", 100<<10)), nil, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := codec.GetDecoder(tt.data)
			if err := d.Done(tt.err); err != tt.err {
				t.Errorf("Done(%v) = %v, want its argument", tt.err, err)
			}
			if !tt.mayBePooled && pooledAgain(d) {
				t.Errorf("Done(%v) pooled the decoder of %d bytes", tt.err, len(tt.data))
			}
		})
	}
}
