package session

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vmihailenco/msgpack/v5"

	"github.com/typedsession/typedsession/runtime/codec"
	"github.com/typedsession/typedsession/runtime/signing"
	"github.com/typedsession/typedsession/runtime/store"
)

// Sessions by owner
//
// The owner is declared by naming a session key (Config.OwnerKey), not by
// an annotation on the generated type: the runtime reads the field's value
// from the payload it has just encoded, so it works for every session type,
// generated or not, and for fields this binary's type does not know (kept
// raw). A sessiongen annotation can later set the same option.
//
// Handles. A listed session is named by an opaque handle, never its cookie
// key (which would let whoever sees the list take the session over) nor its
// store key. The store key is a one-way hash of the cookie key, so it would
// not give the session away either; but for a session still stored under
// its clear key (Config.IgnoreClearKeys), the store key is the cookie key,
// and store keys appear in store tooling and logs that a handle shown in a
// web page should not be linked to. The handle is the first 16 bytes of an
// HMAC-SHA256 of the store key under a key derived from Config.Secret for
// this purpose alone (handleSalt): stable while the secret is, unforgeable,
// and meaningless outside this Manager. A handle is only ever resolved
// within one owner's sessions, so a user can revoke only their own.

// handleSalt is the purpose the Manager derives its session-handle key
// for (see Manager.Sessions). Unlike SignerSalt, no tool needs it: handles
// are made by a Manager, sessionctl's included.
const handleSalt = "typedsession/session-handle"

// ErrUnknownHandle is returned (wrapped) by Manager.Revoke when none of the
// owner's live sessions has the handle: already revoked, expired, or
// another owner's.
var ErrUnknownHandle = errors.New("session: no live session of this owner has that handle")

// ErrNoOwnerIndex is returned (wrapped) when listing or revoking by owner
// on a Manager whose store does not implement store.Owners.
var ErrNoOwnerIndex = errors.New("session: the store keeps no index by owner (store.Owners)")

// SessionInfo describes one of an owner's live sessions.
type SessionInfo struct {
	// Handle names the session for Revoke and RevokeAll; compare it with
	// Session.Handle to mark the current one. It is safe to show: it
	// cannot be turned into the session's cookie.
	Handle string
	// Created is when the session began (at sign-in, since signing in
	// cycles the key); Saved is when it was last written.
	Created, Saved time.Time
	// Expiry is when the store lets the session go, unless it is saved
	// again.
	Expiry time.Time
	// Labels are what the application recorded with Session.SetLabels.
	Labels map[string]string
}

type ownerSupport struct {
	key     string             // Config.OwnerKey
	index   store.Owners       // nil when the store keeps none
	swap    store.OwnedSwapper // nil when the store cannot swap owned records
	handles *signing.Signer
}

func (m *Manager) initOwners(keys *signing.Keyring) error {
	m.owners.key = m.cfg.OwnerKey
	m.owners.index, _ = m.cfg.Store.(store.Owners)
	m.owners.swap, _ = m.cfg.Store.(store.OwnedSwapper)
	m.owners.handles = keys.Signer(handleSalt)
	if m.owners.key != "" && m.owners.index == nil {
		return fmt.Errorf("session: Config.OwnerKey is %q but the store (%T) keeps no index by owner (store.Owners): "+
			"use a server-side store (memstore, redisstore, sqlstore, filestore, cachedstore), or leave OwnerKey empty", m.owners.key, m.cfg.Store)
	}
	return nil
}

// ownerNow returns the owner id of the session's current data. The stored
// form may be signed or in another format (Format), so the envelope is
// encoded once more, unsigned, into a pooled buffer: only Managers with an
// OwnerKey pay for it, once per save.
func (s *Session) ownerNow() (string, error) {
	bp := payloads.Get().(*[]byte)
	defer release(bp)
	buf, err := codec.Encode((*bp)[:0], &s.meta, s.fields, s.raw)
	if err != nil {
		return "", err
	}
	*bp = buf[:0]
	return s.m.ownerOf(buf)
}

// ownerOf returns the owner id in an encoded (unsigned) payload: the value
// of the OwnerKey field as a string, "" when the field is absent or nil.
func (m *Manager) ownerOf(payload []byte) (string, error) {
	if m.owners.key == "" {
		return "", nil
	}
	env, err := codec.Decode(payload, nil, nil)
	if err != nil {
		return "", fmt.Errorf("read the owner: %w", err)
	}
	return m.ownerIn(env.Raw)
}

// ownerIn returns the owner id in raw, the encoded fields of a record:
// the value of the OwnerKey field as a string, "" when the field is
// absent or nil, or when OwnerKey is not set.
func (m *Manager) ownerIn(raw []codec.RawField) (string, error) {
	if m.owners.key == "" {
		return "", nil
	}
	i := slices.IndexFunc(raw, func(r codec.RawField) bool { return r.Key == m.owners.key })
	if i < 0 {
		return "", nil
	}
	owner, err := ownerValue(raw[i].Value)
	if err == nil && owner != "" && !store.ValidOwner(owner) {
		err = fmt.Errorf("not a valid owner id (at most %d bytes of UTF-8, no control characters)", store.MaxOwnerLen)
	}
	if err != nil {
		return "", fmt.Errorf("owner field %q (Config.OwnerKey): %w", m.owners.key, err)
	}
	return owner, nil
}

// ownerValue converts a msgpack-encoded integer or string to an owner id.
func ownerValue(raw []byte) (string, error) {
	v, err := msgpack.NewDecoder(bytes.NewReader(raw)).DecodeInterfaceLoose()
	if err != nil {
		return "", err
	}
	switch v := v.(type) {
	case nil:
		return "", nil
	case int64:
		return strconv.FormatInt(v, 10), nil
	case uint64:
		return strconv.FormatUint(v, 10), nil
	case string:
		return v, nil
	}
	return "", fmt.Errorf("holds a %T; an owner id must be an integer or a string", v)
}

// saveRecord is store.Save, through the owner index when OwnerKey is set.
func (m *Manager) saveRecord(ctx context.Context, key, owner string, data []byte, expiry time.Time, mustCreate bool) error {
	if m.owners.key != "" {
		return m.owners.index.SaveOwned(ctx, key, owner, data, expiry, mustCreate)
	}
	return m.store.Save(ctx, key, data, expiry, mustCreate)
}

// swapRecord is Swapper.Swap of the record under key from old to data,
// through the owner index when OwnerKey is set: the store's SwapOwned then
// files the record under data's owner in the same step, as saveRecord's
// SaveOwned does. A store that keeps an owner index but cannot swap owned
// records (store.OwnedSwapper) fails it with store.ErrNotSupported, and
// the save falls back to SaveOwned, last writer wins (see update). On
// success it records the size written, which a merge makes differ from
// this request's payload, for the Observer.
func (s *Session) swapRecord(ctx context.Context, sw store.Swapper, key string, old, data []byte, expiry time.Time) error {
	var err error
	switch {
	case s.m.owners.key == "":
		err = sw.Swap(ctx, key, old, data, expiry)
	case s.m.owners.swap == nil:
		err = fmt.Errorf("the store (%T) cannot swap records with an owner (store.OwnedSwapper): %w", s.m.store, store.ErrNotSupported)
	default:
		var owner string
		if owner, err = s.swapOwner(old, data); err == nil {
			err = s.m.owners.swap.SwapOwned(ctx, key, owner, old, data, expiry)
		}
	}
	if err == nil {
		s.written = len(data)
	}
	return err
}

// swapOwner returns the owner of data, which a swap from old writes. Over
// the record this request loaded, data holds this request's fields (its
// payload, or a merge onto an unchanged record), whose owner payload
// recorded in s.owner. Over another request's record, data is a merge of
// that record with this request's changes, and either may have set the
// owner field: it is read from data itself, a decode that only contended
// saves pay.
func (s *Session) swapOwner(old, data []byte) (string, error) {
	if bytes.Equal(old, s.loaded0) {
		return s.owner, nil
	}
	env, _, err := s.m.format.Decode(data, nil, nil)
	if err != nil {
		return "", fmt.Errorf("read the owner of the merged record: %w", err)
	}
	return s.m.ownerIn(env.Raw)
}

// cycleRecord is Cycler.Cycle, through the owner index when OwnerKey is set.
func (m *Manager) cycleRecord(ctx context.Context, c store.Cycler, old, key, owner string, data []byte, expiry time.Time) error {
	if m.owners.key != "" {
		return m.owners.index.CycleOwned(ctx, old, key, owner, data, expiry)
	}
	return c.Cycle(ctx, old, key, data, expiry)
}

// handle returns the handle of the record under storeKey.
func (m *Manager) handle(storeKey string) string {
	mac := m.owners.handles.Sign(nil, []byte(storeKey))[len(storeKey):]
	return base64.RawURLEncoding.EncodeToString(mac[:16])
}

// Handle returns the handle under which Manager.Sessions lists this
// session, or "" for a session that is not stored (yet) or lives in the
// cookie. Pass it to RevokeAll to sign out everywhere else.
func (s *Session) Handle() string {
	if s.key == "" || s.m.client != nil {
		return ""
	}
	return s.m.handle(s.recordKey(s.key))
}

// Sessions returns owner's live sessions, most recently saved first. It
// reads only the owner's records, whatever the size of the store. Records
// that no longer verify (signed with a secret since retired) or that are
// past Config.AbsoluteLifetime are left out: they would not load either.
func (m *Manager) Sessions(ctx context.Context, owner string) ([]SessionInfo, error) {
	list, err := m.listOwned(ctx, owner)
	if err != nil {
		return nil, err
	}
	out := make([]SessionInfo, 0, len(list))
	now := m.clock()
	for _, r := range list {
		env, _, err := m.format.Decode(r.Data, nil, nil)
		if err != nil || m.pastLifetimeAt(env.Created, now) {
			continue
		}
		out = append(out, SessionInfo{Handle: m.handle(r.Key), Created: env.Created, Saved: env.Saved, Expiry: r.Expiry, Labels: env.Labels})
	}
	slices.SortFunc(out, func(a, b SessionInfo) int {
		if c := b.Saved.Compare(a.Saved); c != 0 {
			return c
		}
		return strings.Compare(a.Handle, b.Handle)
	})
	return out, nil
}

// Revoke signs out owner's session with handle: its record is deleted, so
// its next request starts a fresh anonymous session, and a request already
// in flight on it cannot save it back (its save fails with ErrInterrupted,
// as after a logout). It returns an error wrapping ErrUnknownHandle if none
// of owner's live sessions has the handle.
func (m *Manager) Revoke(ctx context.Context, owner, handle string) error {
	list, err := m.listOwned(ctx, owner)
	if err != nil {
		return err
	}
	for _, r := range list {
		if subtle.ConstantTimeCompare([]byte(m.handle(r.Key)), []byte(handle)) == 1 {
			if err := m.revoke(ctx, r.Key); err != nil {
				return fmt.Errorf("session: revoke: %w", err)
			}
			return nil
		}
	}
	return fmt.Errorf("session: revoke: %w", ErrUnknownHandle)
}

// RevokeAll signs out every session of owner except the one with handle
// except ("" for none; pass the current session's Handle for "sign out
// everywhere else") and reports how many it signed out. Sessions that
// Sessions leaves out (unverifiable, past their lifetime) are deleted too.
// A session signed in while RevokeAll runs may survive it.
func (m *Manager) RevokeAll(ctx context.Context, owner, except string) (int, error) {
	list, err := m.listOwned(ctx, owner)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, r := range list {
		if except != "" && subtle.ConstantTimeCompare([]byte(m.handle(r.Key)), []byte(except)) == 1 {
			continue
		}
		if err := m.revoke(ctx, r.Key); err != nil {
			return n, fmt.Errorf("session: revoke all: %w", err)
		}
		n++
	}
	return n, nil
}

// revoke deletes the record under storeKey, a delete the Observer sees
// as a Flush's.
func (m *Manager) revoke(ctx context.Context, storeKey string) error {
	ctx, t := m.startOp(ctx, OpDelete)
	err := m.store.Delete(ctx, storeKey)
	t.done(outcomeOf(err), 0, err)
	return err
}

func (m *Manager) listOwned(ctx context.Context, owner string) ([]store.Owned, error) {
	if m.owners.index == nil {
		return nil, fmt.Errorf("session: list sessions of an owner: %w", ErrNoOwnerIndex)
	}
	if !store.ValidOwner(owner) {
		return nil, fmt.Errorf("session: list sessions of an owner: owner id %q is not valid (1 to %d bytes of UTF-8, no control characters)", owner, store.MaxOwnerLen)
	}
	list, err := m.owners.index.ListOwned(ctx, owner)
	if err != nil {
		return nil, fmt.Errorf("session: list sessions of an owner: %w", err)
	}
	return list, nil
}
