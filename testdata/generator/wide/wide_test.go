package wide

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/typedsession/typedsession/runtime/codec"
)

func TestPresenceBeyond64(t *testing.T) {
	src := &BigSession{}
	src.v.F3, src.v.F69 = 3, 69
	src.has[0], src.has[1] = 1<<3, 1<<(69-64)
	if got := src.FieldCount(); got != 2 {
		t.Fatalf("FieldCount = %d, want 2", got)
	}
	payload, err := codec.Encode(nil, &codec.Meta{}, src, nil)
	if err != nil {
		t.Fatal(err)
	}
	dst := &BigSession{}
	if _, err := codec.Decode(payload, dst, nil); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"f3", "f69"}, dst.AppendFieldKeys(nil)); diff != "" {
		t.Errorf("present keys (-want +got):\n%s", diff)
	}
	if dst.v != src.v {
		t.Errorf("values differ: %+v vs %+v", dst.v, src.v)
	}
}
