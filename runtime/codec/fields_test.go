package codec_test

import (
	"bytes"
	"math/bits"

	"github.com/vmihailenco/msgpack/v5"

	"github.com/typedsession/typedsession/runtime/codec"
)

// visitor is a hand-written codec.Fields in the shape sessiongen generates:
// three fields with tag names "name", "visits" and "tags", and presence
// tracked per field.
type visitor struct {
	Name   string
	Visits int64
	Tags   []string
	Has    uint8 // hasName | hasVisits | hasTags
}

const (
	hasName uint8 = 1 << iota
	hasVisits
	hasTags
)

func (v *visitor) FieldCount() int { return bits.OnesCount8(v.Has) }

func (v *visitor) EncodeFields(w *codec.Writer) error {
	if v.Has&hasName != 0 {
		w.Key("name")
		w.Str(v.Name)
	}
	if v.Has&hasVisits != 0 {
		w.Key("visits")
		w.Int(v.Visits)
	}
	if v.Has&hasTags != 0 {
		w.Key("tags")
		w.ArrayLen(len(v.Tags))
		for _, t := range v.Tags {
			w.Str(t)
		}
	}
	return w.Err()
}

func encodeAll(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// DecodeField assigns a field only once its whole value decoded, so a value
// that does not fit leaves the field absent, as the codec expects when it
// drops it.
func (v *visitor) DecodeField(key, value []byte) (bool, error) {
	dec := msgpack.NewDecoder(bytes.NewReader(value))
	switch string(key) {
	case "name":
		s, err := dec.DecodeString()
		if err != nil {
			return true, err
		}
		v.Name, v.Has = s, v.Has|hasName
	case "visits":
		n, err := dec.DecodeInt64()
		if err != nil {
			return true, err
		}
		v.Visits, v.Has = n, v.Has|hasVisits
	case "tags":
		tags, err := decodeStrings(dec)
		if err != nil {
			return true, err
		}
		v.Tags, v.Has = tags, v.Has|hasTags
	default:
		return false, nil
	}
	return true, nil
}

func decodeStrings(dec *msgpack.Decoder) ([]string, error) {
	n, err := dec.DecodeArrayLen()
	if err != nil || n < 0 {
		return nil, err
	}
	// Never trust a declared length for an allocation.
	out := make([]string, 0, min(n, 16))
	for range n {
		s, err := dec.DecodeString()
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func (v *visitor) ResetFields() { *v = visitor{} }

func (v *visitor) AppendFieldKeys(dst []string) []string {
	for _, f := range []struct {
		bit uint8
		key string
	}{{hasName, "name"}, {hasVisits, "visits"}, {hasTags, "tags"}} {
		if v.Has&f.bit != 0 {
			dst = append(dst, f.key)
		}
	}
	return dst
}

// newerVisitor is visitor as a later release of the application has it,
// with a field "email" that visitor does not know.
type newerVisitor struct {
	visitor
	Email string
}

func (v *newerVisitor) FieldCount() int {
	n := v.visitor.FieldCount()
	if v.Email != "" {
		n++
	}
	return n
}

func (v *newerVisitor) EncodeFields(w *codec.Writer) error {
	if err := v.visitor.EncodeFields(w); err != nil {
		return err
	}
	if v.Email != "" {
		w.Key("email")
		w.Str(v.Email)
	}
	return w.Err()
}

func (v *newerVisitor) DecodeField(key, value []byte) (bool, error) {
	if string(key) != "email" {
		return v.visitor.DecodeField(key, value)
	}
	s, err := msgpack.NewDecoder(bytes.NewReader(value)).DecodeString()
	if err != nil {
		return true, err
	}
	v.Email = s
	return true, nil
}

func (v *newerVisitor) ResetFields() { *v = newerVisitor{} }

func (v *newerVisitor) AppendFieldKeys(dst []string) []string {
	dst = v.visitor.AppendFieldKeys(dst)
	if v.Email != "" {
		dst = append(dst, "email")
	}
	return dst
}
