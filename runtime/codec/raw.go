package codec

import "fmt"

// DecodeRaw decodes the raw fields that f knows into f and returns the ones
// it does not, reusing raw's backing array. A raw value that does not fit
// its field's type is reported to warn and dropped. It is how a session that
// was loaded before its type was known (say, to be cycled) gets its typed
// view later.
//
// Each value is checked as Decode checks a field's value before f sees it
// (see Fields.DecodeField), since raw values need not come from Decode; one
// that is not a single well-formed value is dropped with a warning.
func DecodeRaw(f Fields, raw []RawField, warn Warner) (rest []RawField) {
	if warn == nil {
		warn = func(string, error) {}
	}
	rest = raw[:0]
	for _, r := range raw {
		known, err := decodeOne(f, r)
		switch {
		case !known:
			rest = append(rest, r)
		case err != nil:
			warn(r.Key, err)
		}
	}
	return rest
}

func decodeOne(f Fields, r RawField) (known bool, err error) {
	defer func() {
		if p := recover(); p != nil {
			known, err = true, fmt.Errorf("%w: panic while decoding: %v", ErrMalformed, p)
		}
	}()
	if err := checkValue(r.Value); err != nil {
		// Nothing may decode it, and Encode would refuse to write it
		// back: it is dropped, with a warning, whoever's key it is.
		return true, err
	}
	return f.DecodeField([]byte(r.Key), r.Value)
}
