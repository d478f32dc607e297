package django

import (
	"context"
	"errors"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/typedsession/typedsession/runtime/codec"
	"github.com/typedsession/typedsession/runtime/django/internal/djangotest"
	"github.com/typedsession/typedsession/runtime/internal/viewfields"
	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store/memstore"
)

// visitManager opens the sessions boundVisit binds; one for all tests.
var visitManager = sync.OnceValues(func() (*session.Manager, error) {
	return session.NewManager(session.Config{Store: memstore.New(), Secret: "django-format-test-secret-0123456789abcdef"})
})

// boundVisit returns the fields of a fresh, typed session.
func boundVisit(t testing.TB) *djangotest.VisitSession {
	t.Helper()
	m, err := visitManager()
	if err != nil {
		t.Fatal(err)
	}
	v, err := djangotest.VisitOf(context.Background(), m.Open(""))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

type warnings []string

func (w *warnings) warn(key string, err error) { *w = append(*w, key+": "+err.Error()) }

// TestDictRoundTrip: every session Django wrote reads into the typed
// fields, metadata and raw fields, and writes back byte for byte.
func TestDictRoundTrip(t *testing.T) {
	v := loadVectors(t)
	for i, s := range v.Sessions {
		f := boundVisit(t)
		var w warnings
		env, err := decodeDict([]byte(s.JSON), viewfields.Of(f), w.warn)
		if err != nil || len(w) > 0 {
			t.Fatalf("session %d: %v %v", i, err, w)
		}
		got, err := encodeDict(&env.Meta, viewfields.Of(f), env.Raw)
		if err != nil {
			t.Fatalf("session %d: %v", i, err)
		}
		if string(got) != s.JSON {
			t.Errorf("session %d:\n got %s\nwant %s", i, got, s.JSON)
		}
	}
}

func TestDictTypedValues(t *testing.T) {
	v := loadVectors(t)
	f := boundVisit(t)
	if _, err := decodeDict([]byte(v.Sessions[1].JSON), viewfields.Of(f), nil); err != nil {
		t.Fatal(err)
	}
	if f.UserID() != 42 || f.Name() != "Zoë \"quoted\" \\ </script>" || !cmp.Equal(f.Roles(), []string{"admin", "staff"}) {
		t.Errorf("got %d %q %q", f.UserID(), f.Name(), f.Roles())
	}
	f = boundVisit(t)
	env, err := decodeDict([]byte(v.Sessions[2].JSON), viewfields.Of(f), nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]djangotest.Line{{SKU: "A-1", Qty: 2, Price: 1999}}, f.Cart()); diff != "" {
		t.Error(diff)
	}
	if f.Ratio() != 0.1 || !f.Flags()["beta"] || f.Flags()["dark"] {
		t.Errorf("ratio %v flags %v", f.Ratio(), f.Flags())
	}
	var keys []string
	for _, r := range env.Raw {
		keys = append(keys, r.Key)
	}
	if diff := cmp.Diff([]string{"big", "neg", "f", "g", "h", "nil", "emoji", "ctl"}, keys); diff != "" {
		t.Errorf("raw keys: %s", diff)
	}
	env, err = decodeDict([]byte(v.Sessions[3].JSON), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := codec.Meta{Expiry: codec.ExpiryIdle, IdleSeconds: 3600, TestCookie: true}
	if diff := cmp.Diff(want, env.Meta); diff != "" {
		t.Errorf("meta (-want +got):\n%s", diff)
	}
}

// TestDictGoValues: what Go writes that JSON has no direct form for
// (times, integer map keys) reads back into the same Go values.
func TestDictGoValues(t *testing.T) {
	seen := time.Date(2026, 3, 4, 5, 6, 7, 123456000, time.UTC)
	note := "n"
	f := boundVisit(t)
	f.SetSeen(seen)
	f.SetCounts(map[int]int{3: 4, -1: 0})
	f.SetNote(&note)
	meta := codec.Meta{Expiry: codec.ExpiryAt, ExpiresAt: seen.Add(time.Hour)}
	doc, err := encodeDict(&meta, viewfields.Of(f), nil)
	if err != nil {
		t.Fatal(err)
	}
	wantDoc := `{"seen":"2026-03-04T05:06:07.123456+00:00","counts":{"-1":0,"3":4},"note":"n","_session_expiry":"2026-03-04T06:06:07.123456+00:00"}`
	if string(doc) != wantDoc && !sameJSON(t, doc, []byte(wantDoc)) {
		t.Errorf("got %s\nwant %s", doc, wantDoc)
	}
	g := boundVisit(t)
	var w warnings
	env, err := decodeDict(doc, viewfields.Of(g), w.warn)
	if err != nil || len(w) > 0 {
		t.Fatal(err, w)
	}
	if !g.Seen().Equal(seen) || !cmp.Equal(g.Counts(), map[int]int{3: 4, -1: 0}) || *g.Note() != "n" {
		t.Errorf("got %v %v %v", g.Seen(), g.Counts(), g.Note())
	}
	if diff := cmp.Diff(meta, env.Meta); diff != "" {
		t.Errorf("meta (-want +got):\n%s", diff)
	}
}

func TestDictMisfits(t *testing.T) {
	f := boundVisit(t)
	var w warnings
	env, err := decodeDict([]byte(`{"uid":"seven","name":"ok","_session_expiry":"soon","roles":[1],"testcookie":1}`), viewfields.Of(f), w.warn)
	if err != nil {
		t.Fatal(err)
	}
	if f.Name() != "ok" || f.HasUserID() || f.HasRoles() || env.Expiry != codec.ExpiryDefault || env.TestCookie || len(env.Raw) != 0 {
		t.Errorf("name %q uid %v roles %v expiry %v raw %v", f.Name(), f.HasUserID(), f.HasRoles(), env.Expiry, env.Raw)
	}
	if len(w) != 4 {
		t.Errorf("warnings %q, want uid, _session_expiry, roles and testcookie", w)
	}
	for _, bad := range []string{``, `[]`, `{"a":1`, `{"a":1}x`, strings.Repeat("[", 300) + strings.Repeat("]", 300)} {
		if _, err := decodeDict([]byte(bad), viewfields.Of(boundVisit(t)), nil); err == nil {
			t.Errorf("%.20q: no error", bad)
		}
	}
}

func TestFormatRefusesPickle(t *testing.T) {
	pickled := []byte("\x80\x04\x95\x10\x00\x00\x00\x00\x00\x00\x00}\x94\x8c\x01a\x94K\x01s.")
	_, _, err := (&format{}).Decode(pickled, nil, nil)
	if !errors.Is(err, ErrPickle) || !strings.Contains(err.Error(), "JSONSerializer") {
		t.Fatalf("err %v, want ErrPickle saying what to configure", err)
	}
}

func TestFormatLegacyAndSHA1(t *testing.T) {
	v := loadVectors(t)
	st := &DBStore{}
	fm, err := st.Format(session.FormatConfig{Secrets: []string{v.SecretKey}})
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range v.Sessions {
		for name, value := range map[string]string{"db": s.DB, "sha1": s.DBSHA1, "legacy": s.DBLegacy} {
			env, stale, err := fm.Decode([]byte(value), nil, nil)
			if err != nil {
				t.Errorf("session %d %s: %v", i, name, err)
				continue
			}
			if stale != (name != "db") {
				t.Errorf("session %d %s: stale %v", i, name, stale)
			}
			doc, _ := encodeDict(&env.Meta, nil, env.Raw)
			if string(doc) != s.JSON {
				t.Errorf("session %d %s: %s, want %s", i, name, doc, s.JSON)
			}
		}
	}
	if _, _, err := fm.Decode([]byte(v.Sessions[1].Cookie), nil, nil); !errors.Is(err, session.ErrForged) {
		t.Errorf("a cookie value in the db: err %v, want ErrForged", err)
	}
}

func TestPyFloat(t *testing.T) {
	for f, want := range map[float64]string{
		0: "0.0", 1: "1.0", 100: "100.0", 0.1: "0.1", 1e16: "1e+16", 1e15: "1000000000000000.0",
		1.5e-5: "1.5e-05", 0.0001: "0.0001", -2.5: "-2.5", 1.2345678901234568e+17: "1.2345678901234568e+17", 1e-300: "1e-300",
	} {
		if got := string(appendPyFloat(nil, f)); got != want {
			t.Errorf("%v: %s, want %s", f, got, want)
		}
	}
}

func TestPyString(t *testing.T) {
	got := string(appendPyString(nil, "a\"\\\n\r\t\b\f\x01\x7fé😀/"))
	want := `"a\"\\\n\r\t\b\f\u0001\u007f\u00e9\ud83d\ude00/"`
	if got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
}

// TestFormatSavedIsSignatureTime: a signed session's Saved is when it was
// signed, so IdleTimeout's refresh does not re-write it on every request.
func TestFormatSavedIsSignatureTime(t *testing.T) {
	v := loadVectors(t)
	fm, err := CookieStore{}.Format(session.FormatConfig{Secrets: []string{v.SecretKey}})
	if err != nil {
		t.Fatal(err)
	}
	defer func(f func() time.Time) { timeNow = f }(timeNow)
	timeNow = func() time.Time { return time.Unix(v.Timestamp+60, 0) }
	env, _, err := fm.Decode([]byte(v.Sessions[0].Cookie), nil, nil)
	if err != nil || env.Saved.Unix() != v.Timestamp {
		t.Fatalf("saved %v (%v), want the signature's %d", env.Saved, err, v.Timestamp)
	}
}

func TestEncodeRefusesWhatJSONCannotHold(t *testing.T) {
	f := boundVisit(t)
	f.SetRatio(math.NaN())
	if _, err := encodeDict(nil, viewfields.Of(f), nil); err == nil || !strings.Contains(err.Error(), "ratio") {
		t.Errorf("NaN: err %v, want one naming the field", err)
	}
	raw := []codec.RawField{{Key: "b", Value: []byte{0xc4, 1, 'x'}}}
	if _, err := encodeDict(nil, nil, raw); !errors.Is(err, errBinary) {
		t.Errorf("binary: err %v, want errBinary", err)
	}
}
