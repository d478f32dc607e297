package session

// Deep copies for generated code: a generated view's getters return copies
// and its setters store copies (Codec.Clone), built from these for
// slices, maps, pointers and arrays whose elements hold memory of their
// own. A nil elem copies elements by assignment.

// CloneSlice returns a copy of s whose elements are copied with elem; nil
// stays nil.
func CloneSlice[S ~[]E, E any](s S, elem func(E) E) S {
	if s == nil {
		return nil
	}
	c := make(S, len(s))
	for i, e := range s {
		c[i] = cloneElem(e, elem)
	}
	return c
}

// CloneMap returns a copy of m whose values are copied with elem; nil
// stays nil.
func CloneMap[M ~map[K]V, K comparable, V any](m M, elem func(V) V) M {
	if m == nil {
		return nil
	}
	c := make(M, len(m))
	for k, v := range m {
		c[k] = cloneElem(v, elem)
	}
	return c
}

// ClonePtr returns a pointer to a copy of *p, copied with elem; nil stays
// nil.
func ClonePtr[E any](p *E, elem func(E) E) *E {
	if p == nil {
		return nil
	}
	c := cloneElem(*p, elem)
	return &c
}

// CloneEach replaces each element of s, a slice of a copied array, with
// its copy by elem.
func CloneEach[E any](s []E, elem func(E) E) {
	for i, e := range s {
		s[i] = cloneElem(e, elem)
	}
}

func cloneElem[E any](e E, elem func(E) E) E {
	if elem == nil {
		return e
	}
	return elem(e)
}
