package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/typedsession/typedsession/runtime/session"
)

// sessionRow is one line of the "Your sessions" page.
type sessionRow struct {
	Handle  string
	Device  string
	Network string
	Created time.Time // sign-in
	Saved   time.Time // last request that saved the session
	Current bool      // the session of the browser looking at the page
}

// sessionsPage lists where the signed-in user is signed in, with a button
// to sign out each other session and one to sign out all of them.
func (sh *shop) sessionsPage(w http.ResponseWriter, r *http.Request) {
	s, ok := sh.session(w, r)
	if !ok {
		return
	}
	if !sh.signedIn(w, r, s) {
		return
	}
	d := pageData{Title: "Your sessions", Listable: sh.listable}
	if sh.listable {
		list, err := sh.sessions.Sessions(r.Context(), owner(s))
		if err != nil {
			sh.fail(w, r, err)
			return
		}
		d.Sessions = sessionRows(list, s.Session().Handle())
	}
	sh.render(w, r, s, http.StatusOK, "sessions.html", d)
}

// sessionRows turns the manager's list into the page's rows.
func sessionRows(list []session.SessionInfo, current string) []sessionRow {
	rows := make([]sessionRow, 0, len(list))
	for _, info := range list {
		rows = append(rows, sessionRow{
			Handle:  info.Handle,
			Device:  info.Labels[labelDevice],
			Network: info.Labels[labelNetwork],
			Created: info.Created.UTC(),
			Saved:   info.Saved.UTC(),
			Current: current != "" && info.Handle == current,
		})
	}
	// This device first, then the others most recently active first (the
	// manager's order).
	slices.SortStableFunc(rows, func(a, b sessionRow) int {
		switch {
		case a.Current == b.Current:
			return 0
		case a.Current:
			return -1
		}
		return 1
	})
	return rows
}

// revokeSession signs out one of the user's other sessions: its next
// request finds no session and is signed out.
func (sh *shop) revokeSession(w http.ResponseWriter, r *http.Request, s *ShopperSession) {
	if !sh.signedIn(w, r, s) || !sh.canRevoke(w, r, s) {
		return
	}
	handle := r.PostForm.Get("handle")
	if handle == s.Session().Handle() {
		// The page offers no such button: this browser signs out with
		// "Sign out", which also removes its cookie.
		addFlash(s, "To sign out this device, use Sign out.")
		http.Redirect(w, r, "/sessions", http.StatusSeeOther)
		return
	}
	err := sh.sessions.Revoke(r.Context(), owner(s), handle)
	switch {
	case errors.Is(err, session.ErrUnknownHandle):
		addFlash(s, "That session had already ended.")
	case err != nil:
		sh.fail(w, r, err)
		return
	default:
		infoFrom(r.Context()).event = "revoked"
		sh.security.LogAttrs(r.Context(), slog.LevelInfo, "signed out another session", slog.String("user", s.Name()))
		addFlash(s, "That session is signed out.")
	}
	http.Redirect(w, r, "/sessions", http.StatusSeeOther)
}

// revokeOtherSessions signs out every session of the user but this one.
func (sh *shop) revokeOtherSessions(w http.ResponseWriter, r *http.Request, s *ShopperSession) {
	if !sh.signedIn(w, r, s) || !sh.canRevoke(w, r, s) {
		return
	}
	current := s.Session().Handle()
	if current == "" {
		// RevokeAll with no exception would sign this browser out too.
		sh.fail(w, r, errors.New("sign out everywhere else: the current session has no handle"))
		return
	}
	n, err := sh.sessions.RevokeAll(r.Context(), owner(s), current)
	if err != nil {
		sh.fail(w, r, err)
		return
	}
	infoFrom(r.Context()).event = "revoked"
	sh.security.LogAttrs(r.Context(), slog.LevelInfo, "signed out the other sessions",
		slog.String("user", s.Name()), slog.Int("count", n))
	switch n {
	case 0:
		addFlash(s, "You were signed in nowhere else.")
	case 1:
		addFlash(s, "Signed out 1 other session.")
	default:
		addFlash(s, fmt.Sprintf("Signed out %d other sessions.", n))
	}
	http.Redirect(w, r, "/sessions", http.StatusSeeOther)
}

// signedIn reports whether s is signed in; if not, it sends the browser
// to the sign-in page.
func (sh *shop) signedIn(w http.ResponseWriter, r *http.Request, s *ShopperSession) bool {
	if s.HasUserID() {
		return true
	}
	addFlash(s, "Sign in to see where you are signed in.")
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
	return false
}

// canRevoke reports whether the store can sign sessions out; if not, it
// sends the browser back to the page, which says why.
func (sh *shop) canRevoke(w http.ResponseWriter, r *http.Request, s *ShopperSession) bool {
	if sh.listable {
		return true
	}
	addFlash(s, "Other sessions cannot be signed out with this store.")
	http.Redirect(w, r, "/sessions", http.StatusSeeOther)
	return false
}

// owner is the user id the manager files s under (ownerKey).
func owner(s *ShopperSession) string {
	return strconv.FormatInt(s.UserID(), 10)
}
