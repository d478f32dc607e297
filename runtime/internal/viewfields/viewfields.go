// Package viewfields hands the tests of runtime packages the codec.Fields
// of a generated view, which package session keeps out of every exported
// method set: a Format's tests (runtime/django) encode and decode a view's
// fields directly, as the Manager does.
package viewfields

import "github.com/typedsession/typedsession/runtime/codec"

// Of returns the fields of view, a pointer to a generated view bound with
// session.Bind, or nil for anything else. Package session sets it.
var Of func(view any) codec.Fields
