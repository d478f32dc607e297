package session_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/typedsession/typedsession/runtime/codec"
	"github.com/typedsession/typedsession/runtime/internal/probe"
	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store/memstore"
	"github.com/vmihailenco/msgpack/v5"
)

// textFormat stores sessions as "format:" + the raw fields' count, to see
// that the Manager uses a FormatStore's format both ways.
type textFormat struct{ cfg session.FormatConfig }

func (f textFormat) Encode(dst []byte, meta *codec.Meta, fl codec.Fields, raw []codec.RawField) ([]byte, error) {
	dst = append(dst, "format:"...)
	for _, r := range raw {
		dst = append(dst, r.Key...)
		dst = append(dst, ',')
	}
	return dst, nil
}

func (f textFormat) Decode(data []byte, fl codec.Fields, warn codec.Warner) (codec.Envelope, bool, error) {
	rest, ok := strings.CutPrefix(string(data), "format:")
	if !ok {
		return codec.Envelope{}, false, session.ErrForged
	}
	var env codec.Envelope
	for _, k := range strings.Split(strings.TrimSuffix(rest, ","), ",") {
		if k != "" {
			env.Raw = append(env.Raw, codec.RawField{Key: k, Value: []byte{0xc0}})
		}
	}
	return env, true, nil
}

type formatStore struct {
	*memstore.Store
	got session.FormatConfig
}

func (s *formatStore) Format(cfg session.FormatConfig) (session.Format, error) {
	s.got = cfg
	return textFormat{cfg}, nil
}

func TestFormatStore(t *testing.T) {
	ctx := context.Background()
	st := &formatStore{Store: memstore.New()}
	m, err := session.NewManager(session.Config{Store: st, Secret: secret, FallbackSecrets: []string{secret + "old"}, CookieAge: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if len(st.got.Secrets) != 2 || st.got.Secrets[1] != secret+"old" || st.got.CookieAge != time.Hour {
		t.Fatalf("the store was told %+v", st.got)
	}
	s := m.Open("")
	if err := s.SetRawField(ctx, "a", []byte{0xc0}); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(ctx); err != nil {
		t.Fatal(err)
	}
	data, _, _ := st.Load(ctx, session.StoreKey(s.Key()))
	if string(data) != "format:a," {
		t.Fatalf("stored %q, want the format's encoding", data)
	}
	back := m.Open(s.Key())
	if v, ok, err := back.RawField(ctx, "a"); err != nil || !ok || len(v) != 1 {
		t.Fatalf("read back %v %v %v", v, ok, err)
	}
}

func TestFormatStoreRefused(t *testing.T) {
	_, err := session.NewManager(session.Config{Store: refusingStore{memstore.New()}, Secret: secret})
	if err == nil || !strings.Contains(err.Error(), "no format") {
		t.Fatalf("err %v, want the store's refusal", err)
	}
}

type refusingStore struct{ *memstore.Store }

func (refusingStore) Format(session.FormatConfig) (session.Format, error) {
	return nil, errors.New("no format for you")
}

func TestRawField(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	s := e.m.Open("")
	p, err := probe.Of(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	p.SetName("n")
	str, _ := msgpack.Marshal("seven")
	if err := s.SetRawField(ctx, "_auth_user_id", str); err != nil {
		t.Fatal(err)
	}
	if err := s.SetRawField(ctx, "name", str); err == nil {
		t.Error("SetRawField accepted a key the bound type holds")
	}
	if err := s.Save(ctx); err != nil {
		t.Fatal(err)
	}
	back := e.m.Open(s.Key())
	v, ok, err := back.RawField(ctx, "_auth_user_id")
	var got string
	if err != nil || !ok || msgpack.Unmarshal(v, &got) != nil || got != "seven" {
		t.Fatalf("read back %q %v %v", got, ok, err)
	}
	if err := back.SetRawField(ctx, "_auth_user_id", nil); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := back.RawField(ctx, "_auth_user_id"); ok || !back.Modified() {
		t.Errorf("after removal: present %v, modified %v", ok, back.Modified())
	}
}
