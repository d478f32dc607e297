package session

import (
	"fmt"
	"reflect"

	"github.com/typedsession/typedsession/runtime/codec"
)

// Codec is how a field of type T is stored: its key and its msgpack
// encoding. sessiongen writes one for each field of a session type, shared
// by the generated view and by the struct's own msgpack methods.
type Codec[T any] struct {
	// Key is the field's key in the stored session.
	Key string
	// Append writes x as one msgpack value.
	Append func(w *codec.Writer, x T)
	// Read reads one msgpack value that depth arrays and maps surround.
	Read func(r *codec.Reader, depth int) T
	// Clone returns a deep copy of x; nil when assigning a T copies it.
	Clone func(x T) T
}

// Field is the state of one field of a generated view in one request: its
// encoded value as loaded, decoded on first use, and what the request did
// with it. Generated accessors call its methods, which have the semantics
// of Django's dict operations on request.session (C02-C08 in
// runtime/sessiontest/CONFORMANCE.md). The zero value is unbound: only
// Bind's init function may hand a Field to Add.
type Field[T any] struct {
	s    *Session
	c    *Codec[T]
	next boundField

	// raw is the encoded value as loaded, nil when absent or once changed.
	// A field whose value did not change is saved as raw, not encoded again.
	raw     []byte
	v       T    // the value, valid when decoded
	present bool // present in the session; an undecoded field is present when raw is set
	decoded bool // v holds the value (raw, if any, was decoded)
	// detached: raw is a value a version 2 record keeps apart from its
	// head, and sum its digest from the signed head (codec.LazyFields).
	// raw is checked against sum before its first use, and written back
	// with sum while unchanged. Meaningful only while raw is set.
	detached  bool
	sum       codec.Digest
	verified  bool // raw, detached, matched sum
	handedOut bool // raw was decoded once, for a Get, and the value handed out
	use       codec.Use
	mods      []func(*T) // ModifyX calls, replayed on a concurrent save's value
}

// Add binds f, a field of the view, to the view's session with its codec
// c. Generated code calls it inside Bind's init function, once per field,
// in the order of the struct's fields.
func Add[T any](v *View, f *Field[T], c *Codec[T]) {
	*f = Field[T]{s: v.s, c: c}
	if v.last == nil {
		v.first = f
	} else {
		v.last.setNext(f)
	}
	v.last = f
}

// Get returns a copy of the value, or T's zero value when the field is
// absent, and marks the session accessed.
//
// The first Get of a value still as loaded, of a type that needs a deep
// copy (a slice, a map), decodes it straight into the caller's copy: no
// one else holds what a decode returns, so it needs no copy, and the field
// keeps its encoded value until something else needs it decoded. A
// handler that reads such a field once pays for one decode, not a decode
// and a copy.
func (f *Field[T]) Get() T {
	if f.c.Clone != nil && !f.decoded && f.raw != nil && !f.handedOut {
		f.s.accessed = true
		f.use |= codec.UseRead
		v, ok := f.decodeLoaded()
		if !ok {
			var zero T
			return zero
		}
		f.handedOut = true
		return v
	}
	f.read()
	return f.clone(f.v)
}

// Set stores a copy of x and marks the session modified.
func (f *Field[T]) Set(x T) {
	f.s.accessed = true
	f.store(f.clone(x))
	f.written(codec.UseWritten)
}

// Has reports whether the field is present and marks the session accessed.
func (f *Field[T]) Has() bool {
	f.read()
	return f.present
}

// Delete removes the field. It marks the session modified if the field was
// present, else only accessed.
func (f *Field[T]) Delete() {
	f.s.accessed = true
	if !f.present {
		f.use |= codec.UseRead
		return
	}
	f.drop()
	f.written(codec.UseDeleted)
}

// Pop removes the field and returns its value and true, marking the
// session modified; for an absent field it returns the zero value and
// false, and marks the session accessed only. The session lets go of the
// value, so the caller gets it without a copy.
func (f *Field[T]) Pop() (T, bool) {
	f.read()
	if !f.present {
		return f.v, false
	}
	x := f.v
	f.drop()
	f.written(codec.UseDeleted)
	return x, true
}

// SetDefault returns a copy of the value if the field is present, marking
// the session accessed; otherwise it stores a copy of x, marks the session
// modified and returns x.
func (f *Field[T]) SetDefault(x T) T {
	f.read()
	if f.present {
		return f.clone(f.v)
	}
	f.store(f.clone(x))
	f.written(codec.UseWritten)
	return x
}

// Modify calls fn with the live value (T's zero value when absent) to
// change it in place; the field is present afterwards, and the session
// modified. fn must not keep the pointer, or anything reached through it.
//
// When a concurrent request saved the session meanwhile, the save calls fn
// again, on the value stored then (codec.Tracked's Replay): fn should be a
// pure function of the value, such as an increment. After Set or Delete,
// fn changes this request's own value and is not replayed.
func (f *Field[T]) Modify(fn func(*T)) {
	f.s.accessed = true
	if f.use&(codec.UseWritten|codec.UseDeleted) != 0 {
		fn(&f.v)
		f.present, f.raw = true, nil
		f.written(codec.UseWritten)
		return
	}
	f.decode()
	fn(&f.v)
	f.present, f.raw = true, nil
	f.mods = append(f.mods, fn)
	f.written(codec.UseModified)
}

// Update stores x, which Update of the generated view computed from this
// request's values, if the field is present or x is not zero, and marks
// the session modified.
func (f *Field[T]) Update(x T) {
	if f.present || !reflect.ValueOf(&x).Elem().IsZero() {
		f.store(x)
		f.use = f.use&^(codec.UseDeleted|codec.UseModified) | codec.UseWritten
		f.mods = nil
	}
	f.s.markModified() // the change is the whole Update's, not this field's
}

// read decodes the field and records that the request read it.
func (f *Field[T]) read() {
	f.s.accessed = true
	f.use |= codec.UseRead
	f.decode()
}

// decode decodes raw into v on first use. A value that does not fit T
// (corrupt, or written by another version of the type) leaves the field
// absent, as if it had not been stored, with a warning.
func (f *Field[T]) decode() {
	if f.decoded {
		return
	}
	f.decoded = true
	if f.raw == nil {
		return
	}
	if v, ok := f.decodeLoaded(); ok {
		f.v = v
	}
}

// decodeLoaded decodes raw, the value as loaded, checking a detached
// value against its digest first (once). A value that does not decode, or
// does not match its digest, leaves the field absent, reported to
// warnField (a forgery for the digest), and ok false.
func (f *Field[T]) decodeLoaded() (v T, ok bool) {
	var err error
	if f.detached && !f.verified {
		// Changed in the store by someone who cannot sign: absent, as a
		// value that does not fit, and reported as a forgery.
		if err = codec.CheckDigest(f.raw, f.sum); err == nil {
			f.verified = true
		}
	}
	if err == nil {
		if f.handedOut {
			// Decoded before, for a Get, which counted its elements
			// against the record's budget: this decode counts on its own
			// (codec.MaxElements), so reading a field twice costs the
			// record's other fields nothing.
			err = codec.UnmarshalWith(f.raw, &v, f.c.Read)
		} else {
			v, err = f.decodeRaw(f.raw)
		}
	}
	if err != nil {
		f.raw, f.present, f.decoded = nil, false, true
		f.s.warnField(f.c.Key, err)
		var zero T
		return zero, false
	}
	return v, true
}

// decodeRaw decodes one encoded value, with the Session's field Reader:
// what it decodes counts against the width budget of the record b comes
// from (budget.go). It recovers from a panic in generated code, so hostile
// input can never take the request down.
func (f *Field[T]) decodeRaw(b []byte) (v T, err error) {
	r := f.s.readerFor(b)
	defer func() {
		r.Reset(nil) // let go of b; the elements counted stay counted
		if p := recover(); p != nil {
			var zero T
			v, err = zero, fmt.Errorf("%w: panic while decoding: %v", codec.ErrMalformed, p)
		}
	}()
	v = f.c.Read(r, 0)
	if err = r.Done(); err != nil {
		var zero T
		return zero, err
	}
	return v, nil
}

func (f *Field[T]) clone(x T) T {
	if f.c.Clone == nil {
		return x
	}
	return f.c.Clone(x)
}

// store makes x the field's value.
func (f *Field[T]) store(x T) {
	f.v, f.raw = x, nil
	f.present, f.decoded = true, true
}

// drop makes the field absent.
func (f *Field[T]) drop() {
	var zero T
	f.v, f.raw = zero, nil
	f.present, f.decoded = false, true
}

// written records a change of kind u and marks the session modified. A
// Set or Delete after Modify ends the replayable changes: the fields read
// the value, and what it stores now depends on it.
func (f *Field[T]) written(u codec.Use) {
	if u != codec.UseModified && f.use&codec.UseModified != 0 {
		f.use = f.use&^codec.UseModified | codec.UseRead
		f.mods = nil
	}
	switch u {
	case codec.UseWritten:
		f.use &^= codec.UseDeleted
	case codec.UseDeleted:
		f.use &^= codec.UseWritten
	}
	f.use |= u
	f.s.modifiedField(f.c.Key)
}
