package codec

import "fmt"

// DecodeRaw decodes the raw fields that f knows into f and returns the ones
// it does not, reusing raw's backing array. A raw value that does not fit
// its field's type is reported to warn and dropped. It is how a session that
// was loaded before its type was known (say, to be cycled) gets its typed
// view later.
func DecodeRaw(f Fields, raw []RawField, warn Warner) (rest []RawField) {
	if warn == nil {
		warn = func(string, error) {}
	}
	d := decoders.Get().(*decoder)
	defer decoders.Put(d)
	rest = raw[:0]
	for _, r := range raw {
		known, err := decodeOne(d, f, r)
		switch {
		case !known:
			rest = append(rest, r)
		case err != nil:
			warn(r.Key, err)
		}
	}
	return rest
}

func decodeOne(d *decoder, f Fields, r RawField) (known bool, err error) {
	defer func() {
		if p := recover(); p != nil {
			known, err = true, fmt.Errorf("%w: panic while decoding: %v", ErrMalformed, p)
		}
	}()
	d.r.Reset(r.Value)
	d.dec.Reset(&d.r)
	return f.DecodeField(d.dec, []byte(r.Key))
}
