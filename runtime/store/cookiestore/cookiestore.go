// Package cookiestore keeps the whole session in the client's cookie,
// encrypted and authenticated with AES-256-GCM (signing.Sealer), so the
// client can carry its session but can neither read nor change it.
//
// Use it as any store; the session Manager recognises it (it implements
// store.ClientSide) and sends the sealed session as the cookie value:
//
//	cs, err := cookiestore.New(cookiestore.Config{Secret: secret, MaxAge: 14 * 24 * time.Hour})
//	...
//	m, err := session.NewManager(session.Config{Store: cs, Secret: secret})
//
// # Expiry
//
// Every sealed value carries when it was sealed and when the session
// expires, and Load enforces both: a value past the session's own expiry
// (a custom one, such as ExpireAfterIdle(10*time.Minute), or the Manager's
// default) or sealed longer ago than MaxAge reads as no session. The
// cookie's own Max-Age only asks the browser to forget it; a copied cookie
// would otherwise live on. (Django's signed-cookie backend checks only
// SESSION_COOKIE_AGE and ignores a custom expiry, ticket #19201.)
//
// # What differs from a server-side store
//
// Nothing is recorded on the server, so nothing can be revoked there:
//
//   - Delete does nothing. Flush (logout) removes the cookie from the browser
//     that sends the request, but a copy of the old value keeps working until
//     it expires or MaxAge passes. To end every session at once, rotate the
//     secret and do not keep the old one as a fallback.
//   - Exists reports whether a value opens and has not expired.
//   - Save records nothing: the data travels in the value. It succeeds when
//     the key already carries exactly that data, and otherwise fails with
//     store.ErrNotSupported rather than pretend it stored something.
//   - Cycle gives no protection against a stolen cookie: it only seals the
//     data again, under a new random nonce. The old value stays valid.
//   - ClearExpired fails with store.ErrNotSupported: expired sessions live
//     in the browsers, not here.
//   - It does not implement store.Swapper (optimistic concurrency): no
//     record is shared between requests, so there is nothing to compare
//     with. Each response carries its own cookie, and the browser keeps
//     whichever arrives last.
//   - It does not implement store.Owners (sessions by owner): a user's
//     sessions cannot be listed, nor signed out from elsewhere ("sign out
//     everywhere" is impossible), and session.NewManager refuses
//     Config.OwnerKey with it. Use a server-side store for that.
//
// # Size
//
// A cookie holds about 4 KB. Seal refuses, with an error wrapping
// ErrTooLarge that gives the size and the limit, a session whose sealed
// value would be longer than MaxValueLen; the request then fails and the
// client keeps its previous cookie. The Manager further checks the whole
// Set-Cookie header. Keep cookie sessions small, or use a server-side store.
//
// # Security logging
//
// A value that fails to open (forged, corrupted, or sealed with a secret
// that is no longer listed) makes Load return an error wrapping
// store.ErrCorrupt. The session package answers that with an empty session
// and a warning on its security logger; this package logs nothing itself,
// so each event is logged exactly once, by the Manager's SecurityLogger.
//
// # Secrets
//
// Secret and FallbackSecrets work as in the Manager, and may be the same
// strings: keys are derived per purpose, so the sealing key differs from the
// signing key. Rotation is complete without a code change: Unseal reports a
// value opened with a fallback secret, and the Manager then re-writes the
// session, which this store seals with the current secret.
//
// # Format
//
// AES-GCM authenticates what it seals, so the Manager (which recognises
// store.Unsealer) gives this store its sessions unsigned. Cookies sealed by
// earlier releases carry an HMAC-SHA256 signature inside the seal, 43
// characters more; they still open, the Manager verifies their signature,
// and re-writes them in the current format on the request that brings them.
// testdata/vectors/cookie.json pins both formats.
package cookiestore

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/typedsession/typedsession/runtime/signing"
	"github.com/typedsession/typedsession/runtime/store"
)

// MaxValueLen is the longest cookie value Seal produces. Browsers keep at
// least 4096 bytes per cookie (RFC 6265), name and attributes included.
const MaxValueLen = 4096

// ErrTooLarge is returned (wrapped, with the size and the limit) by Seal for
// a session whose sealed value would exceed MaxValueLen.
var ErrTooLarge = errors.New("cookiestore: session too large for a cookie")

// salt is the purpose the sealing key is derived for.
const salt = "typedsession/cookie"

// Config configures a Store.
type Config struct {
	// Secret seals every cookie; at least 32 bytes (make one with
	// `openssl rand -base64 48`). Required.
	Secret string

	// FallbackSecrets still open cookies sealed with them, so that Secret
	// can be rotated: put the new secret in Secret and the old one here.
	FallbackSecrets []string

	// MaxAge, when positive, refuses values sealed longer ago than that,
	// whatever expiry they carry. Zero leaves the session's own expiry as
	// the only limit; it is always enforced.
	MaxAge time.Duration
}

// Store keeps sessions in sealed cookie values. It implements
// store.ClientSide and is safe for concurrent use.
type Store struct {
	sealer *signing.Sealer
	maxAge time.Duration
	now    func() time.Time
}

var _ store.Unsealer = (*Store)(nil)

// New returns a Store for cfg. It refuses a missing or short secret with an
// error that says how to make a good one.
func New(cfg Config) (*Store, error) {
	secrets := [][]byte{[]byte(cfg.Secret)}
	for _, s := range cfg.FallbackSecrets {
		secrets = append(secrets, []byte(s))
	}
	keys, err := signing.NewKeyring(secrets...)
	if err != nil {
		return nil, fmt.Errorf("cookiestore: Config.Secret: %w", err)
	}
	sealer, err := keys.Sealer(salt)
	if err != nil {
		return nil, fmt.Errorf("cookiestore: %w", err)
	}
	return &Store{sealer: sealer, maxAge: cfg.MaxAge, now: time.Now}, nil
}

// Seal returns the cookie value that carries data until expiry: data,
// the current time and expiry, sealed with the current secret, as unpadded
// base64url. It fails with an error wrapping ErrTooLarge when the value
// would be longer than MaxValueLen.
func (s *Store) Seal(ctx context.Context, data []byte, expiry time.Time) (string, error) {
	return s.seal(ctx, "", data, expiry, "")
}

// SealLine is Seal for a caller that sends the value inside a longer
// string, such as the Set-Cookie header a session Manager writes: it
// returns head, the value, then tail, as one string made with the one
// allocation the value needs, where the string Seal returns would be
// copied into the longer one. The value is
// line[len(head):len(line)-len(tail)]; MaxValueLen limits it alone.
func (s *Store) SealLine(ctx context.Context, head string, data []byte, expiry time.Time, tail string) (line string, err error) {
	return s.seal(ctx, head, data, expiry, tail)
}

func (s *Store) seal(ctx context.Context, head string, data []byte, expiry time.Time, tail string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("cookiestore: seal: %w", err)
	}
	if n := sealedLen(len(data)); n > MaxValueLen {
		return "", fmt.Errorf("%w: the sealed session would be %d bytes, over the %d a cookie can hold; keep less in the session or use a server-side store",
			ErrTooLarge, n, MaxValueLen)
	}
	var frame [headerLen]byte
	frameHeader(frame[:0], frameFormat, s.now(), expiry)
	return s.sealer.SealText(head, frame[:], data, tail), nil
}

// sealedLen is the length of the cookie value for n bytes of data.
func sealedLen(n int) int {
	return base64.RawURLEncoding.EncodedLen(signing.SealOverhead + headerLen + n)
}

// Load opens a cookie value made by Seal and returns its data. found is
// false, with a nil error, for an empty value and for one that has expired.
// A value that fails to open gives an error wrapping store.ErrCorrupt.
func (s *Store) Load(ctx context.Context, value string) (data []byte, found bool, err error) {
	data, found, _, err = s.Unseal(ctx, value)
	return data, found, err
}

// Unseal is Load, and also reports how the value was sealed: with which
// secret, and whether in the format of releases that signed the session
// data inside the seal (see store.Sealing). The session Manager uses it to
// seal such values again.
func (s *Store) Unseal(ctx context.Context, value string) (data []byte, found bool, how store.Sealing, err error) {
	if err := ctx.Err(); err != nil {
		return nil, false, how, fmt.Errorf("cookiestore: load: %w", err)
	}
	if value == "" {
		return nil, false, how, nil
	}
	data, how, err = s.open(value)
	if err != nil {
		if errors.Is(err, errExpired) {
			return nil, false, store.Sealing{}, nil
		}
		return nil, false, store.Sealing{}, fmt.Errorf("cookiestore: load: %w", err)
	}
	return data, true, how, nil
}

// Exists reports whether value opens and has not expired.
func (s *Store) Exists(ctx context.Context, value string) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, fmt.Errorf("cookiestore: exists: %w", err)
	}
	_, _, err := s.open(value)
	return err == nil, nil
}

// Save records nothing, since the data travels in the cookie value: it
// returns nil when key is a live value carrying exactly data, and an error
// wrapping store.ErrNotSupported otherwise, so that code written for
// server-side stores cannot believe it stored what the cookie does not
// carry. Use Seal. mustCreate makes no difference: no two Seal calls give
// the same value.
func (s *Store) Save(ctx context.Context, key string, data []byte, expiry time.Time, mustCreate bool) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("cookiestore: save: %w", err)
	}
	if carried, _, err := s.open(key); err == nil && bytes.Equal(carried, data) {
		return nil
	}
	return fmt.Errorf("cookiestore: save: %w: the session lives in the cookie; Seal the data and send the result as the cookie value", store.ErrNotSupported)
}

// Delete does nothing: there is no server-side record to remove, and a
// sealed value cannot be revoked before it expires (see the package doc).
func (s *Store) Delete(ctx context.Context, value string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("cookiestore: delete: %w", err)
	}
	return nil
}

// ClearExpired returns an error wrapping store.ErrNotSupported: expired
// sessions are in the clients' cookies, where they expire by themselves.
func (s *Store) ClearExpired(ctx context.Context) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("cookiestore: clear expired: %w", err)
	}
	return 0, fmt.Errorf("cookiestore: clear expired: %w: sessions live in the clients' cookies and expire there", store.ErrNotSupported)
}
