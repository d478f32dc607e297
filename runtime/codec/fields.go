// Package codec is the wire format of typedsession: the envelope around a
// session's fields, and the interfaces (Fields, LazyFields, Tracked)
// through which the envelope, and a save's merge, reach the fields of a
// generated view that runtime/session has bound, without reflection.
//
// An envelope is one version byte followed by msgpack, in one of three
// layouts, all of which Decode reads:
//
//   - Version 2 (Version; EncodeDetached), what runtime/session signs and
//     server-side stores keep when a field's value is longer than
//     DetachAbove: 0x02, the length of the head as 4 bytes
//     big-endian, the head, then the detached values. The head is a msgpack
//     array [created, saved, expiryKind, expiryValue, flags, inline,
//     detached] (then the labels, when there are any): inline is the map
//     of the fields whose value takes at most DetachAbove (256) bytes,
//     keyed by each field's tag name; detached is an array of [key,
//     length, digest], one for each longer value, whose bytes follow the
//     head in that order, back to back. digest is a msgpack bin of the
//     first 16 bytes of the value's SHA-256. A signature covers the first
//     SignedLen bytes, version to head: each detached value is covered by
//     its digest, checked (CheckDigest) when the value is first used, so a
//     request pays to authenticate what it uses, and a value it leaves
//     alone is written back with its digest (Writer.EndField), unhashed.
//   - Version 1 (Encode, and EncodeDetached when no value is that long):
//     0x01, then the array [created, saved, expiryKind, expiryValue, flags,
//     fields] (then the labels), fields being the map of every field, as
//     version 2's inline map: no digests, nothing detached, signed whole.
//     The sealed cookies of runtime/store/cookiestore, whose AEAD covers
//     the whole record, are always version 1. It is what earlier releases
//     wrote, and read: a session with no long value stays readable by
//     them.
//   - Version 0, the earliest layout, a single map in which the metadata
//     travelled as reserved keys beside the fields; it is reported as stale
//     so the caller re-writes it in the current form.
//
// Decode reads a record in one pass: the headers and metadata with a
// Reader, each field's value by finding its extent with the same
// non-recursive walk that checks its lengths and depth (Reader.Skip's),
// before anything decodes it. A value goes on as a slice of the record, to
// LazyFields undecoded, with its digest if detached; to Fields.DecodeField,
// or into Envelope.Raw, checked first (a detached value against its digest
// too: one that does not match is dropped with an error wrapping
// ErrDigest, like a value that does not fit its type).
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
