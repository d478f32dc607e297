package sessiontest

import (
	"github.com/typedsession/typedsession/runtime/codec"
	"github.com/typedsession/typedsession/runtime/internal/viewfields"
)

// ViewFields returns the codec.Fields of view, a pointer to a generated
// session view bound to a Session, or nil for anything else. The runtime
// keeps a view's fields out of every exported method set, so that handlers
// cannot reach them; tests of a session.Format or of generated codecs use
// ViewFields to encode and decode them directly, as the Manager does.
func ViewFields(view any) codec.Fields {
	return viewfields.Of(view)
}
