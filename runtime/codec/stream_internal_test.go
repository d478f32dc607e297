package codec

import (
	"errors"
	"testing"
)

// TestDecoderDoneDropsData checks a finished Decoder no longer refers to
// the data it read, so the pool does not keep a session's bytes alive.
func TestDecoderDoneDropsData(t *testing.T) {
	d := GetDecoder(make([]byte, 1024))
	d.Done(nil)
	if n := d.r.Size(); n != 0 {
		t.Errorf("finished Decoder still reads %d bytes", n)
	}
	if r := d.dec.Buffered(); r != nil {
		t.Errorf("finished Decoder's msgpack decoder still reads %T", r)
	}
}

// TestDecoderReusable checks which decoders Done may return to the pool:
// those that succeeded on at most 64 KiB. The rule is tested here rather
// than by watching the pool, which may drop anything it is given.
func TestDecoderReusable(t *testing.T) {
	failure := errors.New("decode failed")
	tests := []struct {
		name string
		size int
		err  error
		want bool
	}{
		{"succeeded", 1, nil, true},
		{"succeeded on 64 KiB", maxPooled, nil, true},
		{"failed", 1, failure, false},
		{"succeeded on more than 64 KiB", maxPooled + 1, nil, false},
		{"failed on more than 64 KiB", 100 << 10, failure, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := GetDecoder(make([]byte, tt.size))
			defer d.Done(nil)
			if got := d.reusable(tt.err); got != tt.want {
				t.Errorf("reusable(%v) after reading %d bytes = %v, want %v", tt.err, tt.size, got, tt.want)
			}
		})
	}
}

// TestEncoderReusable checks which encoders Release may return to the
// pool: those whose buffer stayed within 64 KiB.
func TestEncoderReusable(t *testing.T) {
	tests := []struct {
		name  string
		wrote int
		want  bool
	}{
		{"empty", 0, true},
		{"small", 100, true},
		{"grew past 64 KiB", 100 << 10, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &Encoder{}
			e.buf.Write(make([]byte, tt.wrote))
			if got := e.reusable(); got != tt.want {
				t.Errorf("reusable() with a %d-byte buffer (cap %d) = %v, want %v", tt.wrote, e.buf.Cap(), got, tt.want)
			}
		})
	}
}
