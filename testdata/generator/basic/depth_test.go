package basic

import (
	"bytes"
	"errors"
	"testing"

	"github.com/typedsession/typedsession/runtime/codec"
	"github.com/vmihailenco/msgpack/v5"
)

// deepAllocLimit bounds what decoding a deep input may allocate.
const deepAllocLimit = 64 << 20

// deepSize is the size of the hostile inputs: deep enough that a decoder
// recursing once per level would overflow the stack.
const deepSize = 8 << 20

// deep returns head followed by unit repeated up to deepSize bytes.
func deep(head, unit string) []byte {
	b := make([]byte, 0, deepSize+len(unit))
	b = append(b, head...)
	for len(b) < deepSize {
		b = append(b, unit...)
	}
	return b
}

// deepInputs are values nested millions of levels deep, for Visitor (first
// byte 0x81, a map of one key) or, without the map header, for one of its
// fields.
func deepInputs() map[string][]byte {
	return map[string][]byte{
		"arrays under an unknown key": deep("\x81\xa1z", "\x91"),
		"maps under an unknown key":   deep("\x81\xa1z", "\x81\xa1z"),
		"Node.Next":                   deep("\x81\xa4tree", "\x81\xa4Next"),
		"Node.Children":               deep("\x81\xa4tree", "\x81\xa8Children\x91"),
		"nested carts":                deep("\x81\xa6nested", "\x81\xa1k\x91"),
	}
}

// TestDeepInput checks that the generated decoders refuse input nested
// deeper than codec.MaxDepth with an error, instead of recursing until the
// stack overflows, and that they allocate in proportion to the input.
func TestDeepInput(t *testing.T) {
	const limit = deepAllocLimit
	for name, in := range deepInputs() {
		t.Run(name, func(t *testing.T) {
			check := func(what string, decode func() error) {
				t.Helper()
				var err error
				n := bytesAllocated(func() { err = decode() })
				if !errors.Is(err, codec.ErrMalformed) {
					t.Errorf("%s: err = %v, want one wrapping codec.ErrMalformed", what, err)
				}
				if n > limit {
					t.Errorf("%s: %d bytes allocated, want at most %d", what, n, limit)
				}
			}
			check("UnmarshalMsgpack", func() error {
				var v Visitor
				return v.UnmarshalMsgpack(in)
			})
			check("DecodeMsgpack", func() error {
				var v Visitor
				return v.DecodeMsgpack(msgpack.NewDecoder(bytes.NewReader(in)))
			})
			key := in[2 : 2+int(in[1]&0x1f)]
			if string(key) == "z" {
				return // not a field: the envelope skips it, with the depth limit of its own
			}
			value := in[2+len(key):]
			check("DecodeField "+string(key), func() error {
				_, f := bound(t)
				_, err := f.DecodeField(key, value)
				return err
			})
		})
	}
}

// TestDeepRecursiveType decodes a deep value straight into the recursive
// Node, whose decoder calls itself.
func TestDeepRecursiveType(t *testing.T) {
	for name, in := range map[string][]byte{
		"Next":     deep("", "\x81\xa4Next"),
		"Children": deep("", "\x81\xa8Children\x91"),
	} {
		var err error
		allocated := bytesAllocated(func() {
			var n Node
			err = n.DecodeMsgpack(msgpack.NewDecoder(bytes.NewReader(in)))
		})
		if !errors.Is(err, codec.ErrTooDeep) || !errors.Is(err, codec.ErrMalformed) {
			t.Errorf("%s: err = %v, want codec.ErrTooDeep (which wraps codec.ErrMalformed)", name, err)
		}
		if allocated > deepAllocLimit {
			t.Errorf("%s: %d bytes allocated, want at most %d", name, allocated, deepAllocLimit)
		}
	}
}

// TestDepthLimit checks the limit is where codec.MaxDepth says: a Node chain
// of exactly MaxDepth maps decodes, one more does not.
func TestDepthLimit(t *testing.T) {
	chain := func(levels int) []byte {
		var b []byte
		for range levels - 1 {
			b = append(b, "\x81\xa4Next"...)
		}
		return append(b, 0x80)
	}
	var n Node
	if err := n.DecodeMsgpack(msgpack.NewDecoder(bytes.NewReader(chain(codec.MaxDepth)))); err != nil {
		t.Errorf("%d levels: %v", codec.MaxDepth, err)
	}
	if err := n.DecodeMsgpack(msgpack.NewDecoder(bytes.NewReader(chain(codec.MaxDepth + 1)))); !errors.Is(err, codec.ErrTooDeep) {
		t.Errorf("%d levels: err = %v, want codec.ErrTooDeep", codec.MaxDepth+1, err)
	}
}

// TestFieldDepthMatchesEnvelope: DecodeField counts depth from the field's
// value, as the envelope's structure check does (the envelope's own array
// and fields map not counted), so a value the check lets through at exactly
// codec.MaxDepth levels decodes rather than being dropped with a warning.
func TestFieldDepthMatchesEnvelope(t *testing.T) {
	chain := func(levels int) []byte {
		var b []byte
		for range levels - 1 {
			b = append(b, "\x81\xa4Next"...)
		}
		return append(b, 0x80)
	}
	_, s := bound(t)
	if _, err := s.DecodeField([]byte("tree"), chain(codec.MaxDepth)); err != nil {
		t.Errorf("tree of %d levels: %v", codec.MaxDepth, err)
	}
	if _, err := s.DecodeField([]byte("tree"), chain(codec.MaxDepth+1)); !errors.Is(err, codec.ErrTooDeep) {
		t.Errorf("tree of %d levels: err = %v, want codec.ErrTooDeep", codec.MaxDepth+1, err)
	}
}
