package session

import (
	"bytes"
	"context"
	"fmt"
	"slices"

	"github.com/typedsession/typedsession/runtime/codec"
)

// RawField returns the encoded value (one msgpack value, as
// codec.RawField) of a key the session holds but its bound type does not
// declare: a key another application keeps in a shared session, such as
// Django's auth keys (runtime/django reads them this way). It loads the
// session and marks it accessed.
func (s *Session) RawField(ctx context.Context, key string) (value []byte, ok bool, err error) {
	if err := s.Load(ctx); err != nil {
		return nil, false, err
	}
	s.accessed = true
	for _, r := range s.raw {
		if r.Key == key {
			return r.Value, true, nil
		}
	}
	return nil, false, nil
}

// SetRawField sets a key the bound type does not declare to value, one
// msgpack value, which it copies; a nil value removes the key. It loads the
// session and marks it modified. A key the bound type holds is refused: use
// its typed setter.
//
// Only keys with a value in the bound type are recognised as its own: set
// no raw value under a key the type declares.
func (s *Session) SetRawField(ctx context.Context, key string, value []byte) error {
	if err := s.Load(ctx); err != nil {
		return err
	}
	if s.fields != nil && slices.Contains(s.fields.AppendFieldKeys(nil), key) {
		return fmt.Errorf("session: SetRawField(%q): the bound type declares this key; use its setter", key)
	}
	s.raw = slices.DeleteFunc(s.raw, func(r codec.RawField) bool { return r.Key == key })
	if value != nil {
		s.raw = append(s.raw, codec.RawField{Key: key, Value: bytes.Clone(value)})
	}
	s.markModified()
	return nil
}
