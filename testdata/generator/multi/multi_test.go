package multi

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/typedsession/typedsession/runtime/session"
)

type nopStore struct{}

func (nopStore) Load(context.Context, string) ([]byte, bool, error)          { return nil, false, nil }
func (nopStore) Save(context.Context, string, []byte, time.Time, bool) error { return nil }
func (nopStore) Delete(context.Context, string) error                        { return nil }
func (nopStore) Exists(context.Context, string) (bool, error)                { return false, nil }
func (nopStore) ClearExpired(context.Context) (int64, error)                 { return 0, nil }

// TestBoundType checks a session bound to one type refuses another.
func TestBoundType(t *testing.T) {
	m, err := session.NewManager(session.Config{Store: nopStore{}, Secret: "sessiongen-test-secret-0123456789abcdef"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s := m.Open("")
	if _, err := VisitorOf(ctx, s); err != nil {
		t.Fatal(err)
	}
	_, err = AdminOf(ctx, s)
	if !errors.Is(err, session.ErrBoundType) {
		t.Fatalf("AdminOf on a Visitor session: err = %v, want ErrBoundType", err)
	}
	for _, name := range []string{"AdminSession", "VisitorSession"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error %q does not name %s", err, name)
		}
	}
}

func TestSharedNested(t *testing.T) {
	in := Admin{Login: "root", Last: &Line{SKU: "x", Qty: 2}}
	data, err := in.MarshalMsgpack()
	if err != nil {
		t.Fatal(err)
	}
	var out Admin
	if err := out.UnmarshalMsgpack(data); err != nil {
		t.Fatal(err)
	}
	if out.Login != in.Login || *out.Last != *in.Last {
		t.Errorf("round trip: got %+v %+v, want %+v %+v", out, out.Last, in, in.Last)
	}
}
