package names

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRoundTrip(t *testing.T) {
	in := Names{
		K: "k", X: 1, Dec: dec{A: 2}, Enc: &enc{B: "b"}, V: []v{3}, S: map[string]s{"a": 1.5},
		N: [2]n{true, false}, Buf: buf("xy"), Depth: 4, E: "e", C: map[c][]c{1: {2}},
		Codec: codec{C: 5}, Nested: []*Nested{{E: e{"z"}, I: i{"q": 1}, X0: 6, Next: &Nested{X0: 7}}},
		Index: map[int]string{1: "one"},
	}
	data, err := in.MarshalMsgpack()
	if err != nil {
		t.Fatal(err)
	}
	var out Names
	if err := out.UnmarshalMsgpack(data); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(in, out, cmp.AllowUnexported(dec{}, enc{}, codec{})); diff != "" {
		t.Errorf("round trip (-in +out):\n%s", diff)
	}
}
