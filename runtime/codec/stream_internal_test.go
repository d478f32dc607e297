package codec

import "testing"

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
