package sessiontest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/typedsession/typedsession/runtime/store"
)

// contractCases are C50–C60: the store contract of package store,
// checked by calling the Store directly and looking at what it keeps, so
// that a failure names the store call that went wrong rather than what the
// session layer saw later.
var contractCases = []testCase{
	{"C50", "past_expiry_leaves_no_live_record", func(t *testing.T, h *harness) {
		h.skipClientSide("there are no server-side records")
		key := newKey("past")
		past := time.Now().Add(-time.Hour)
		if err := h.raw.Save(context.Background(), key, []byte("gone"), past, true); err != nil {
			t.Fatalf("Save(create) with an expiry 1h in the past = %v; want nil (the store drops the record or keeps it unseen)", err)
		}
		if data, found := load(t, h.raw, key); found {
			t.Errorf("Load of a record saved with an expiry 1h in the past = %q, found; want not found", data)
		}
		if exists(t, h.raw, key) {
			t.Error("Exists of a record saved with an expiry 1h in the past = true; want false")
		}
		live := newKey("live")
		mustSave(t, h.raw, live, "live", time.Now().Add(time.Hour), true)
		if err := h.raw.Save(context.Background(), live, []byte("x"), past, true); !errors.Is(err, store.ErrCreate) {
			t.Errorf("Save(create) with an expiry in the past over a live record = %v; want ErrCreate", err)
		}
		if data, _ := load(t, h.raw, live); string(data) != "live" {
			t.Errorf("Load after a refused Save(create) = %q; want the live record's %q", data, "live")
		}
	}},
	{"C51", "create_over_expired_record", func(t *testing.T, h *harness) {
		h.skipClientSide("there are no server-side records")
		key := newKey("expired")
		past := time.Now().Add(-time.Hour)
		mustSave(t, h.raw, key, "old", past, true)
		if err := h.raw.Save(context.Background(), key, []byte("new"), time.Now().Add(time.Hour), true); err != nil {
			t.Fatalf("Save(create) over a record expired at %v = %v; want nil: an expired record does not hold its key", past.Format(time.TimeOnly), err)
		}
		if data, found := load(t, h.raw, key); !found || string(data) != "new" {
			t.Errorf("Load after Save(create) over an expired record = %q, %v; want %q, true", data, found, "new")
		}
	}},
	{"C52", "update_needs_live_record", func(t *testing.T, h *harness) {
		h.skipClientSide("there are no server-side records")
		ctx := context.Background()
		hour, past := time.Now().Add(time.Hour), time.Now().Add(-time.Hour)
		for _, tc := range []struct {
			name  string
			what  string                         // the record, for messages
			setup func(t *testing.T, key string) // what is under key before the update
			want  error
		}{
			{"never_saved", "a key never saved", func(*testing.T, string) {}, store.ErrUpdate},
			{"expired", "a record expired at " + past.Format(time.TimeOnly), func(t *testing.T, k string) { mustSave(t, h.raw, k, "old", past, true) }, store.ErrUpdate},
			{"deleted", "a deleted record", func(t *testing.T, k string) {
				mustSave(t, h.raw, k, "old", hour, true)
				if err := h.raw.Delete(ctx, k); err != nil {
					t.Fatalf("Delete: %v", err)
				}
			}, store.ErrUpdate},
			{"live", "a live record", func(t *testing.T, k string) { mustSave(t, h.raw, k, "old", hour, true) }, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				key := newKey("update")
				tc.setup(t, key)
				err := h.raw.Save(ctx, key, []byte("new"), hour, false)
				if !errors.Is(err, tc.want) {
					t.Errorf("Save(update) of %s %s; want %s", tc.what, outcome(err), sentinel(tc.want))
				}
				data, found := load(t, h.raw, key)
				switch {
				case tc.want == nil && string(data) != "new":
					t.Errorf("Load after Save(update) of %s = %q, %v; want %q", tc.what, data, found, "new")
				case tc.want != nil && found:
					t.Errorf("Load after Save(update) of %s = %q, found; the update brought the session back", tc.what, data)
				}
			})
		}
	}},
	{"C53", "update_writes_new_expiry", func(t *testing.T, h *harness) {
		h.skipClientSide("there are no server-side records")
		ctx := context.Background()
		t.Run("into_the_past", func(t *testing.T) {
			key := newKey("expiry")
			mustSave(t, h.raw, key, "v1", time.Now().Add(time.Hour), true)
			if err := h.raw.Save(ctx, key, []byte("v2"), time.Now().Add(-time.Hour), false); err != nil {
				t.Fatalf("Save(update) of a live record with an expiry 1h in the past = %v; want nil (it ends the session)", err)
			}
			if data, found := load(t, h.raw, key); found {
				t.Errorf("Load after Save(update) with an expiry 1h in the past = %q, found; want not found: Save(update) kept the old expiry", data)
			}
		})
		t.Run("later", func(t *testing.T) {
			el, ok := h.raw.(store.ExpiryLoader)
			if !ok {
				t.Skip("the store does not implement store.ExpiryLoader, which would show the kept expiry")
			}
			key := newKey("expiry")
			mustSave(t, h.raw, key, "v1", time.Now().Add(time.Hour), true)
			want := time.Now().Add(2 * time.Hour)
			mustSave(t, h.raw, key, "v2", want, false)
			_, got, found, err := el.LoadWithExpiry(ctx, key)
			if err != nil || !found || !near(got, want) {
				t.Errorf("LoadWithExpiry after Save(update) with expiry %v = %v, %v, %v; want %v (±%v): Save(update) kept the old expiry or LoadWithExpiry reports another",
					want.Format(time.TimeOnly), got.Format(time.TimeOnly), found, err, want.Format(time.TimeOnly), expiryTolerance)
			}
		})
	}},
	{"C54", "concurrent_creates_one_wins", func(t *testing.T, h *harness) {
		h.skipClientSide("a client-side store has no keys to collide")
		raceCreates(t, h.raw)
	}},
	{"C55", "delete_missing_key_is_nil", func(t *testing.T, h *harness) {
		h.skipClientSide("there are no server-side records")
		ctx := context.Background()
		if err := h.raw.Delete(ctx, newKey("never")); err != nil {
			t.Errorf("Delete of a key never saved = %v; want nil", err)
		}
		key := newKey("twice")
		mustSave(t, h.raw, key, "x", time.Now().Add(time.Hour), true)
		if err := h.raw.Delete(ctx, key); err != nil {
			t.Fatalf("Delete of a live record = %v", err)
		}
		if exists(t, h.raw, key) {
			t.Error("Exists after Delete of a live record = true; want false")
		}
		if err := h.raw.Delete(ctx, key); err != nil {
			t.Errorf("Delete of a key already deleted = %v; want nil", err)
		}
		expired := newKey("expired")
		mustSave(t, h.raw, expired, "x", time.Now().Add(-time.Hour), true)
		if err := h.raw.Delete(ctx, expired); err != nil {
			t.Errorf("Delete of an expired record = %v; want nil", err)
		}
	}},
	{"C56", "clear_expired_removes_and_counts_expired_only", clearExpiredCase},
	{"C57", "writes_copy_the_buffer", func(t *testing.T, h *harness) {
		h.skipClientSide("there are no server-side records")
		copiesBuffer(t, h.raw)
	}},
	{"C58", "load_with_expiry", func(t *testing.T, h *harness) {
		el, ok := h.raw.(store.ExpiryLoader)
		if !ok {
			t.Skip("the store does not implement store.ExpiryLoader")
		}
		ctx := context.Background()
		key, want := newKey("expiry"), time.Now().Add(time.Hour)
		mustSave(t, h.raw, key, "data", want, true)
		data, got, found, err := el.LoadWithExpiry(ctx, key)
		if err != nil || !found || string(data) != "data" || !near(got, want) {
			t.Errorf("LoadWithExpiry of a record saved until %v = %q, %v, %v, %v; want %q, %v (±%v), true, nil",
				want.Format(time.TimeOnly), data, got.Format(time.TimeOnly), found, err, "data", want.Format(time.TimeOnly), expiryTolerance)
		}
		if data, _, found, err := el.LoadWithExpiry(ctx, newKey("never")); found || err != nil {
			t.Errorf("LoadWithExpiry of a key never saved = %q, %v, %v; want not found, nil", data, found, err)
		}
		past := newKey("past")
		mustSave(t, h.raw, past, "gone", time.Now().Add(-time.Hour), true)
		if data, at, found, err := el.LoadWithExpiry(ctx, past); found || err != nil {
			t.Errorf("LoadWithExpiry of a record saved with an expiry 1h in the past = %q, %v, %v, %v; want not found, nil", data, at.Format(time.TimeOnly), found, err)
		}
	}},
	{"C59", "errors_name_store_and_operation", func(t *testing.T, h *harness) {
		checkErrorPrefixes(t, h)
	}},
	{"C60", "invalid_keys_not_found", func(t *testing.T, h *harness) {
		h.skipClientSide("the key is the sealed cookie value, not a server-side key")
		ctx := context.Background()
		for _, key := range invalidKeys {
			if data, found, err := h.raw.Load(ctx, key); found || err != nil {
				t.Errorf("Load(%.20q) of an invalid key = %q, %v, %v; want not found, nil", key, data, found, err)
			}
			if ok, err := h.raw.Exists(ctx, key); ok || err != nil {
				t.Errorf("Exists(%.20q) of an invalid key = %v, %v; want false, nil", key, ok, err)
			}
			if err := h.raw.Delete(ctx, key); err != nil {
				t.Errorf("Delete(%.20q) of an invalid key = %v; want nil", key, err)
			}
		}
	}},
}

// invalidKeys are keys store.ValidKey refuses: the session package never
// passes them, but a store must not trip over them either.
var invalidKeys = []string{"", "short", "../../../../etc/passwd", `..\..\windows`, "UPPERCASEKEY0123", "key with spaces", "trailing/slash/", strings.Repeat("k", store.MaxKeyLen+1)}

// expiryTolerance is how far an expiry a store reports may be from the one
// saved: Redis keeps milliseconds and reports a remaining time to live
// measured from before the round trip.
const expiryTolerance = 2 * time.Second

func near(got, want time.Time) bool {
	d := got.Sub(want)
	return d >= -expiryTolerance && d <= expiryTolerance
}

// outcome describes a call's error for a message: "succeeded" or "= err".
func outcome(err error) string {
	if err == nil {
		return "succeeded"
	}
	return "= " + err.Error()
}

// sentinel names an error the contract asks for.
func sentinel(err error) string {
	switch {
	case err == nil:
		return "success"
	case errors.Is(err, store.ErrCreate):
		return "ErrCreate"
	case errors.Is(err, store.ErrUpdate):
		return "ErrUpdate"
	}
	return err.Error()
}

// newKey returns a fresh valid key starting with prefix.
func newKey(prefix string) string { return prefix + randomSuffix() }

// mustSave saves data under key or stops the test, naming the call.
func mustSave(t *testing.T, st store.Store, key, data string, expiry time.Time, mustCreate bool) {
	t.Helper()
	if err := st.Save(context.Background(), key, []byte(data), expiry, mustCreate); err != nil {
		t.Fatalf("Save(%s) of a %s key, expiry %v: %v", saveMode(mustCreate), keyKind(mustCreate), time.Until(expiry).Round(time.Second), err)
	}
}

func saveMode(mustCreate bool) string {
	if mustCreate {
		return "create"
	}
	return "update"
}

func keyKind(mustCreate bool) string {
	if mustCreate {
		return "fresh"
	}
	return "live"
}

// load calls Load, stopping the test on an error.
func load(t *testing.T, st store.Store, key string) ([]byte, bool) {
	t.Helper()
	data, found, err := st.Load(context.Background(), key)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return data, found
}

// exists calls Exists, stopping the test on an error.
func exists(t *testing.T, st store.Store, key string) bool {
	t.Helper()
	ok, err := st.Exists(context.Background(), key)
	if err != nil {
		t.Fatalf("Exists: %v", err)
	}
	return ok
}
