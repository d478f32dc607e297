package codec_test

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"

	"github.com/vmihailenco/msgpack/v5"

	"github.com/typedsession/typedsession/runtime/codec"
)

// rawCases are values followed by a trailing 0x07, with the error reading
// the value must give (nil: the value is data minus its last byte).
var rawCases = []struct {
	name string
	data []byte
	err  error
}{
	{"scalar", []byte{0x05, 0x07}, nil},
	{"map", []byte{0x82, 0xa1, 'a', 0x01, 0xa1, 'b', 0x92, 0x01, 0xc0, 0x07}, nil},
	{"bin", []byte{0xc4, 0x02, 0xff, 0xfe, 0x07}, nil},
	{"ext", []byte{0xd6, 0xff, 0, 0, 0, 1, 0x07}, nil},
	{"at the limit", append(nested(codec.MaxDepth, []byte{0x01}), 0x07), nil},
	{"past the limit", append(nested(codec.MaxDepth+1, []byte{0x01}), 0x07), codec.ErrTooDeep},
	{"hostile: millions of levels", nested(8<<20, nil), codec.ErrTooDeep},
	{"truncated", []byte{0x92, 0x01}, codec.ErrMalformed},
	{"truncated string", []byte{0xa3, 'a'}, codec.ErrMalformed},
	{"declared 4 GiB", bin(0xffffffff, []byte("abc")), codec.ErrMalformed},
	{"reserved code", []byte{0x91, 0xc1, 0x07}, codec.ErrMalformed},
}

func TestReaderRaw(t *testing.T) {
	for _, tt := range rawCases {
		t.Run(tt.name, func(t *testing.T) {
			r := codec.NewReader(tt.data)
			got := r.Raw(0)
			checkRaw(t, tt.data, got, r.Err(), tt.err)
			if tt.err == nil && r.Len() != 1 {
				t.Fatalf("Raw left %d bytes, want 1", r.Len())
			}
			s := codec.NewReader(tt.data)
			s.Skip(0)
			if !errors.Is(s.Err(), tt.err) || s.Len() != r.Len() {
				t.Fatalf("Skip: %v with %d bytes left; Raw: %v with %d", s.Err(), s.Len(), r.Err(), r.Len())
			}
		})
	}
}

func TestDecodeRawValue(t *testing.T) {
	readers := map[string]func([]byte) io.Reader{
		"bytes.Reader": func(b []byte) io.Reader { return bytes.NewReader(b) },
		"other reader": func(b []byte) io.Reader { return iotest.HalfReader(bytes.NewReader(b)) },
	}
	for rname, reader := range readers {
		for _, tt := range rawCases {
			t.Run(rname+"/"+tt.name, func(t *testing.T) {
				dec := msgpack.NewDecoder(reader(tt.data))
				got, err := codec.DecodeRawValue(dec)
				checkRaw(t, tt.data, got, err, tt.err)
				if tt.err != nil {
					return
				}
				if next, err := dec.DecodeInt(); err != nil || next != 7 {
					t.Fatalf("after the value the decoder reads %d, %v; want 7", next, err)
				}
			})
		}
	}
	if _, err := codec.DecodeRawValue(msgpack.NewDecoder(nil)); err == nil {
		t.Error("DecodeRawValue without a reader succeeded")
	}
}

// checkRaw checks the value read from data: all of data but its last byte,
// or the error want.
func checkRaw(t *testing.T, data, got []byte, err, want error) {
	t.Helper()
	switch {
	case want != nil && !errors.Is(err, want):
		t.Fatalf("error %v, want %v", err, want)
	case want != nil && got != nil:
		t.Fatalf("returned % x with an error", clip(got))
	case want == nil && err != nil:
		t.Fatalf("error %v", err)
	case want == nil && !bytes.Equal(got, data[:len(data)-1]):
		t.Fatalf("value % x, want % x", clip(got), clip(data[:len(data)-1]))
	}
}
