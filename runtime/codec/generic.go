package codec

import (
	"cmp"
	"slices"
)

// AppendSlice appends s as an array, each element with elem; a nil s as
// nil.
func AppendSlice[E any](w *Writer, s []E, elem func(*Writer, E)) {
	if s == nil {
		w.Nil()
		return
	}
	w.ArrayLen(len(s))
	for _, e := range s {
		elem(w, e)
	}
}

// ReadSlice reads an array, which depth arrays and maps surround, reading
// each element with elem (given the depth of the elements, depth+1); nil
// for msgpack nil, and after an error. The slice is allocated once, at its
// length, after the length has been checked against the bytes left and
// counted against MaxElements.
func ReadSlice[E any](r *Reader, depth int, elem func(*Reader, int) E) []E {
	n := r.arrayLen(depth, weightOf[E]())
	if n < 0 || r.err != nil {
		return nil
	}
	s := make([]E, n)
	for i := range s {
		s[i] = elem(r, depth+1)
		if r.err != nil {
			return nil
		}
	}
	return s
}

// AppendMap appends m as a map, keys in sorted order so that equal maps
// encode to equal bytes, each key with key and each value with val; a nil
// m as nil. Keys and values are collected in one pass over m, so no key is
// looked up again; up to 8 entries stay on the stack.
func AppendMap[K cmp.Ordered, V any](w *Writer, m map[K]V, key func(*Writer, K), val func(*Writer, V)) {
	if m == nil {
		w.Nil()
		return
	}
	w.MapLen(len(m))
	var small [8]entry[K, V]
	es := small[:0]
	for k, v := range m {
		es = append(es, entry[K, V]{k, v})
	}
	sortEntries(es)
	for _, e := range es {
		key(w, e.k)
		val(w, e.v)
	}
}

// entry is a key of a map with its value.
type entry[K cmp.Ordered, V any] struct {
	k K
	v V
}

// sortEntries sorts es by key. The keys of a map are distinct and, being
// strings or integers, totally ordered, so the order is the one slices.Sort
// gives the keys alone. Sessions' maps are small: an insertion sort, with
// no comparison function to call, sorts them fastest.
func sortEntries[K cmp.Ordered, V any](es []entry[K, V]) {
	if len(es) > 12 {
		slices.SortFunc(es, func(a, b entry[K, V]) int { return cmp.Compare(a.k, b.k) })
		return
	}
	for i := 1; i < len(es); i++ {
		for j := i; j > 0 && es[j].k < es[j-1].k; j-- {
			es[j], es[j-1] = es[j-1], es[j]
		}
	}
}

// ReadMap reads a map, which depth arrays and maps surround, each key with
// key and each value with val (given depth+1); nil for msgpack nil, and
// after an error. A key that comes twice keeps its last value, as in
// msgpack. The map is sized once, after its length has been checked and
// counted against MaxElements.
func ReadMap[K comparable, V any](r *Reader, depth int, key func(*Reader) K, val func(*Reader, int) V) map[K]V {
	n := r.mapLen(depth, mapWeight[K, V]())
	if n < 0 || r.err != nil {
		return nil
	}
	m := make(map[K]V, n)
	for range n {
		k := key(r)
		v := val(r, depth+1)
		if r.err != nil {
			return nil
		}
		m[k] = v
	}
	return m
}

// AppendPtr appends *p with elem, or nil for a nil p.
func AppendPtr[E any](w *Writer, p *E, elem func(*Writer, E)) {
	if p == nil {
		w.Nil()
		return
	}
	elem(w, *p)
}

// ReadPtr reads nil as a nil pointer, and anything else with elem (given
// depth: a pointer is no container) into a new E, which counts against
// MaxElements like an element of that size; nil after an error.
func ReadPtr[E any](r *Reader, depth int, elem func(*Reader, int) E) *E {
	if r.Nil() || r.err != nil {
		return nil
	}
	if r.charge(true, 1, 0, weightOf[E]()) == 0 {
		return nil
	}
	p := new(E)
	*p = elem(r, depth)
	if r.err != nil {
		return nil
	}
	return p
}
