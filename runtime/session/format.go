package session

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/typedsession/typedsession/runtime/codec"
	"github.com/typedsession/typedsession/runtime/signing"
)

// Format turns a session's data into the bytes its store keeps, signed, and
// back. A Manager uses typedsession's own (the codec envelope signed with
// Config.Secret) unless its store implements FormatStore, as the stores of
// runtime/django do to keep Django's format.
type Format interface {
	// Encode appends the signed stored form of meta, the present fields of
	// f (which may be nil) and raw to dst.
	Encode(dst []byte, meta *codec.Meta, f codec.Fields, raw []codec.RawField) ([]byte, error)

	// Decode verifies data and decodes it, the fields f knows into f (which
	// may be nil) and the others into the envelope's Raw, in the encoded
	// form codec.DecodeRaw reads. A field that does not fit its type goes
	// to warn and is dropped. stale asks for the session to be re-written
	// (an old format, a fallback secret). An error wrapping ErrForged means
	// the signature did not verify.
	Decode(data []byte, f codec.Fields, warn codec.Warner) (env codec.Envelope, stale bool, err error)
}

// ErrForged is wrapped by Format.Decode errors for data whose signature
// does not verify.
var ErrForged = errors.New("session: signature does not verify")

// FormatConfig is what a Manager tells a FormatStore about itself.
type FormatConfig struct {
	// Secrets are Config.Secret followed by Config.FallbackSecrets.
	Secrets []string
	// CookieAge is Config.CookieAge, defaults applied.
	CookieAge time.Duration
}

// FormatStore is implemented by stores whose records must be in a format of
// their own, such as a store shared with another framework.
type FormatStore interface {
	Format(FormatConfig) (Format, error)
}

// ClearKeyStore is implemented by stores that must be given session keys
// exactly as the cookie carries them: another system (Django) looks its
// sessions up by them, so the Manager must not transform keys at rest for
// such a store.
type ClearKeyStore interface {
	ClearKeys() bool
}

// envelopeFormat is typedsession's own format. With a signer, a record is
// codec's version 2 followed by the MAC of its head (codec.SignedLen): a
// value too long for the head is covered through its digest, checked when
// the value is used, so that the MAC costs what the small fields and the
// table of digests take, whatever the session holds. A record with no
// value that long is version 1, MAC'd whole. With a nil signer the
// payload goes unsigned, in version 1, everything inline and no digests:
// the store authenticates what it keeps (store.Unsealer, whose AEAD
// already covers it).
type envelopeFormat struct{ signer *signing.Signer }

func (e envelopeFormat) Encode(dst []byte, meta *codec.Meta, f codec.Fields, raw []codec.RawField) ([]byte, error) {
	if e.signer == nil {
		return codec.Encode(dst, meta, f, raw)
	}
	start := len(dst)
	buf, signed, err := codec.EncodeDetached(dst, meta, f, raw)
	if err != nil {
		return buf, err
	}
	return e.signer.AppendMAC(buf, buf[start:start+signed]), nil
}

func (e envelopeFormat) Decode(data []byte, f codec.Fields, warn codec.Warner) (codec.Envelope, bool, error) {
	payload, secret := data, 0
	if e.signer != nil {
		var err error
		if payload, secret, err = VerifyRecord(e.signer, data); err != nil {
			return codec.Envelope{}, false, err
		}
	}
	env, err := codec.Decode(payload, f, warn)
	if err != nil {
		return env, false, err
	}
	// Version 1 is current too (a record with nothing to detach, or a
	// sealed one): it is re-written in version 2 when a save finds a value
	// to detach, as any save writes what the session holds.
	return env, env.Version < codec.MinVersion || secret > 0, nil
}

// VerifyRecord checks the signature of data, a record as typedsession's
// own format stores it for a server-side store (signed with s, a Signer
// for SignerSalt), and returns the payload codec.Decode reads (data
// without its MAC) and the index of the secret that matched (0 for the
// current one, more for a fallback). It returns an error wrapping ErrForged
// (and signing.ErrInvalid) if the signature does not verify.
//
// In a version 2 record the MAC covers the head (codec.SignedLen), and the
// head covers each detached value through its digest: codec.Decode checks
// the digest of a value it hands out raw, and a bound view when it first
// uses the value.
func VerifyRecord(s *signing.Signer, data []byte) (payload []byte, secret int, err error) {
	if len(data) < signing.MACSize {
		return nil, 0, fmt.Errorf("%w: %w: %d bytes is too short to be signed", ErrForged, signing.ErrInvalid, len(data))
	}
	payload, mac := data[:len(data)-signing.MACSize], data[len(data)-signing.MACSize:]
	n, err := codec.SignedLen(payload)
	if err != nil {
		// The head's length is not even within the record: nothing that
		// was signed.
		return nil, 0, fmt.Errorf("%w: %w: %w", ErrForged, signing.ErrInvalid, err)
	}
	if secret, err = s.VerifyMAC(payload[:n], mac); err != nil {
		return nil, 0, fmt.Errorf("%w: %w", ErrForged, err)
	}
	return payload, secret, nil
}

// forgedField reports a detached value that does not match its digest in
// a record whose signature verified: someone who cannot sign changed the
// store's bytes. The field reads as absent and is dropped, as one that does
// not fit its type (C40), and the security log and the Observer hear of it
// as of a forged record.
func (s *Session) forgedField(key string, err error) {
	s.m.forgedField(s.logContext(), s.requestAttrs(), key, err)
}

// forgedField is Session.forgedField with the request's context and log
// attributes given (none, for a load's Manager-bound warner).
func (m *Manager) forgedField(ctx context.Context, attrs []slog.Attr, key string, err error) {
	m.security.LogAttrs(ctx, slog.LevelWarn, "typedsession: session field does not match its signed digest (forged or corrupt); dropped",
		append(attrs, slog.String("field", key), slog.String("err", err.Error()))...)
	// For the Observer a bad signature (what the head's signature vouches
	// for was changed), not mere corruption.
	m.observeSecurity(ctx, fmt.Errorf("%w: %w", signing.ErrInvalid, err))
}

// newFormat returns the format of the Manager's store.
func (m *Manager) newFormat() (Format, error) {
	fs, ok := m.cfg.Store.(FormatStore)
	switch {
	case !ok && m.unsealer != nil:
		return envelopeFormat{}, nil
	case !ok:
		return envelopeFormat{m.signer}, nil
	}
	secrets := append([]string{m.cfg.Secret}, m.cfg.FallbackSecrets...)
	return fs.Format(FormatConfig{Secrets: secrets, CookieAge: m.cfg.CookieAge})
}

// rejection is the security log line for a Decode error.
func rejection(err error) string {
	if errors.Is(err, ErrForged) {
		return "session data failed signature verification"
	}
	return "session data could not be decoded"
}
