package split

import "testing"

func TestRoundTrip(t *testing.T) {
	in := Admin{Login: "root", As: &Visitor{Cart: []Line{{SKU: "a", Qty: 2}}, Note: Note{Text: "hi"}}, Last: Line{SKU: "b"}}
	data, err := in.MarshalMsgpack()
	if err != nil {
		t.Fatal(err)
	}
	var out Admin
	if err := out.UnmarshalMsgpack(data); err != nil {
		t.Fatal(err)
	}
	if out.Login != in.Login || out.As == nil || len(out.As.Cart) != 1 || out.As.Cart[0] != in.As.Cart[0] || out.As.Note != in.As.Note || out.Last != in.Last {
		t.Errorf("round trip: got %+v, want %+v", out, in)
	}
}
