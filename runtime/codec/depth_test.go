package codec_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vmihailenco/msgpack/v5"

	"github.com/typedsession/typedsession/runtime/codec"
)

// nested returns depth fixarrays of one element around the value v.
func nested(depth int, v []byte) []byte {
	return append(bytes.Repeat([]byte{0x91}, depth), v...)
}

// branchy returns depth arrays of two elements, each holding the next one
// first and 1 second, so that a walk must remember every level.
func branchy(depth int) []byte {
	b := bytes.Repeat([]byte{0x92}, depth)
	b = append(b, 0x01)
	return append(b, bytes.Repeat([]byte{0x01}, depth)...)
}

func TestSkip(t *testing.T) {
	tests := []struct {
		name  string
		data  []byte
		depth int // depth the value is found at
		err   error
		rest  int // bytes left after the value
	}{
		{"scalar", []byte{0x05, 0xff}, 0, nil, 1},
		{"string", []byte{0xa3, 'a', 'b', 'c', 0x01}, 0, nil, 1},
		{"map", []byte{0x82, 0xa1, 'a', 0x01, 0xa1, 'b', 0x92, 0x01, 0xc0, 0x07}, 0, nil, 1},
		{"nil array inside", []byte{0x91, 0xc0}, 0, nil, 0},
		{"empty containers", []byte{0x92, 0x90, 0x80}, 0, nil, 0},
		{"at the limit", nested(codec.MaxDepth, []byte{0x01}), 0, nil, 0},
		{"past the limit", nested(codec.MaxDepth+1, []byte{0x01}), 0, codec.ErrTooDeep, -1},
		{"limit counts the depth given", nested(codec.MaxDepth-9, []byte{0x01}), 10, codec.ErrTooDeep, -1},
		{"empty array past the limit", nested(codec.MaxDepth, []byte{0x90}), 0, codec.ErrTooDeep, -1},
		{"branchy at the limit", append(branchy(codec.MaxDepth), 0x07), 0, nil, 1},
		{"branchy past the limit", branchy(codec.MaxDepth + 1), 0, codec.ErrTooDeep, -1},
		{"truncated", []byte{0x92, 0x01}, 0, io.EOF, -1},
		{"truncated string", []byte{0x91, 0xa3, 'a'}, 0, io.ErrUnexpectedEOF, -1},
		{"truncated length", []byte{0xdc, 0x00}, 0, io.ErrUnexpectedEOF, -1},
		{"reserved code", []byte{0x91, 0xc1}, 0, codec.ErrMalformed, -1},
		{"negative depth counts as 0", nested(codec.MaxDepth+1, []byte{0x01}), -5, codec.ErrTooDeep, -1},
		{"hostile: millions of levels", nested(8<<20, nil), 0, codec.ErrTooDeep, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := bytes.NewReader(tt.data)
			err := codec.Skip(msgpack.NewDecoder(r), tt.depth)
			if tt.err == nil && err != nil || tt.err != nil && !errors.Is(err, tt.err) {
				t.Fatalf("Skip = %v, want %v", err, tt.err)
			}
			if tt.rest >= 0 && r.Len() != tt.rest {
				t.Errorf("Skip left %d bytes, want %d", r.Len(), tt.rest)
			}
		})
	}
}

func TestErrTooDeepIsMalformed(t *testing.T) {
	if !errors.Is(codec.ErrTooDeep, codec.ErrMalformed) {
		t.Fatal("ErrTooDeep does not wrap ErrMalformed")
	}
	if err := codec.Enter(codec.MaxDepth); err != nil {
		t.Errorf("Enter(MaxDepth) = %v, want nil", err)
	}
	if err := codec.Enter(codec.MaxDepth + 1); !errors.Is(err, codec.ErrTooDeep) {
		t.Errorf("Enter(MaxDepth+1) = %v, want ErrTooDeep", err)
	}
}

// TestSkipMatchesMsgpack checks that Skip steps over every kind of msgpack
// value exactly as msgpack's own Skip does, on a *bytes.Reader (which it
// seeks) and on any other reader (which msgpack buffers).
func TestSkipMatchesMsgpack(t *testing.T) {
	str := func(n int) string { return strings.Repeat("s", n) }
	values := []any{
		nil, true, false, 0, 1, -1, 127, 128, -33, 1 << 15, int64(1) << 31, int64(-1) << 40, uint64(1) << 63,
		float32(1.5), 2.5,
		"", str(31), str(32), str(255), str(256), str(1 << 16),
		[]byte{}, make([]byte, 255), make([]byte, 256), make([]byte, 1<<16),
		[]any{}, make([]any, 15), make([]any, 16), make([]any, 1<<16),
		map[string]any{}, map[string]any{"a": 1, "b": []any{"c", map[string]any{"d": nil}}},
		time.Unix(1, 0), time.Unix(1<<40, 5), // fixext8 and ext8
		msgpack.RawMessage{0xd4, 1, 2}, msgpack.RawMessage{0xd8, 1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
		msgpack.RawMessage{0xc8, 0, 3, 1, 'x', 'y', 'z'}, msgpack.RawMessage{0xc9, 0, 0, 0, 1, 1, 'x'},
	}
	big := make(map[string]any, 1<<16)
	for i := range 1 << 16 {
		big[strconv.Itoa(i)] = i
	}
	values = append(values, big)
	for _, v := range values {
		b, err := msgpack.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		data := append(b, 0xc3) // a value after it, which must stay unread
		name := fmt.Sprintf("%T %#x", v, b[:min(len(b), 4)])
		for _, reader := range []struct {
			name string
			new  func([]byte) io.Reader
		}{
			{"bytes.Reader", func(b []byte) io.Reader { return bytes.NewReader(b) }},
			{"other reader", func(b []byte) io.Reader { return io.MultiReader(bytes.NewReader(b)) }},
		} {
			dec := msgpack.NewDecoder(reader.new(data))
			if err := codec.Skip(dec, 0); err != nil {
				t.Fatalf("%s on a %s: Skip = %v", name, reader.name, err)
			}
			if rest, err := dec.DecodeBool(); err != nil || !rest {
				t.Errorf("%s on a %s: after Skip got %v, %v; want the value after it", name, reader.name, rest, err)
			}
		}
	}
}

// FuzzSkip checks Skip against msgpack's own Skip: whatever Skip accepts
// (and so is no deeper than MaxDepth, which msgpack's recursion survives),
// msgpack skips too, to the same byte.
func FuzzSkip(f *testing.F) {
	for _, seed := range [][]byte{
		{0x01}, {0x92, 0xa1, 'x', 0xc4, 0x01, 0xff}, {0x81, 0xa1, 'k', 0xd6, 0xff, 0, 0, 0, 1},
		{0xdc, 0x00, 0x02, 0xcb, 0, 0, 0, 0, 0, 0, 0, 0, 0xc7, 0x01, 0x05, 0x00},
		nested(codec.MaxDepth, []byte{0x01}), nested(codec.MaxDepth+1, []byte{0x01}),
		{0x92, 0xc1, 0x01}, {0xdd, 0xff, 0xff, 0xff, 0xff},
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ours := bytes.NewReader(data)
		if err := codec.Skip(msgpack.NewDecoder(ours), 0); err != nil {
			return
		}
		theirs := bytes.NewReader(data)
		if err := msgpack.NewDecoder(theirs).Skip(); err != nil {
			t.Fatalf("Skip accepted %x, msgpack's Skip says %v", data, err)
		}
		if ours.Len() != theirs.Len() {
			t.Fatalf("Skip left %d bytes of %x, msgpack's Skip %d", ours.Len(), data, theirs.Len())
		}
	})
}
