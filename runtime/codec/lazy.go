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
}
