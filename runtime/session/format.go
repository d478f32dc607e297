package session

import (
	"errors"
	"fmt"
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

// envelopeFormat is typedsession's own format. With a nil signer the
// payload goes unsigned: the store authenticates what it keeps
// (store.Unsealer, whose AEAD already covers it).
type envelopeFormat struct{ signer *signing.Signer }

func (e envelopeFormat) Encode(dst []byte, meta *codec.Meta, f codec.Fields, raw []codec.RawField) ([]byte, error) {
	buf, err := codec.Encode(dst, meta, f, raw)
	if err != nil || e.signer == nil {
		return buf, err
	}
	return e.signer.AppendSignature(buf), nil
}

func (e envelopeFormat) Decode(data []byte, f codec.Fields, warn codec.Warner) (codec.Envelope, bool, error) {
	payload, secret := data, 0
	if e.signer != nil {
		var err error
		if payload, secret, err = e.signer.Verify(data); err != nil {
			return codec.Envelope{}, false, fmt.Errorf("%w: %w", ErrForged, err)
		}
	}
	env, err := codec.Decode(payload, f, warn)
	if err != nil {
		return env, false, err
	}
	return env, env.Version < codec.Version || secret > 0, nil
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
