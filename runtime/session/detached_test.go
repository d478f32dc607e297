package session_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/typedsession/typedsession/runtime/codec"
	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/signing"
	"github.com/typedsession/typedsession/runtime/store"
)

// longTags is a value of the probe's tags field too long for a record's
// head: it is stored detached (codec.DetachAbove).
func longTags() []string {
	tags := make([]string, 40)
	for i := range tags {
		tags[i] = strings.Repeat(string(rune('a'+i%26)), 10)
	}
	return tags
}

// seedLong stores a session with name "Ada" and longTags, and returns its
// key and the stored record.
func seedLong(t *testing.T, e *env, st store.Store) (string, []byte) {
	t.Helper()
	p := e.load(t, "")
	p.SetName("Ada")
	p.SetTags(longTags())
	save(t, p)
	data, found, err := st.Load(context.Background(), session.StoreKey(p.Key()))
	if err != nil || !found {
		t.Fatalf("stored record: found %v, err %v", found, err)
	}
	return p.Key(), data
}

// tamper returns data with the last byte of its detached values (just
// before the MAC) changed: the head, and so its MAC, is as signed.
func tamper(t *testing.T, data []byte) []byte {
	t.Helper()
	payload, _, err := session.VerifyRecord(signer(t), data)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := codec.SignedLen(payload); n >= len(payload) {
		t.Fatalf("record %x has no detached value to tamper with", payload)
	}
	out := append([]byte(nil), data...)
	out[len(payload)-1] ^= 0x01
	return out
}

func signer(t *testing.T) *signing.Signer {
	t.Helper()
	keys, err := signing.NewKeyring([]byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	return keys.Signer(session.SignerSalt)
}

// TestDetachedValueSigned checks what the signature of a version 2 record
// covers: the head through its MAC, each detached value through its
// digest. The record of a session with a long field verifies, and its MAC
// covers less than the whole record.
func TestDetachedValueSigned(t *testing.T) {
	e := newEnv(t, nil)
	_, data := seedLong(t, e, e.st)
	payload, secretIndex, err := session.VerifyRecord(signer(t), data)
	if err != nil || secretIndex != 0 {
		t.Fatalf("VerifyRecord = %d, %v", secretIndex, err)
	}
	if payload[0] != codec.Version {
		t.Errorf("version %d, want %d", payload[0], codec.Version)
	}
	if n, _ := codec.SignedLen(payload); n > len(payload)/2 {
		t.Errorf("MAC covers %d of %d bytes, want the head only", n, len(payload))
	}
	// A byte of the head changed: the record does not verify at all.
	forged := append([]byte(nil), data...)
	forged[6] ^= 0x01
	if _, _, err := session.VerifyRecord(signer(t), forged); err == nil {
		t.Error("a record with a changed head verifies")
	}
}

// TestDetachedValueTamperedMiddleware checks a record whose detached value
// was changed in the store (the head, and so its MAC, left as signed):
// the request goes on, the field reads as absent, the other fields as
// stored, the security log has the forgery, and the save drops the field.
func TestDetachedValueTamperedMiddleware(t *testing.T) {
	e := newEnv(t, nil)
	key, data := seedLong(t, e, e.st)
	if err := e.st.Save(context.Background(), session.StoreKey(key), tamper(t, data), time.Now().Add(time.Hour), false); err != nil {
		t.Fatal(err)
	}
	var name string
	var tags []string
	var has bool
	resp := e.do(t, func(w http.ResponseWriter, r *http.Request) {
		p := mustProbe(t, r)
		name, tags, has = p.Name(), p.Tags(), p.HasTags()
		p.SetCount(1)
	}, key)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d, want 200: a forged field costs the field, not the request", resp.StatusCode)
	}
	if name != "Ada" || tags != nil || has {
		t.Errorf("read name %q, tags %q (present %v); want Ada and no tags", name, tags, has)
	}
	if log := e.log.String(); !strings.Contains(log, "does not match its signed digest") || !strings.Contains(log, "field=tags") {
		t.Errorf("security log lacks the forged field; log:\n%s", log)
	}
	p := e.load(t, key)
	if p.Name() != "Ada" || p.Count() != 1 || p.HasTags() {
		t.Errorf("stored name %q count %d tags %v, want Ada 1 and no tags", p.Name(), p.Count(), p.HasTags())
	}
}

// TestDetachedValueUntouchedIsCopied checks that a detached value a
// request does not use is written back as it was, digest and all, and
// reads back the same.
func TestDetachedValueUntouchedIsCopied(t *testing.T) {
	e := newEnv(t, nil)
	key, data := seedLong(t, e, e.st)
	e.do(t, func(w http.ResponseWriter, r *http.Request) { mustProbe(t, r).SetCount(2) }, key)
	now, _, err := e.st.Load(context.Background(), session.StoreKey(key))
	if err != nil {
		t.Fatal(err)
	}
	value := func(b []byte) string {
		payload, _, err := session.VerifyRecord(signer(t), b)
		if err != nil {
			t.Fatal(err)
		}
		n, _ := codec.SignedLen(payload)
		return string(payload[n:])
	}
	if value(now) != value(data) {
		t.Errorf("detached value changed by a request that did not use it")
	}
	if diff := cmp.Diff(longTags(), e.load(t, key).Tags()); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
}

// TestDetachedValueTamperedMerge checks the merge of a concurrent save
// whose record has a detached value changed in the store: the merge
// checks the digest of the current record's values, drops the forged one
// with a line on the security log, and saves this request's change.
func TestDetachedValueTamperedMerge(t *testing.T) {
	e, st, handled, _ := swapEnv(t)
	key, data := seedLong(t, e, st)
	st.before = func(ctx context.Context, k string, n int64) error {
		if n == 1 { // the concurrent save: the same record, tampered
			return st.Store.Save(ctx, k, tamper(t, data), time.Now().Add(time.Hour), false)
		}
		return nil
	}
	e.do(t, setCount(t, 4), key)
	if *handled != nil {
		t.Fatalf("save failed: %v", *handled)
	}
	if st.swaps.Load() < 2 {
		t.Fatalf("%d swaps: the save did not merge", st.swaps.Load())
	}
	if log := e.log.String(); !strings.Contains(log, "does not match its signed digest") {
		t.Errorf("security log lacks the forged field; log:\n%s", log)
	}
	p := e.load(t, key)
	if p.Name() != "Ada" || p.Count() != 4 || p.HasTags() {
		t.Errorf("stored name %q count %d tags %v, want Ada 4 and the forged tags dropped", p.Name(), p.Count(), p.HasTags())
	}
}

// TestDetachedUnknownKeyTampered checks a forged detached value under a
// key the bound view does not know (a field a newer release wrote): the
// load checks it at once, drops it, and the security log has the forgery,
// naming the key.
func TestDetachedUnknownKeyTampered(t *testing.T) {
	e := newEnv(t, nil)
	p := e.load(t, "")
	p.SetName("Ada")
	long := append([]byte{0xda, 0x01, 0x2c}, strings.Repeat("x", 300)...) // a msgpack str of 300 bytes
	if err := p.Session().SetRawField(context.Background(), "newer", long); err != nil {
		t.Fatal(err)
	}
	save(t, p)
	data, _, err := e.st.Load(context.Background(), session.StoreKey(p.Key()))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.st.Save(context.Background(), session.StoreKey(p.Key()), tamper(t, data), time.Now().Add(time.Hour), false); err != nil {
		t.Fatal(err)
	}
	var name string
	resp := e.do(t, func(w http.ResponseWriter, r *http.Request) { name = mustProbe(t, r).Name() }, p.Key())
	if resp.StatusCode != http.StatusOK || name != "Ada" {
		t.Fatalf("status %d, name %q; want 200 and Ada: a forged field costs the field, not the request", resp.StatusCode, name)
	}
	if log := e.log.String(); !strings.Contains(log, "does not match its signed digest") || !strings.Contains(log, "field=newer") {
		t.Errorf("security log lacks the forged field; log:\n%s", log)
	}
}
