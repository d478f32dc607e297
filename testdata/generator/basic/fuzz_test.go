package basic

import (
	"bytes"
	"testing"

	"github.com/vmihailenco/msgpack/v5"
)

// FuzzDecode feeds arbitrary bytes to the generated decoders, which must
// return an error or a value, never panic. (codec.Decode recovers from
// panics as a last line of defence, so the decoders are called directly.)
func FuzzDecode(f *testing.F) {
	for _, v := range values() {
		data, err := v.MarshalMsgpack()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte{0xdf, 0xff, 0xff, 0xff, 0xff})                                 // map32 with 2^32-1 entries
	f.Add([]byte{0x81, 0xa4, 'c', 'a', 'r', 't', 0xdd, 0xff, 0xff, 0xff, 0xff}) // huge array
	f.Add([]byte{0x81, 0xdb, 0xff, 0xff, 0xff, 0xff})                           // key of 4 GiB
	keys := (&VisitorSession{has: ^uint64(0)}).AppendFieldKeys(nil)
	f.Fuzz(func(t *testing.T, data []byte) {
		var v Visitor
		_ = v.UnmarshalMsgpack(data)
		if len(data) == 0 {
			return
		}
		s := &VisitorSession{}
		dec := msgpack.NewDecoder(bytes.NewReader(data[1:]))
		known, _ := s.DecodeField(dec, []byte(keys[int(data[0])%len(keys)]))
		if !known {
			t.Fatalf("key %q not known", keys[int(data[0])%len(keys)])
		}
	})
}
