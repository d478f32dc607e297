package codec

// Use records what one request did with one field of its session.
type Use uint8

// The uses of a field; a Use holds every one the request made, ORed.
const (
	UseRead     Use = 1 << iota // its value was read: getter, HasX, PopX, SetDefaultX, Values
	UseWritten                  // set by SetX, SetDefaultX (when absent), Update
	UseDeleted                  // removed by DeleteX, PopX, Clear
	UseModified                 // changed through ModifyX (replayable)
)

// Tracked is implemented by the fields of a generated view bound to a
// session (runtime/session keeps the implementation off every exported
// method set, as for Fields). The session's merge of a concurrent save
// (runtime/session/merge.go) uses it.
type Tracked interface {
	// FieldUse reports what this request did with the field under key (0: nothing, or not
	// a key of the type).
	FieldUse(key string) Use
	// Replay applies this request's ModifyX calls for key, in order, to cur (the field's
	// encoded value in the record as it is now; nil when absent there) and returns the new
	// encoded value.
	Replay(key string, cur []byte) ([]byte, error)
}
