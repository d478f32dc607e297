// Package codec is the wire format of typedsession: the envelope around a
// session's fields, and the interfaces (Fields, LazyFields, Tracked)
// through which the envelope, and a save's merge, reach the fields of a
// generated view that runtime/session has bound, without reflection.
//
// An envelope is one version byte followed by msgpack. Version 1 (current)
// is a msgpack array [created, saved, expiryKind, expiryValue, flags,
// fields]; fields is a map keyed by each field's tag name. Version 0 is the
// earlier layout, a single map in which the metadata travelled as reserved
// keys beside the fields; it is still decoded, and reported as stale so the
// caller re-writes it in the current form.
//
// Decoding is defensive: a key this type does not know is kept as raw bytes
// and written back on the next encode (an older binary in a rolling deploy
// must not erase a field a newer one wrote); a field whose value does not fit
// its Go type is dropped with a warning while the others survive; and
// nothing in this package panics on hostile input.
//
// The package also holds what every generated msgpack codec shares, so that
// it exists once rather than in each generated file: Writer and Reader,
// which encode and decode msgpack straight to and from a byte slice, the
// generic helpers for slices, maps and pointers built on them (AppendSlice,
// ReadSlice, ...), DecodeRawValue to hand a msgpack.Decoder's next value to
// a Reader, and EncodeWith, DecodeWith, MarshalWith and UnmarshalWith, the
// bodies of the generated msgpack methods. The pooled Encoder and Decoder
// (GetEncoder, GetDecoder) serve Reader.Custom and
// runtime/django.
//
// Writer writes the same bytes as msgpack/v5's Encoder; Reader accepts what
// msgpack/v5's Decoder accepts and returns the same values. What a Reader
// guarantees, whatever its input:
//   - it never panics, and never recurses: skipping or slicing out a value
//     (Skip, Raw, Custom, DecodeRawValue) walks it with a stack of its own;
//   - arrays and maps nest at most MaxDepth deep (ErrTooDeep);
//   - the array and map headers of one decode (or of several read with
//     one Reader and Reset) announce at most MaxElements elements in all,
//     an element counting once per 16 bytes of memory it takes
//     (ErrTooWide), and no header announces more values than bytes are
//     left, so that a decode allocates a small multiple of its input at
//     most: under 64 MB for any 8 MiB input;
//   - every error of its own wraps ErrMalformed (Fail records the caller's
//     as given).
package codec

// Fields is implemented by the fields of a generated view bound to a
// session (runtime/session keeps the implementation off every exported
// method set). The envelope owns the surrounding map; a Fields writes and
// reads only its own entries.
type Fields interface {
	// FieldCount reports how many fields are present.
	FieldCount() int

	// EncodeFields writes each present field as one msgpack key (its tag
	// name, as a string) followed by its value, in a fixed order, exactly
	// FieldCount pairs. Encode does not walk what it writes again: a value
	// it encodes afresh (rather than copies as Decode handed it over) it
	// checks with Writer.Check, so that Encode never writes a value nested
	// deeper than MaxDepth, which Decode would refuse.
	EncodeFields(w *Writer) error

	// DecodeField decodes value, the stored value for key, into the field
	// with that tag name and marks it present. It returns known=false,
	// decoding nothing, when key is not one of its fields. key and value
	// are only valid during the call. value is one complete msgpack value,
	// already checked as Reader.Skip checks one: no length in it is longer
	// than the value, and its arrays and maps nest at most MaxDepth deep,
	// so it may be handed to msgpack/v5's Decoder (see GetDecoder).
	// On an error the field must be left absent and zero: decode into a
	// temporary and assign on success, since the envelope cannot undo a
	// half-finished assignment.
	DecodeField(key, value []byte) (known bool, err error)

	// ResetFields clears every field to its zero value and marks it absent.
	ResetFields()

	// AppendFieldKeys appends the tag names of the present fields to dst.
	AppendFieldKeys(dst []string) []string
}

// RawField is a field kept in its encoded form: a key the bound type does not
// know (or every field, before a type is bound). Value is one complete
// msgpack value.
type RawField struct {
	Key   string
	Value []byte
}
