package ptrtype

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRoundTrip(t *testing.T) {
	n := 3
	ref := ItemRef(&Item{SKU: "a", Qty: 1})
	in := Cart{
		Ref:   ref,
		Refs:  []ItemRef{&Item{SKU: "b"}, nil},
		ByID:  map[string]ItemRef{"c": &Item{Qty: 2}},
		Ptr:   &ref,
		Count: &n,
	}
	data, err := in.MarshalMsgpack()
	if err != nil {
		t.Fatal(err)
	}
	var out Cart
	if err := out.UnmarshalMsgpack(data); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(in, out); diff != "" {
		t.Errorf("round trip (-in +out):\n%s", diff)
	}
	c := cloneCart(in)
	if c.Ref == in.Ref || (*c.Ref) != (*in.Ref) {
		t.Errorf("clone shares or changes Ref: %p %p", c.Ref, in.Ref)
	}
}
