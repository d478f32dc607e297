package bench

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/typedsession/typedsession/runtime/codec"
)

// TestAppendSameBytes checks that the generated calls workload 1 compares
// write the same bytes: AppendMsgpack into a reused buffer and after a
// prefix, MarshalMsgpack, and the appendShopper both call; and as many as
// msgp's two calls (whose flags come in map order, so only the length can
// be compared).
func TestAppendSameBytes(t *testing.T) {
	v := shopper()
	w := codec.NewWriter(nil)
	appendShopper(&w, v)
	want := w.Bytes()
	marshaled, err := v.MarshalMsgpack()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, marshaled); diff != "" {
		t.Errorf("MarshalMsgpack differs from appendShopper (-append +marshal):\n%s", diff)
	}
	buf := make([]byte, 0, 1024)
	for range 2 {
		if buf, err = v.AppendMsgpack(buf[:0]); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, buf); diff != "" {
			t.Errorf("AppendMsgpack into a reused buffer differs from appendShopper (-append +AppendMsgpack):\n%s", diff)
		}
	}
	prefixed, err := v.AppendMsgpack([]byte("prefix"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(append([]byte("prefix"), want...), prefixed); diff != "" {
		t.Errorf("AppendMsgpack after a prefix (-want +got):\n%s", diff)
	}
	m := msgpOf(v)
	for name, b := range map[string][]byte{"MarshalMsg(nil)": nil, "MarshalMsg(buf[:0])": make([]byte, 0, 1024)} {
		msgped, err := m.MarshalMsg(b)
		if err != nil {
			t.Fatal(err)
		}
		if len(msgped) != len(want) {
			t.Errorf("msgp's %s wrote %d bytes, the generated code %d", name, len(msgped), len(want))
		}
	}
}
