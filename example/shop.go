package main

import (
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store"
)

// Session settings a real shop would choose: a session ends after two
// hours without a request, and a day after sign-in however active it is,
// so a stolen cookie does not work forever.
const (
	sessionCookie    = "session"
	idleTimeout      = 2 * time.Hour
	absoluteLifetime = 24 * time.Hour
)

// shopConfig is what the shop needs from main (or a test).
type shopConfig struct {
	Store  store.Store
	Secret string
	// SecureCookies sends the session cookie over HTTPS only. main sets it
	// unless the shop listens on a loopback address without -https.
	SecureCookies bool
	// Logger receives the request log and operational events; security
	// events go to a copy of it that marks them (see securityHandler).
	// Default slog.Default().
	Logger *slog.Logger
	// Users who can sign in. Default demoUsers().
	Users map[string]user
}

// shop is the web application: pages, form handlers, users and the session
// manager that gives each request its ShopperSession.
type shop struct {
	sessions *session.Manager
	users    map[string]user
	pages    pages
	log      *slog.Logger
	security *slog.Logger
	now      func() time.Time
	// listable is true when the store keeps an index of sessions by
	// owner (store.Owners), so the "Your sessions" page can list and
	// sign out a user's sessions; the cookie store cannot.
	listable bool
}

// ownerKey is the session key of Shopper.UserID: the manager files each
// signed-in session under its user (session.Config.OwnerKey).
const ownerKey = "uid"

func newShop(cfg shopConfig) (*shop, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	sh := &shop{
		users:    cfg.Users,
		log:      log,
		security: newSecurityLogger(log.Handler()),
		now:      time.Now,
	}
	if sh.users == nil {
		sh.users = demoUsers()
	}
	var err error
	if sh.pages, err = parsePages(); err != nil {
		return nil, err
	}
	// Every server-side store keeps the index; NewManager refuses
	// OwnerKey with the cookie store, where the sessions live in the
	// browsers and cannot be listed.
	var owner string
	if _, sh.listable = cfg.Store.(store.Owners); sh.listable {
		owner = ownerKey
	}
	sh.sessions, err = session.NewManager(session.Config{
		Store:    cfg.Store,
		Secret:   cfg.Secret,
		OwnerKey: owner,
		Cookie: session.Cookie{
			Name:     sessionCookie,
			Secure:   cfg.SecureCookies,
			SameSite: http.SameSiteLaxMode, // the default, spelled out; HttpOnly is the default too
		},
		IdleTimeout:      idleTimeout,
		AbsoluteLifetime: absoluteLifetime,
		Logger:           log,
		SecurityLogger:   sh.security,
		ErrorHandler:     sh.sessionError,
	})
	if err != nil {
		return nil, err
	}
	return sh, nil
}

// handler returns the shop with its middleware: the request log outermost,
// so it sees the status finally sent, then security headers, then the
// sessions, then the cross-origin check (where the Go version has it).
func (sh *shop) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", sh.home)
	mux.HandleFunc("GET /cart", sh.cartPage)
	mux.HandleFunc("GET /signin", sh.signInPage)
	mux.HandleFunc("POST /signin", sh.form(sh.signIn))
	mux.HandleFunc("POST /cart/add", sh.form(sh.addToCart))
	mux.HandleFunc("POST /cart/remove", sh.form(sh.removeFromCart))
	mux.HandleFunc("POST /signout", sh.form(sh.signOut))
	mux.HandleFunc("GET /sessions", sh.sessionsPage)
	mux.HandleFunc("POST /sessions/revoke", sh.form(sh.revokeSession))
	mux.HandleFunc("POST /sessions/revoke-others", sh.form(sh.revokeOtherSessions))
	mux.Handle("GET /static/", staticFiles())
	return logRequests(sh.log, securityHeaders(sh.sessions.Handler(sh.crossOrigin(mux))))
}

// session returns the request's typed session. Loading it is the one step
// that can fail (the store is down); the client then gets the error page
// and false.
func (sh *shop) session(w http.ResponseWriter, r *http.Request) (*ShopperSession, bool) {
	ri := infoFrom(r.Context())
	s, err := ShopperFrom(r)
	if err != nil {
		ri.load = loadError
		sh.fail(w, r, err)
		return nil, false
	}
	ri.load = loadOutcome(r, s)
	if s.HasUserID() {
		ri.user = s.Name()
	}
	return s, true
}

// loadOutcome names what loading found: loadNew, loadOK or
// loadDiscarded.
func loadOutcome(r *http.Request, s *ShopperSession) string {
	if _, err := r.Cookie(sessionCookie); err != nil {
		return loadNew
	}
	if s.Key() == "" {
		return loadDiscarded
	}
	return loadOK
}

// fail answers a request that could not be completed: the session could
// not be loaded or changed, or a page not rendered. Nothing the handler
// changed is saved: the session middleware saves nothing for a 5xx
// response.
func (sh *shop) fail(w http.ResponseWriter, r *http.Request, err error) {
	infoFrom(r.Context()).err = err
	sh.renderError(w, http.StatusInternalServerError, "Something went wrong",
		"Something went wrong on our side, so nothing was changed. Please try again in a moment.")
}

// sessionError is the session manager's ErrorHandler: the store failed
// when the session was saved, after the handler had answered. Its answer
// replaces the handler's, so the browser is not told that a change was
// kept when it was not.
func (sh *shop) sessionError(w http.ResponseWriter, r *http.Request, err error) {
	infoFrom(r.Context()).err = err
	if errors.Is(err, session.ErrInterrupted) {
		sh.renderError(w, http.StatusBadRequest, "Signed out elsewhere",
			"You signed out in another tab while this request was running, so it was not applied. Reload the page.")
		return
	}
	if errors.Is(err, session.ErrConflict) && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		// A page that took the flash messages (PopFlash) lost a race with
		// a request that added one: the page was not sent, and nothing it
		// did was saved. A GET is safe to repeat, so the browser asks for it
		// again and gets a page drawn from the session as it is now: each
		// message is shown once, on a page whose save succeeded.
		http.Redirect(w, r, r.URL.RequestURI(), http.StatusSeeOther)
		return
	}
	if errors.Is(err, session.ErrConflict) {
		sh.renderError(w, http.StatusConflict, "Changed in another tab",
			"Another tab changed your session while this request was running, so this change was not kept. Please try again.")
		return
	}
	sh.renderError(w, http.StatusInternalServerError, "Something went wrong",
		"The shop could not save your session, so your last change was not kept. Please try again in a moment.")
}

// securityHeaders sets the headers every response should have: pages may
// not be framed (clickjacking), may only submit forms and load styles from
// this origin, and are not cached, since they show one person's cart.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}
