package unicode

import "testing"

func TestRoundTrip(t *testing.T) {
	in := Ünicode{Name: "ü"}
	data, err := in.MarshalMsgpack()
	if err != nil {
		t.Fatal(err)
	}
	var out Ünicode
	if err := out.UnmarshalMsgpack(data); err != nil || out != in {
		t.Errorf("round trip: %+v, %v; want %+v", out, err, in)
	}
}
