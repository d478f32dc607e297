// Package codec is the wire format of typedsession: the envelope around a
// session's fields, and the interface that sessiongen's generated types
// implement so the envelope can encode and decode them without reflection.
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
// it exists once rather than in each generated file: pooled encoders and
// decoders (GetEncoder, GetDecoder) and the map-key reader (ReadKey).
package codec

import "github.com/vmihailenco/msgpack/v5"

// Fields is implemented by generated session types. The envelope owns the
// surrounding map; a Fields writes and reads only its own entries.
//
// The method names are chosen so they cannot collide with generated
// accessors: sessiongen refuses session fields whose accessor names would.
type Fields interface {
	// FieldCount reports how many fields are present.
	FieldCount() int

	// EncodeFields writes each present field as one msgpack key (its tag
	// name, as a string) followed by its value, in a fixed order, exactly
	// FieldCount pairs.
	EncodeFields(enc *msgpack.Encoder) error

	// DecodeField decodes the value for key into the field with that tag
	// name and marks it present. It returns known=false, reading nothing,
	// when key is not one of its fields. key is only valid during the call.
	// On an error the field must be left absent and zero: decode into a
	// temporary and assign on success, since the envelope cannot undo a
	// half-finished assignment.
	DecodeField(dec *msgpack.Decoder, key []byte) (known bool, err error)

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
