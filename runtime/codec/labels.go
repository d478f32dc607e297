package codec

import (
	"fmt"
	"slices"
)

// Labels travel as the element after the fields of the envelope array (the
// seventh of version 1, the eighth of version 2, after the table of
// detached values), a map of strings to strings, present only when the
// session has labels. Readers ignore elements after those they know, so a
// release that did not know labels read a version 1 payload with labels
// (and dropped them when it wrote the session again; labels are
// informational).

// MaxLabels bounds the number of labels Decode accepts; the session
// package enforces its own, smaller limits when labels are set.
const MaxLabels = 32

func labelsLen(m *Meta) int {
	if len(m.Labels) == 0 {
		return 0
	}
	return 1
}

// encodeLabels writes m's labels, keys sorted so that equal sessions
// encode to equal bytes.
func encodeLabels(w *Writer, m *Meta) error {
	if len(m.Labels) == 0 {
		return nil
	}
	if len(m.Labels) > MaxLabels {
		return fmt.Errorf("%d labels, more than the %d allowed", len(m.Labels), MaxLabels)
	}
	keys := make([]string, 0, len(m.Labels))
	for k := range m.Labels {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	w.MapLen(len(keys))
	for _, k := range keys {
		w.Str(k)
		w.Str(m.Labels[k])
	}
	return nil
}

// decodeLabels reads the labels element into env.
func (d *envDecoder) decodeLabels(env *Envelope) error {
	r := &d.r
	n := r.MapLen(0)
	if err := r.Err(); err != nil || n > MaxLabels {
		return fmt.Errorf("%w: labels: map of %d (at most %d), %v", ErrMalformed, n, MaxLabels, err)
	}
	if n <= 0 {
		return nil
	}
	env.Labels = make(map[string]string, n)
	for range n {
		k := r.Str()
		if err := r.Err(); err != nil {
			return fmt.Errorf("%w: label key: %v", ErrMalformed, err)
		}
		v := r.Str()
		if err := r.Err(); err != nil {
			return fmt.Errorf("%w: label %q: %v", ErrMalformed, k, err)
		}
		env.Labels[k] = v
	}
	return nil
}
