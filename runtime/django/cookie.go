package django

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store"
)

// MaxCookieLen is the longest cookie value CookieStore makes: browsers keep
// at least 4096 bytes per cookie, name and attributes included.
const MaxCookieLen = 4096

// ErrTooLarge is returned (wrapped) by CookieStore.Seal for a session too
// large for a cookie.
var ErrTooLarge = errors.New("django: session too large for a cookie")

// CookieStore keeps the session in the cookie as Django's signed_cookies
// backend does (SESSION_ENGINE =
// "django.contrib.sessions.backends.signed_cookies"): the cookie value is
// signing.dumps(session, salt=SaltSignedCookies, compress=True). As in
// Django, a value is accepted for Config.CookieAge (SESSION_COOKIE_AGE)
// after it was signed, whatever the session's custom expiry, and cannot be
// revoked before. Its zero value is ready to use.
type CookieStore struct{}

var (
	_ store.ClientSide      = CookieStore{}
	_ session.FormatStore   = CookieStore{}
	_ session.ClearKeyStore = CookieStore{}
)

// Format implements session.FormatStore: Django's signed cookie format,
// checked against cfg.CookieAge as Django checks SESSION_COOKIE_AGE.
func (CookieStore) Format(cfg session.FormatConfig) (session.Format, error) {
	f, err := newFormat(cfg, SaltSignedCookies)
	if err != nil {
		return nil, err
	}
	f.maxAge = cfg.CookieAge
	return f, nil
}

// ClearKeys implements session.ClearKeyStore: the key is the cookie value.
func (CookieStore) ClearKeys() bool { return true }

// Seal returns data, which the Format already signed, as the cookie value.
func (CookieStore) Seal(ctx context.Context, data []byte, _ time.Time) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("django: seal: %w", err)
	}
	if len(data) > MaxCookieLen {
		return "", fmt.Errorf("%w: the signed session is %d bytes, over the %d a cookie holds; keep less in the session or use DBStore",
			ErrTooLarge, len(data), MaxCookieLen)
	}
	return string(data), nil
}

// Load returns the cookie value, which the Format verifies.
func (CookieStore) Load(ctx context.Context, value string) ([]byte, bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, false, fmt.Errorf("django: load: %w", err)
	}
	return []byte(value), value != "", nil
}

// Save records nothing: the session travels in the cookie (see Seal).
func (CookieStore) Save(ctx context.Context, _ string, _ []byte, _ time.Time, _ bool) error {
	return fmt.Errorf("django: save: %w: the session lives in the cookie; Seal the data", store.ErrNotSupported)
}

// Delete does nothing: a signed cookie cannot be revoked.
func (CookieStore) Delete(ctx context.Context, _ string) error { return ctx.Err() }

// Exists reports whether value is non-empty; the Format checks it.
func (CookieStore) Exists(ctx context.Context, value string) (bool, error) {
	return value != "", ctx.Err()
}

// ClearExpired returns an error wrapping store.ErrNotSupported: expired
// sessions are in the clients' cookies.
func (CookieStore) ClearExpired(context.Context) (int64, error) {
	return 0, fmt.Errorf("django: clear expired: %w: sessions live in the clients' cookies", store.ErrNotSupported)
}
