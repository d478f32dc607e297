package basic

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/typedsession/typedsession/runtime/codec"
	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/sessiontest"
)

// mapStore is the smallest store.Store, so this case tests only what
// sessiongen generated.
type mapStore struct{ m map[string][]byte }

func (s *mapStore) Load(_ context.Context, key string) ([]byte, bool, error) {
	d, ok := s.m[key]
	return d, ok, nil
}

func (s *mapStore) Save(_ context.Context, key string, data []byte, _ time.Time, mustCreate bool) error {
	if _, ok := s.m[key]; ok == mustCreate {
		return errors.New("mapStore: create/update mismatch")
	}
	s.m[key] = append([]byte(nil), data...)
	return nil
}

func (s *mapStore) Delete(_ context.Context, key string) error { delete(s.m, key); return nil }
func (s *mapStore) Exists(_ context.Context, key string) (bool, error) {
	_, ok := s.m[key]
	return ok, nil
}
func (s *mapStore) ClearExpired(context.Context) (int64, error) { return 0, nil }

func newManager(t testing.TB) *session.Manager {
	t.Helper()
	m, err := session.NewManager(session.Config{Store: &mapStore{m: map[string][]byte{}}, Secret: "sessiongen-test-secret-0123456789abcdef"})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// fresh returns a new session's view, with the Roles field present when
// present is set; the flags are reset so a test sees only its own call.
func fresh(t *testing.T, present bool) *VisitorSession {
	t.Helper()
	m := newManager(t)
	s := m.Open("")
	v, err := VisitorOf(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	if present {
		v.SetRoles([]string{"admin"})
		s2 := m.Open("")
		v2, err := VisitorOf(context.Background(), s2)
		if err != nil {
			t.Fatal(err)
		}
		// Copy the fields through the envelope, as a load would.
		payload, err := codec.Encode(nil, nil, sessiontest.ViewFields(v), nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := codec.Decode(payload, sessiontest.ViewFields(v2), nil); err != nil {
			t.Fatal(err)
		}
		return v2
	}
	return v
}

// TestAccessorFlags checks each accessor against C01-C10 of
// runtime/sessiontest/CONFORMANCE.md.
func TestAccessorFlags(t *testing.T) {
	tests := []struct {
		name                  string
		present               bool
		op                    func(t *testing.T, v *VisitorSession)
		wantAccessed, wantMod bool
		wantPresent           bool
	}{
		{"C01 new session", false, func(*testing.T, *VisitorSession) {}, false, false, false},
		{"C02 get absent", false, func(t *testing.T, v *VisitorSession) {
			if got := v.Roles(); got != nil {
				t.Errorf("Roles() = %v, want nil", got)
			}
		}, true, false, false},
		{"C03 set", false, func(t *testing.T, v *VisitorSession) {
			v.SetRoles([]string{"x"})
			if diff := cmp.Diff([]string{"x"}, v.Roles()); diff != "" {
				t.Error(diff)
			}
		}, true, true, true},
		{"C04 pop present", true, func(t *testing.T, v *VisitorSession) {
			got, ok := v.PopRoles()
			if !ok || !cmp.Equal(got, []string{"admin"}) {
				t.Errorf("PopRoles() = %v, %v", got, ok)
			}
		}, true, true, false},
		{"C05 pop absent", false, func(t *testing.T, v *VisitorSession) {
			if got, ok := v.PopRoles(); ok || got != nil {
				t.Errorf("PopRoles() = %v, %v; want nil, false", got, ok)
			}
		}, true, false, false},
		{"C06 setdefault present", true, func(t *testing.T, v *VisitorSession) {
			if got := v.SetDefaultRoles([]string{"other"}); !cmp.Equal(got, []string{"admin"}) {
				t.Errorf("SetDefaultRoles = %v", got)
			}
		}, true, false, true},
		{"C06 setdefault absent", false, func(t *testing.T, v *VisitorSession) {
			if got := v.SetDefaultRoles([]string{"other"}); !cmp.Equal(got, []string{"other"}) {
				t.Errorf("SetDefaultRoles = %v", got)
			}
		}, true, true, true},
		{"C07 update", false, func(t *testing.T, v *VisitorSession) {
			v.Update(func(x *Visitor) { x.Roles, x.Name = []string{}, "Ada" })
			if !v.HasName() {
				t.Error("Name not present after Update set it")
			}
			if v.HasUserID() {
				t.Error("UserID present though Update left it zero")
			}
		}, true, true, true},
		{"C08 has", true, func(t *testing.T, v *VisitorSession) {
			if !v.HasRoles() {
				t.Error("HasRoles() = false")
			}
		}, true, false, true},
		{"C09 values", true, func(t *testing.T, v *VisitorSession) {
			if got := v.Values().Roles; !cmp.Equal(got, []string{"admin"}) {
				t.Errorf("Values().Roles = %v", got)
			}
		}, true, false, true},
		{"C10 clear", true, func(t *testing.T, v *VisitorSession) { v.Clear() }, true, true, false},
		{"delete present", true, func(t *testing.T, v *VisitorSession) { v.DeleteRoles() }, true, true, false},
		{"delete absent", false, func(t *testing.T, v *VisitorSession) { v.DeleteRoles() }, true, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := fresh(t, tt.present)
			tt.op(t, v)
			if got := v.Session().Accessed(); got != tt.wantAccessed {
				t.Errorf("Accessed() = %v, want %v", got, tt.wantAccessed)
			}
			if got := v.Session().Modified(); got != tt.wantMod {
				t.Errorf("Modified() = %v, want %v", got, tt.wantMod)
			}
			if got := slices.Contains(sessiontest.ViewFields(v).AppendFieldKeys(nil), "roles"); got != tt.wantPresent {
				t.Errorf("Roles present = %v, want %v", got, tt.wantPresent)
			}
		})
	}
}

// TestCopies checks that no slice, map or pointer handed in or out aliases
// the session's data: a caller cannot change it behind the session's back.
func TestCopies(t *testing.T) {
	v := fresh(t, false)
	in := []CartLine{{SKU: "a", Tags: []string{"t"}}}
	v.SetCart(in)
	in[0].SKU, in[0].Tags[0] = "changed", "changed"
	out := v.Cart()
	out[0].SKU, out[0].Tags[0] = "changed", "changed"
	v.SetTheme(&Theme{Extra: map[string]int{"a": 1}})
	v.Theme().Extra["a"] = 2
	vals := v.Values()
	vals.Cart[0].Tags[0] = "changed"
	want := []CartLine{{SKU: "a", Tags: []string{"t"}}}
	if diff := cmp.Diff(want, v.Cart(), opts); diff != "" {
		t.Errorf("session data changed through a copy (-want +got):\n%s", diff)
	}
	if got := v.Theme().Extra["a"]; got != 1 {
		t.Errorf("Theme().Extra[a] = %d, want 1", got)
	}
}

// TestSaveLoad stores a full value through a real Manager and reads it back.
func TestSaveLoad(t *testing.T) {
	m := newManager(t)
	ctx := context.Background()
	s := m.Open("")
	v, err := VisitorOf(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	in := values()["full"]
	v.Update(func(x *Visitor) { *x = in })
	if err := s.Save(ctx); err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("GET", "/", nil)
	r.AddCookie(&http.Cookie{Name: session.DefaultCookieName, Value: s.Key()})
	served := false
	m.Handler(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		served = true
		got, err := VisitorFrom(r)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(normalize(in), got.Values(), opts); diff != "" {
			t.Errorf("after save and load (-saved +loaded):\n%s", diff)
		}
		again, err := VisitorFrom(r)
		if err != nil || again != got {
			t.Errorf("second VisitorFrom = %p, %v; want the same view %p", again, err, got)
		}
	})).ServeHTTP(httptest.NewRecorder(), r)
	if !served {
		t.Fatal("the middleware did not call the handler")
	}
}

func TestNoSession(t *testing.T) {
	if _, err := VisitorFromContext(context.Background()); !errors.Is(err, session.ErrNoSession) {
		t.Errorf("VisitorFromContext without a session: err = %v, want ErrNoSession", err)
	}
}

// TestWrongTypeDropped is C40: a stored field whose type no longer fits
// reads as absent (with a warning, when it is first used: fields are
// decoded lazily), the others survive, and unknown keys stay raw.
func TestWrongTypeDropped(t *testing.T) {
	enc := func(v any) []byte {
		b, err := msgpack.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	payload, err := codec.Encode(nil, &codec.Meta{}, nil, []codec.RawField{
		{Key: "uid", Value: enc("not a number")},
		{Key: "name", Value: enc("Ada")},
		{Key: "cart", Value: enc([]any{map[string]any{"sku": 5}})},
		{Key: "roles", Value: enc([]string{"a"})},
		{Key: "future", Value: enc(true)},
	})
	if err != nil {
		t.Fatal(err)
	}
	v, fields := bound(t)
	env, err := codec.Decode(payload, fields, nil)
	if err != nil {
		t.Fatal(err)
	}
	if v.HasUserID() || v.UserID() != 0 || v.HasCart() || v.Cart() != nil {
		t.Errorf("fields that do not fit: uid %v %d, cart %v %v; want absent and zero", v.HasUserID(), v.UserID(), v.HasCart(), v.Cart())
	}
	if v.Name() != "Ada" || !slices.Equal(v.Roles(), []string{"a"}) {
		t.Errorf("fields that fit: name %q roles %q", v.Name(), v.Roles())
	}
	if diff := cmp.Diff([]string{"name", "roles"}, fields.AppendFieldKeys(nil)); diff != "" {
		t.Errorf("present (-want +got):\n%s", diff)
	}
	if len(env.Raw) != 1 || env.Raw[0].Key != "future" {
		t.Errorf("raw = %v, want the unknown key kept", env.Raw)
	}
}
