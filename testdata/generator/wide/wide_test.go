package wide

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/typedsession/typedsession/runtime/codec"
	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/sessiontest"
	"github.com/typedsession/typedsession/runtime/store/memstore"
)

func bound(t *testing.T) (*BigSession, codec.Fields) {
	t.Helper()
	m, err := session.NewManager(session.Config{Store: memstore.New(), Secret: "wide-test-secret-0123456789abcdef0123"})
	if err != nil {
		t.Fatal(err)
	}
	v, err := BigOf(context.Background(), m.Open(""))
	if err != nil {
		t.Fatal(err)
	}
	return v, sessiontest.ViewFields(v)
}

// TestFieldsBeyond64 checks a field past the 64th round trip through the
// envelope with its presence.
func TestFieldsBeyond64(t *testing.T) {
	src, srcFields := bound(t)
	src.SetF3(3)
	src.SetF69(69)
	if got := srcFields.FieldCount(); got != 2 {
		t.Fatalf("FieldCount = %d, want 2", got)
	}
	payload, err := codec.Encode(nil, &codec.Meta{}, srcFields, nil)
	if err != nil {
		t.Fatal(err)
	}
	dst, dstFields := bound(t)
	if _, err := codec.Decode(payload, dstFields, nil); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"f3", "f69"}, dstFields.AppendFieldKeys(nil)); diff != "" {
		t.Errorf("present keys (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(src.Values(), dst.Values()); diff != "" {
		t.Errorf("values (-sent +received):\n%s", diff)
	}
}
