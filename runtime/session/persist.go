package session

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/typedsession/typedsession/runtime/store"
)

// createAttempts bounds how often create draws a new key after ErrCreate.
// With 160-bit keys a single collision is already astronomically unlikely;
// repeated ones mean a broken store.
const createAttempts = 10

// payloads recycles the buffers sessions are encoded and signed into:
// stores do not keep the data they are given, so a save need not allocate
// one.
var payloads = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// maxPooledPayload keeps one huge session from pinning a huge buffer.
const maxPooledPayload = 64 << 10

// payload encodes and signs the session's current data into a pooled
// buffer; pass bp to release when the data is no longer needed. A store
// that seals (store.Unsealer) gets the data unsigned: its authenticated
// encryption already covers it.
func (s *Session) payload() (data []byte, bp *[]byte, err error) {
	now := s.now()
	if s.meta.Created.IsZero() {
		s.meta.Created = now.UTC()
	}
	s.meta.Saved = now.UTC()
	bp = payloads.Get().(*[]byte)
	buf, err := s.m.format.Encode((*bp)[:0], &s.meta, s.fields, s.raw)
	if err == nil && s.m.owners.key != "" {
		s.owner, err = s.ownerNow()
	}
	if err != nil {
		release(bp)
		return nil, nil, err
	}
	*bp = buf[:0]
	return buf, bp, nil
}

func release(bp *[]byte) {
	if cap(*bp) <= maxPooledPayload {
		payloads.Put(bp)
	}
}

func (s *Session) save(ctx context.Context) (err error) {
	data, bp, err := s.payload()
	if err != nil {
		return err
	}
	defer release(bp)
	s.written = len(data) // unless a merge writes another record (swapRecord)
	ctx, t := s.m.startOp(ctx, OpSave)
	defer func() { t.done(outcomeOf(err), s.written, err) }()
	expiry := s.expiryDate()
	if s.m.client != nil {
		return s.seal(ctx, data, expiry) // sealline.go
	}
	if s.key == "" {
		return s.createWith(ctx, "", data)
	}
	if err := s.update(ctx, data, expiry); err != nil {
		if errors.Is(err, store.ErrUpdate) {
			return fmt.Errorf("%w: %w", ErrInterrupted, err)
		}
		return err
	}
	s.stale = false
	return nil
}

// create stores the session under a fresh key, replacing old (if any) in
// one step when the store can.
func (s *Session) create(ctx context.Context, old string) (err error) {
	data, bp, err := s.payload()
	if err != nil {
		return err
	}
	defer release(bp)
	ctx, t := s.m.startOp(ctx, OpCycle)
	defer func() { t.done(outcomeOf(err), len(data), err) }()
	return s.createWith(ctx, old, data)
}

func (s *Session) createWith(ctx context.Context, old string, data []byte) error {
	expiry := s.expiryDate()
	cycler, _ := s.m.store.(store.Cycler)
	if old != "" {
		old = s.recordKey(old)
	}
	for range createAttempts {
		key := newKey()
		hashed := hashedKey{of: key, hash: s.m.storeKeyOf(key)}
		var err error
		if old != "" && cycler != nil {
			err = s.m.cycleRecord(ctx, cycler, old, hashed.hash, s.owner, data, expiry)
			err = hideKey(err, old) // old may be a clear key
		} else {
			err = s.m.saveRecord(ctx, hashed.hash, s.owner, data, expiry, true)
		}
		if errors.Is(err, store.ErrCreate) {
			continue
		}
		if err != nil {
			return err
		}
		s.key, s.hashed, s.stale, s.legacy = key, hashed, false, false
		s.loaded0 = nil // a new record, known to this request only
		if old != "" && cycler == nil {
			if err := s.m.store.Delete(ctx, old); err != nil {
				return fmt.Errorf("delete old key: %w", hideKey(err, old))
			}
		}
		return nil
	}
	return fmt.Errorf("no unused key after %d attempts: %w", createAttempts, store.ErrCreate)
}
