package session

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/typedsession/typedsession/runtime/store"
)

// DefaultCookieAge is the session age used when Config.CookieAge is zero:
// two weeks, as Django's SESSION_COOKIE_AGE.
const DefaultCookieAge = 14 * 24 * time.Hour

// DefaultCookieName is the cookie name used when Cookie.Name is empty.
const DefaultCookieName = "session"

// Config configures a Manager. Only Store and Secret are required; every
// other zero value is a safe default.
type Config struct {
	// Store keeps the sessions. Required.
	Store store.Store

	// Secret signs every stored session; at least 32 bytes (make one with
	// `openssl rand -base64 48`). FallbackSecrets still verify, so a secret
	// can be rotated: put the new one in Secret and the old one here, and
	// sessions signed with it are re-signed as they are used.
	Secret          string
	FallbackSecrets []string

	// Cookie sets the session cookie's attributes.
	Cookie Cookie

	// OwnerKey names the session field (its tag) that holds the id of the
	// user a session belongs to, such as "uid". When set, every save files
	// the session under that field's value (an integer or a string; no
	// owner while the field is absent) in the store's owner index, so that
	// Manager.Sessions can list a user's sessions and Manager.Revoke and
	// RevokeAll can sign them out. The store must implement store.Owners
	// (every server-side store of runtime/store does; cookiestore and the
	// stores of runtime/django do not). A loaded session is saved with the
	// store's SwapOwned (store.OwnedSwapper, which every server-side store
	// of runtime/store implements), so that concurrent requests merge as
	// Session.Save describes and the owner index follows the merged
	// record; over a store without it, saves are last-writer-wins for the
	// whole session.
	OwnerKey string

	// LastWriterWins lets a request that read a field and then set it
	// (SetVisits(Visits()+1)) write its value over a concurrent request's
	// change of that field, as most session frameworks do. By default such
	// a save fails with ErrConflict (409) instead: its value was computed
	// from data that is no longer current. Blind writes, ModifyX changes
	// and untouched fields merge the same either way (see Session.Save).
	LastWriterWins bool

	// IgnoreClearKeys stops looking for sessions stored under their clear
	// cookie key. Server-side stores keep each session under StoreKey (a
	// hash) of its cookie's key; versions before that used the cookie's key
	// itself. Until IgnoreClearKeys is set, a cookie key with no record under
	// its hash is also looked up in clear, and a session found that way is
	// moved to its hashed key on that request. Set it once no clear record
	// can be left (one CookieAge after the upgrade, longer if sessions set a
	// later expiry): it spares unknown keys a second lookup and logouts a
	// second delete. Client-side stores ignore it.
	IgnoreClearKeys bool

	// CookieAge is how long a session lives after it was last saved (and
	// the cookie's Max-Age), unless the session sets its own expiry.
	// Default DefaultCookieAge.
	CookieAge time.Duration

	// IdleTimeout, when set, replaces CookieAge as the default session age
	// and makes it sliding: every request that loads the session extends
	// it. To spare the store, an unmodified session is re-written at most
	// once per RefreshInterval (default: a tenth of IdleTimeout, at most a
	// minute).
	IdleTimeout     time.Duration
	RefreshInterval time.Duration

	// AbsoluteLifetime, when set, ends every session that long after it was
	// created, however active it is.
	AbsoluteLifetime time.Duration

	// ExpireAtBrowserClose makes session cookies (no Max-Age) by default.
	ExpireAtBrowserClose bool

	// SaveEveryRequest saves the session, and re-sends its cookie, on every
	// request that has one, modified or not.
	SaveEveryRequest bool

	// Logger receives operational logs (store failures, dropped fields).
	// Default slog.Default().
	Logger *slog.Logger

	// SecurityLogger receives security events: forged or corrupt session
	// data. Route it to your security monitoring, as Django's
	// "django.security" logger. Default: Logger with
	// logger=typedsession.security.
	SecurityLogger *slog.Logger

	// ErrorHandler writes the response when the session cannot be loaded or
	// saved. Default: a plain 500 (400 for ErrInterrupted, 409
	// for ErrConflict).
	ErrorHandler func(w http.ResponseWriter, r *http.Request, err error)

	// Observer, when set, is told about every store operation and security
	// event, for metrics and traces (see runtime/otelsession). Default: none.
	Observer Observer
}

// Cookie holds the session cookie's attributes.
type Cookie struct {
	// Name defaults to DefaultCookieName.
	Name string
	// Domain and Path scope the cookie; Path defaults to "/".
	Domain string
	Path   string
	// Secure sends the cookie over HTTPS only. Set it in production.
	Secure bool
	// ScriptReadable drops the HttpOnly attribute so JavaScript can read the
	// cookie. Leave it false unless you know why you need it.
	ScriptReadable bool
	// SameSite defaults to http.SameSiteLaxMode.
	SameSite http.SameSite
	// Partitioned sets the CHIPS Partitioned attribute.
	Partitioned bool
}
