package session

import (
	"context"
	"fmt"

	"github.com/typedsession/typedsession/runtime/codec"
	"github.com/typedsession/typedsession/runtime/internal/viewfields"
)

// Bind attaches the generated view type V to s and returns the view,
// loading the data if it was not loaded yet; later calls in the same
// request return the same view. init binds the view's fields (Add, once
// per field). Generated code calls Bind; applications use the generated
// XxxFrom and XxxOf functions instead.
//
// Bind is the one call that does I/O on behalf of the typed API, so it is
// the one that returns an error: a store failure, or an error wrapping
// ErrBoundType when s is already bound to another type. Corrupt or forged
// data is not an error: it reads as an empty session, and a warning goes
// to the security logger.
func Bind[V any, P interface {
	*V
	view() *View
}](ctx context.Context, s *Session, init func(P)) (P, error) {
	if s.bound != nil {
		if p, ok := s.bound.(P); ok {
			return p, nil
		}
		return nil, fmt.Errorf("session: bind %T: %w: it is bound to %T", P(nil), ErrBoundType, s.bound)
	}
	p := P(new(V))
	v := p.view()
	v.s = s
	init(p)
	s.bound, s.fields = p, (*fieldSet)(v)
	if s.loaded {
		s.raw = (*fieldSet)(v).take(s.raw)
		return p, nil
	}
	if err := s.load(ctx); err != nil {
		s.bound, s.fields = nil, nil
		return nil, err
	}
	return p, nil
}

// boundField is a *Field[T] of a bound view, whatever its T.
type boundField interface {
	setNext(boundField)
	nextField() boundField
	key() string
	load(raw []byte)
	loadDetached(raw []byte, sum codec.Digest)
	isPresent() bool
	appendTo(w *codec.Writer)
	reset()
	fieldUse() codec.Use
	replay(cur []byte) ([]byte, error)
	decodeValue(b []byte) error
}

func (f *Field[T]) setNext(n boundField)  { f.next = n }
func (f *Field[T]) nextField() boundField { return f.next }
func (f *Field[T]) key() string           { return f.c.Key }
func (f *Field[T]) isPresent() bool       { return f.present }
func (f *Field[T]) fieldUse() codec.Use   { return f.use }

// load gives the field its encoded value as loaded, decoded on first use.
func (f *Field[T]) load(raw []byte) {
	var zero T
	f.raw, f.v, f.present, f.decoded = raw, zero, true, false
	f.detached, f.verified, f.handedOut = false, false, false
}

// loadDetached gives the field a detached value as loaded, with its
// digest, checked on first use.
func (f *Field[T]) loadDetached(raw []byte, sum codec.Digest) {
	f.load(raw)
	f.detached, f.sum = true, sum
}

// appendTo writes the field's key and value: as loaded when it did not
// change, so a field the request did not touch costs no decoding, and no
// check either (the load checked it). A value encoded afresh is checked
// (codec.Fields.EncodeFields): through a msgpack.RawMessage, an any or a
// custom encoder, a value can nest deeper than the decoder reads back.
//
// Each entry is marked (Writer.EndField) for a version 2 record, a detached
// value unchanged since the load with the digest it came with: whether or
// not this request checked it, it is not hashed again.
func (f *Field[T]) appendTo(w *codec.Writer) {
	start := w.Len()
	w.Key(f.c.Key)
	if f.raw != nil {
		w.Raw(f.raw)
		if f.detached {
			w.EndField(start, &f.sum)
		} else {
			w.EndField(start, nil)
		}
		return
	}
	value := w.Len()
	f.c.Append(w, f.v)
	w.Check(value)
	w.EndField(start, nil)
}

// reset makes the field absent, for Clear.
func (f *Field[T]) reset() {
	if f.present {
		f.use = f.use&^(codec.UseModified|codec.UseWritten) | codec.UseDeleted
		f.mods = nil
	}
	f.drop()
}

// replay applies the request's Modify calls to cur, an encoded value.
func (f *Field[T]) replay(cur []byte) ([]byte, error) {
	var v T
	if cur != nil {
		var err error
		if v, err = f.decodeRaw(cur); err != nil {
			return nil, err
		}
	}
	for _, fn := range f.mods {
		fn(&v)
	}
	w := codec.NewWriter(nil)
	f.c.Append(&w, v)
	return w.Bytes(), w.Err()
}

// decodeValue decodes the field's value from b at once, for formats that
// decode through codec.Fields (runtime/django), which must learn whether
// the value fits.
func (f *Field[T]) decodeValue(b []byte) error {
	f.drop()
	v, err := f.decodeRaw(b)
	if err != nil {
		return err
	}
	f.store(v)
	return nil
}

// fieldSet is a bound view's fields as the envelope and the merge of a
// concurrent save see them: it implements codec.LazyFields and
// codec.Tracked.
// It is a View under another name, so that those methods stay out of
// View's method set.
type fieldSet View

// find returns the field under key, or nil. It looks first at the field
// after the one it found last: a record lists its fields in the order
// EncodeFields writes them, the view's, so that a decode finds each field
// at the first try instead of searching the list for it.
func (fs *fieldSet) find(key string) boundField {
	start := fs.hint
	if start == nil {
		start = fs.first
	}
	for f := start; f != nil; f = f.nextField() {
		if f.key() == key {
			fs.hint = f.nextField()
			return f
		}
	}
	for f := fs.first; f != start; f = f.nextField() {
		if f.key() == key {
			fs.hint = f.nextField()
			return f
		}
	}
	return nil
}

// take gives each field its value in raw and returns the entries of raw
// that are no field of the view, in raw's backing array.
func (fs *fieldSet) take(raw []codec.RawField) []codec.RawField {
	rest := raw[:0]
	for _, r := range raw {
		if f := fs.find(r.Key); f != nil {
			f.load(r.Value)
			continue
		}
		rest = append(rest, r)
	}
	return rest
}

// TakeField implements codec.LazyFields.
func (fs *fieldSet) TakeField(key, value []byte) bool {
	f := fs.find(string(key))
	if f == nil {
		return false
	}
	f.load(value)
	return true
}

// TakeDetached implements codec.LazyFields.
func (fs *fieldSet) TakeDetached(key, value []byte, sum codec.Digest) bool {
	f := fs.find(string(key))
	if f == nil {
		return false
	}
	f.loadDetached(value, sum)
	return true
}

// FieldCount implements codec.Fields.
func (fs *fieldSet) FieldCount() int {
	n := 0
	for f := fs.first; f != nil; f = f.nextField() {
		if f.isPresent() {
			n++
		}
	}
	return n
}

// EncodeFields implements codec.Fields: it writes the present fields,
// each with its key, straight into the envelope's Writer.
func (fs *fieldSet) EncodeFields(w *codec.Writer) error {
	for f := fs.first; f != nil; f = f.nextField() {
		if f.isPresent() {
			f.appendTo(w)
		}
	}
	return w.Err()
}

// DecodeField implements codec.Fields.
func (fs *fieldSet) DecodeField(key, value []byte) (bool, error) {
	f := fs.find(string(key))
	if f == nil {
		return false, nil
	}
	return true, f.decodeValue(value)
}

// ResetFields implements codec.Fields. codec.Decode calls it before it
// decodes a record, so the fields decoded after it have a width budget of
// their own (budget.go): a view decoded again and again (a Format's tests,
// a benchmark) must not run out of it.
func (fs *fieldSet) ResetFields() {
	for f := fs.first; f != nil; f = f.nextField() {
		f.reset()
	}
	if fs.s != nil {
		fs.s.startRecord()
	}
}

// AppendFieldKeys implements codec.Fields.
func (fs *fieldSet) AppendFieldKeys(dst []string) []string {
	for f := fs.first; f != nil; f = f.nextField() {
		if f.isPresent() {
			dst = append(dst, f.key())
		}
	}
	return dst
}

// FieldUse implements codec.Tracked.
func (fs *fieldSet) FieldUse(key string) codec.Use {
	if f := fs.find(key); f != nil {
		return f.fieldUse()
	}
	return 0
}

// Replay implements codec.Tracked.
func (fs *fieldSet) Replay(key string, cur []byte) ([]byte, error) {
	f := fs.find(key)
	if f == nil {
		return nil, fmt.Errorf("session: replay: %q is no field of the bound type", key)
	}
	return f.replay(cur)
}

func init() {
	viewfields.Of = func(view any) codec.Fields {
		if v, ok := view.(interface{ view() *View }); ok && v.view().s != nil {
			return (*fieldSet)(v.view())
		}
		return nil
	}
}
