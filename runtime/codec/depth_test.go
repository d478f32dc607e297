package codec_test

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/vmihailenco/msgpack/v5"

	"github.com/typedsession/typedsession/runtime/codec"
)

// nested returns depth fixarrays of one element around the value v.
func nested(depth int, v []byte) []byte {
	return append(bytes.Repeat([]byte{0x91}, depth), v...)
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
		{"truncated", []byte{0x92, 0x01}, 0, io.EOF, -1},
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
