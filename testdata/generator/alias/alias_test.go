package alias

import (
	"testing"

	"github.com/typedsession/typedsession/testdata/generator/alias/ext"
)

func TestRoundTrip(t *testing.T) {
	in := Prefs{Box: ext.Make(4), Level: 2}
	data, err := in.MarshalMsgpack()
	if err != nil {
		t.Fatal(err)
	}
	var out Prefs
	if err := out.UnmarshalMsgpack(data); err != nil || out != in {
		t.Errorf("round trip: %+v, %v; want %+v", out, err, in)
	}
}
