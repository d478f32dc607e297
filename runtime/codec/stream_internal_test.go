package codec

import "testing"

// TestDecoderReleaseDropsData checks a released Decoder no longer refers to
// the data it read, so the pool does not keep a session's bytes alive.
func TestDecoderReleaseDropsData(t *testing.T) {
	d := GetDecoder(make([]byte, 1024))
	d.Release()
	if n := d.r.Size(); n != 0 {
		t.Errorf("released Decoder still reads %d bytes", n)
	}
	if r := d.dec.Buffered(); r != nil {
		t.Errorf("released Decoder's msgpack decoder still reads %T", r)
	}
}
