package codec

// LazyFields is implemented by Fields that keep each field's encoded value
// and decode it when it is first used: the bound views of runtime/session.
// Decode hands such Fields each value of theirs as it is in the payload,
// instead of decoding it through DecodeField, so that a request pays for
// the fields it uses.
type LazyFields interface {
	Fields

	// TakeField keeps value, one complete msgpack value (a slice of the
	// payload, so the caller must not change the payload while it is kept),
	// as the field under key and reports true; or reports false, keeping
	// nothing, when key is not one of its fields. key is only valid during
	// the call.
	TakeField(key, value []byte) bool

	// TakeDetached is TakeField for a value a version 2 record keeps
	// apart from its head, with sum, its digest from the head. The
	// record's signature covers sum, not value: the Fields must check
	// value against sum (CheckDigest) before anything uses its bytes, and
	// treat a value that does not match as forged, and absent. While the
	// value is unchanged it writes it back with sum (Writer.EndField), so
	// that it is not hashed again.
	TakeDetached(key, value []byte, sum Digest) bool
}
