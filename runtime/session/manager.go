package session

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/typedsession/typedsession/runtime/codec"
	"github.com/typedsession/typedsession/runtime/signing"
	"github.com/typedsession/typedsession/runtime/store"
)

// SignerSalt is the purpose the Manager derives its signing key for. Tools
// that verify stored sessions themselves (sessionctl) use it too.
const SignerSalt = "typedsession/session"

// Manager loads, saves and expires sessions, and serves them to handlers
// through its middleware. It is safe for concurrent use.
type Manager struct {
	cfg      Config
	store    store.Store
	client   store.ClientSide // non-nil when the session lives in the cookie
	inClear  bool             // the store wants cookie keys as they are (ClearKeyStore)
	unsealer store.Unsealer   // non-nil when that store authenticates: payloads go unsigned
	signer   *signing.Signer
	format   Format // how sessions are stored: format.go
	logger   *slog.Logger
	security *slog.Logger
	age      time.Duration // default session age: IdleTimeout or CookieAge
	refresh  time.Duration
	cookie   cookieHeader
	clock    func() time.Time
	// warn is warnField bound once, so that each load does not allocate a
	// method value of its own for codec.Decode.
	warn codec.Warner

	storeName string       // for the Observer
	owners    ownerSupport // sessions by owner (owner.go)
}

// NewManager checks cfg and returns a Manager for it. It refuses a missing
// store and a missing or short secret, with an error that says what to do.
func NewManager(cfg Config) (*Manager, error) {
	if cfg.Store == nil {
		return nil, errors.New("session: Config.Store is nil: pass a store, e.g. memstore.New()")
	}
	secrets := [][]byte{[]byte(cfg.Secret)}
	for _, s := range cfg.FallbackSecrets {
		secrets = append(secrets, []byte(s))
	}
	keys, err := signing.NewKeyring(secrets...)
	if err != nil {
		return nil, fmt.Errorf("session: Config.Secret: %w", err)
	}
	m := &Manager{cfg: cfg, store: cfg.Store, signer: keys.Signer(SignerSalt), clock: time.Now}
	m.warn = m.warnField
	m.client, _ = cfg.Store.(store.ClientSide)
	if cs, ok := cfg.Store.(ClearKeyStore); ok && cs.ClearKeys() {
		m.inClear = true
	}
	m.storeName = storeName(cfg.Store)
	m.unsealer, _ = cfg.Store.(store.Unsealer)
	if err := m.initOwners(keys); err != nil {
		return nil, err
	}
	m.applyDefaults()
	if m.format, err = m.newFormat(); err != nil {
		return nil, fmt.Errorf("session: Config.Store: %w", err)
	}
	if m.cookie, err = newCookieHeader(&m.cfg.Cookie); err != nil {
		return nil, err
	}
	return m, nil
}

func (m *Manager) applyDefaults() {
	c := &m.cfg
	if c.CookieAge <= 0 {
		c.CookieAge = DefaultCookieAge
	}
	if c.Cookie.Name == "" {
		c.Cookie.Name = DefaultCookieName
	}
	if c.Cookie.Path == "" {
		c.Cookie.Path = "/"
	}
	if c.Cookie.SameSite == 0 {
		c.Cookie.SameSite = http.SameSiteLaxMode
	}
	m.logger = c.Logger
	if m.logger == nil {
		m.logger = slog.Default()
	}
	m.security = c.SecurityLogger
	if m.security == nil {
		m.security = m.logger.With("logger", "typedsession.security")
	}
	m.age = c.CookieAge
	if c.IdleTimeout > 0 {
		m.age = c.IdleTimeout
		m.refresh = c.RefreshInterval
		if m.refresh <= 0 {
			m.refresh = min(c.IdleTimeout/10, time.Minute)
		}
	}
}

// Config returns the Manager's configuration, with defaults filled in.
func (m *Manager) Config() Config { return m.cfg }

// Open returns a session for key, as the middleware does for a request's
// cookie value. An invalid key (empty, too short or long, or with characters
// outside store.KeyAlphabet) opens a new, empty session. Nothing is read
// until the data is needed.
func (m *Manager) Open(key string) *Session {
	s := &Session{m: m}
	s.key = m.validKey(key)
	return s
}

func (m *Manager) validKey(key string) string {
	if m.client != nil {
		// The store opens the value: anything malformed comes back as
		// store.ErrCorrupt and is reported on the security logger (S11).
		// A value too short to be any key is no key at all, as for
		// server-side stores (and Django, for every backend): Key reports
		// "" before the session is loaded too.
		if len(key) < store.MinKeyLen {
			return ""
		}
		return key
	}
	if store.ValidKey(key) {
		return key
	}
	return ""
}

func (m *Manager) now() time.Time { return m.clock() }

// pastLifetime reports whether the session, created at created, has
// outlived Config.AbsoluteLifetime. It reads the clock only when a
// lifetime is set.
func (s *Session) pastLifetime(created time.Time) bool {
	return s.m.pastLifetimeAt(created, s.now())
}

// pastLifetimeAt reports whether a session created at created is past
// Config.AbsoluteLifetime at now.
func (m *Manager) pastLifetimeAt(created, now time.Time) bool {
	lifetime := m.cfg.AbsoluteLifetime
	return lifetime > 0 && !created.IsZero() && now.After(created.Add(lifetime))
}
