package codec

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
)

// Version 2: long values detached from the record's head.
//
// A version 2 record is
//
//	0x02  headLen (4 bytes, big-endian)  head  value…
//
// where head is a msgpack array [created, saved, expiryKind, expiryValue,
// flags, inline, detached] followed, when the session has labels, by the
// labels map (as in version 1). inline is the map of the fields whose
// value is at most DetachAbove bytes long, exactly as version 1's fields
// map. detached lists the other fields, in the order their values follow
// the head, as arrays [key, length, digest]: digest is the first 16 bytes
// of the SHA-256 of the value (a msgpack bin of 16), and the values follow
// the head back to back, length bytes each, with nothing after the last.
//
// The point is what a signature must cover. runtime/session signs a
// version 2 record by a MAC of its first 5+headLen bytes (SignedLen) only:
// the head, digests included, and through the digests every detached
// value, since SHA-256 cut to 128 bits still leaves a forger 2^128 work
// for a second preimage. So loading and saving a session costs a MAC of
// its small fields and a table, and a detached value is hashed only when a
// request uses it: read, replayed in a merge, or encoded anew. One left
// alone is written back with the digest it came with, a copy.
//
// A record with no value long enough to detach is written in version 1,
// signed whole (it is all head anyway): releases before version 2 read it.
// A record that needs no signature, because the store authenticates it as
// a whole (the sealed cookies of runtime/store/cookiestore), is written in
// version 1 by Encode whatever it holds, with no digests: a cookie does
// not grow for them.

// DetachAbove is the longest value a version 2 record keeps in its head.
// From what HMAC-SHA256 and SHA-256 cost on the benchmarks' machine (SHA-NI:
// about 0.6 ns a byte, plus about 120 ns per hash): an inline value costs
// the MAC of its bytes twice a request (load and save), 1.2 ns a byte; a
// detached one costs the MAC of its ~25-byte table entry, plus, when a
// request uses it, its SHA-256 once (0.6 ns a byte and ~120 ns), and once
// more if the request changes it. Detaching wins for a value left alone
// from a few dozen bytes on, and for one read on every request from about
// 200 bytes; 256 keeps a small session (workload 1's Shopper, about 280
// bytes in all, no value over 100) whole in its head, in version 1.
const DetachAbove = 256

// DigestSize is the size of a detached value's digest.
const DigestSize = 16

// Digest is the digest of a detached value: the first DigestSize bytes of
// its SHA-256.
type Digest [DigestSize]byte

// DigestOf returns the digest of value.
func DigestOf(value []byte) Digest {
	sum := sha256.Sum256(value)
	return Digest(sum[:DigestSize])
}

// ErrDigest is wrapped by the error for a detached value whose bytes do
// not match the digest in the record's head: they were changed after the
// record was written (a forgery, if the head's signature verified). It
// wraps ErrMalformed.
var ErrDigest = fmt.Errorf("%w: detached value does not match its digest", ErrMalformed)

// CheckDigest returns nil if value matches sum, compared in constant time,
// and an error wrapping ErrDigest if not.
func CheckDigest(value []byte, sum Digest) error {
	got := DigestOf(value)
	if subtle.ConstantTimeCompare(got[:], sum[:]) != 1 {
		return fmt.Errorf("%w (%d bytes)", ErrDigest, len(value))
	}
	return nil
}

// v2Len is the number of elements of a version 2 head before its labels.
const v2Len = 7

// v2Prefix is the version byte and the head length before a version 2
// head.
const v2Prefix = 5

// SignedLen returns how many bytes at the start of payload a signature
// must cover: all of it, except in version 2, whose detached values are
// covered through their digests in the head (see DetachAbove). It reads
// the version byte and the head length only, so it can be called before
// the signature is checked; an error wraps ErrMalformed.
func SignedLen(payload []byte) (int, error) {
	if len(payload) == 0 || payload[0] != 2 {
		return len(payload), nil
	}
	if len(payload) < v2Prefix {
		return 0, fmt.Errorf("%w: version 2 record of %d bytes", ErrMalformed, len(payload))
	}
	n := binary.BigEndian.Uint32(payload[1:v2Prefix])
	if uint64(n) > uint64(len(payload)-v2Prefix) {
		return 0, fmt.Errorf("%w: head of %d bytes in a record of %d", ErrMalformed, n, len(payload))
	}
	return v2Prefix + int(n), nil
}

// EncodeDetached appends the version 2 record of meta, the present fields
// of f (which may be nil) and raw to dst, as Encode does version 1, with
// each value longer than DetachAbove bytes detached from the head; a
// record with no such value it writes in version 1, byte for byte as
// Encode, since a head without detached values needs no table. It
// returns the extended slice and signed, the length of the part of the
// record (from len(dst) on) a signature must cover (SignedLen): all of a
// version 1 record.
//
// A value Fields copies as Decode handed it, with the digest that came
// with it (Writer.EndField), keeps that digest: it is not hashed again.
func EncodeDetached(dst []byte, meta *Meta, f Fields, raw []RawField) (out []byte, signed int, err error) {
	if meta == nil {
		meta = &Meta{}
	}
	st := detachStates.Get().(*detachState)
	defer st.release()
	out, signed, err = st.encode(dst, meta, f, raw)
	switch {
	case errors.Is(err, ErrTooDeep):
		return dst, 0, fmt.Errorf("codec: encode: a field's value nests arrays and maps deeper than %d levels, which no decoder reads back (%w)", MaxDepth, err)
	case err != nil:
		return dst, 0, fmt.Errorf("codec: encode: %w", err)
	}
	return out, signed, nil
}

// fieldMark is where one field's entry (key and value) lies in the
// fields a version 2 Encode collects, and the digest of its value when the
// Fields knew it.
type fieldMark struct {
	start, end int
	sum        Digest
	hasSum     bool
	split      int // where the value starts (after the key), set by split
}

// detachState is what a version 2 Encode uses: the fields as Fields and
// raw wrote them, and where each lies. It is pooled.
type detachState struct {
	w     Writer
	marks []fieldMark
}

var detachStates = sync.Pool{New: func() any { return &detachState{} }}

func (st *detachState) release() {
	if cap(st.w.buf) > maxPooled {
		st.w.buf = nil
	}
	st.w = Writer{buf: st.w.buf[:0]}
	st.marks = st.marks[:0]
	detachStates.Put(st)
}

func (st *detachState) encode(dst []byte, m *Meta, f Fields, raw []RawField) ([]byte, int, error) {
	n := len(raw)
	if f != nil {
		n += f.FieldCount()
	}
	if n > maxFields {
		return nil, 0, fmt.Errorf("%d fields, more than the %d a session may have, which no decoder reads back", n, maxFields)
	}
	// 1. Every field into st.w, each entry marked.
	st.w = Writer{buf: st.w.buf[:0], marks: &st.marks}
	if f != nil {
		if err := f.EncodeFields(&st.w); err != nil {
			return nil, 0, err
		}
		if err := st.w.Err(); err != nil {
			return nil, 0, err
		}
		if len(st.marks) != n-len(raw) {
			// A Fields that does not mark its entries (it need not):
			// find them, which walks its values once.
			if err := st.remark(); err != nil {
				return nil, 0, err
			}
		}
	}
	for _, r := range raw {
		if err := checkValue(r.Value); err != nil {
			return nil, 0, fmt.Errorf("raw field %q: %w", r.Key, err)
		}
		start := st.w.Len()
		st.w.Str(r.Key)
		st.w.Raw(r.Value)
		st.w.EndField(start, nil)
	}
	st.w.marks = nil
	fields := st.w.buf
	inline := 0
	for i := range st.marks {
		mk := &st.marks[i]
		k := NewReader(fields[mk.start:mk.end])
		k.Key()
		if k.Err() != nil {
			return nil, 0, fmt.Errorf("field entry: %w", k.Err())
		}
		mk.split = mk.start + k.i
		if mk.end-mk.split <= DetachAbove {
			inline++
		}
	}

	if inline == len(st.marks) {
		// Nothing to detach: version 1, the same head with no table, which
		// a signature covers whole at the same cost, and which releases
		// before version 2 read (a rolling deploy loses no session that
		// holds no long value).
		return st.encodeInline(dst, m, fields)
	}

	// 2. The head, then the detached values.
	start := len(dst)
	w := NewWriter(append(dst, 2, 0, 0, 0, 0))
	w.ArrayLen(v2Len + labelsLen(m))
	encodeMeta(&w, m)
	w.MapLen(inline)
	for _, mk := range st.marks {
		if mk.end-mk.split <= DetachAbove {
			w.Raw(fields[mk.start:mk.end])
		}
	}
	w.ArrayLen(len(st.marks) - inline)
	for i := range st.marks {
		mk := &st.marks[i]
		value := fields[mk.split:mk.end]
		if len(value) <= DetachAbove {
			continue
		}
		if !mk.hasSum {
			mk.sum = DigestOf(value)
		}
		w.ArrayLen(3)
		w.Raw(fields[mk.start:mk.split])
		w.Uint(uint64(len(value)))
		w.Bin(mk.sum[:])
	}
	if err := encodeLabels(&w, m); err != nil {
		return nil, 0, err
	}
	out := w.Bytes()
	headLen := len(out) - start - v2Prefix
	binary.BigEndian.PutUint32(out[start+1:start+v2Prefix], uint32(headLen))
	signed := len(out) - start
	for _, mk := range st.marks {
		if mk.end-mk.split > DetachAbove {
			out = append(out, fields[mk.split:mk.end]...)
		}
	}
	return out, signed, nil
}

// encodeInline writes the fields st has collected, all of them short, as
// a version 1 record.
func (st *detachState) encodeInline(dst []byte, m *Meta, fields []byte) ([]byte, int, error) {
	start := len(dst)
	w := NewWriter(append(dst, 1))
	w.ArrayLen(v1Len + labelsLen(m))
	encodeMeta(&w, m)
	w.MapLen(len(st.marks))
	w.Raw(fields)
	if err := encodeLabels(&w, m); err != nil {
		return nil, 0, err
	}
	return w.Bytes(), len(w.Bytes()) - start, nil
}

// remark finds the entries of the fields st.w holds, for a Fields that
// did not mark them.
func (st *detachState) remark() error {
	st.marks = st.marks[:0]
	b := st.w.buf
	for i := 0; i < len(b); {
		r := NewReader(b[i:])
		if r.Len() == 0 || !isStr(r.b[0]) {
			return fmt.Errorf("%w: field key is not a string", ErrMalformed)
		}
		r.Key()
		if r.Err() != nil {
			return r.Err()
		}
		n, err := valueLen(b[i+r.i:], 0)
		if err != nil {
			return err
		}
		end := i + r.i + n
		st.marks = append(st.marks, fieldMark{start: i, end: end})
		i = end
	}
	return nil
}

// encodeMeta writes the five metadata elements that open versions 1 and
// 2.
func encodeMeta(w *Writer, m *Meta) {
	var flags uint64
	if m.TestCookie {
		flags |= flagTestCookie
	}
	var expiry int64
	switch m.Expiry {
	case ExpiryIdle:
		expiry = m.IdleSeconds
	case ExpiryAt:
		expiry = unixNano(m.ExpiresAt)
	}
	w.Int(unixOrZero(m.Created))
	w.Int(unixOrZero(m.Saved))
	w.Uint(uint64(m.Expiry))
	w.Int(expiry)
	w.Uint(flags)
}

// EndField marks the entry of one field, its key and value, written from
// offset start on: a Fields calls it after each field it writes, with sum
// the digest its value came with when it writes the value as Decode handed
// it over through LazyFields.TakeDetached, nil otherwise. A version 2
// Encode takes the fields apart by these marks, and keeps the digests;
// elsewhere EndField does nothing.
func (w *Writer) EndField(start int, sum *Digest) {
	if w.marks == nil || w.err != nil {
		return
	}
	mk := fieldMark{start: start, end: len(w.buf)}
	if sum != nil {
		mk.sum, mk.hasSum = *sum, true
	}
	*w.marks = append(*w.marks, mk)
}

// decodeDetached reads the table of detached values and hands each value,
// a slice of region, on.
func (d *envDecoder) decodeDetached(env *Envelope, region []byte) error {
	r := &d.r
	m := r.ArrayLen(0)
	if err := r.Err(); err != nil {
		return fmt.Errorf("%w: detached values: %w", ErrMalformed, err)
	}
	if d.fields+max(m, 0) > maxFields {
		return fmt.Errorf("%w: %d fields, more than the %d a session may have", ErrMalformed, d.fields+m, maxFields)
	}
	off := 0
	for range m {
		if k := r.ArrayLen(1); r.Err() != nil || k != 3 {
			return fmt.Errorf("%w: detached value entry of %d elements, %v", ErrMalformed, k, r.Err())
		}
		key, err := d.readKey()
		if err != nil {
			return err
		}
		length := r.Uint()
		sum, ok := r.digest()
		if err := r.Err(); err != nil || !ok {
			return fmt.Errorf("%w: detached value %q: bad entry (%v)", ErrMalformed, key, err)
		}
		if length > uint64(len(region)-off) {
			return fmt.Errorf("%w: detached value %q of %d bytes, %d left", ErrMalformed, key, length, len(region)-off)
		}
		end := off + int(length)
		d.detached(env, key, region[off:end:end], sum)
		off = end
	}
	if off != len(region) {
		return fmt.Errorf("%w: %d bytes after the detached values", ErrMalformed, len(region)-off)
	}
	return nil
}

// digest reads a msgpack bin of DigestSize bytes.
func (r *Reader) digest() (Digest, bool) {
	var sum Digest
	c, ok := r.next()
	if !ok || c != 0xc4 {
		return sum, false
	}
	if n, ok := r.next(); !ok || n != DigestSize {
		return sum, false
	}
	b, ok := r.take(DigestSize)
	copy(sum[:], b)
	return sum, ok
}

// detached hands a detached value on. LazyFields take it with its digest,
// unchecked, and check it when the value is first used; anything else
// reads the value now, so it is checked now: a value that does not match
// its digest is dropped and reported to warn, with an error wrapping
// ErrDigest.
func (d *envDecoder) detached(env *Envelope, key, value []byte, sum Digest) {
	if d.lazy != nil && d.lazy.TakeDetached(key, value, sum) {
		return
	}
	if err := CheckDigest(value, sum); err != nil {
		d.warn(string(key), err)
		return
	}
	if err := checkValue(value); err != nil {
		d.warn(string(key), err)
		return
	}
	if d.lazy == nil && d.f != nil {
		known, err := d.f.DecodeField(key, value)
		if known {
			if err != nil {
				d.warn(string(key), err)
			}
			return
		}
	}
	env.Raw = append(env.Raw, RawField{Key: string(key), Value: value})
}
