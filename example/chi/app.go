package main

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/typedsession/typedsession/runtime/session"
)

// newRouter returns the app. typedsession's middleware is chi middleware
// as it is (func(http.Handler) http.Handler). Mount it after Recoverer:
// Recoverer's 500 for a panicking handler then goes through the session's
// writer and saves nothing. To give only some routes a session, mount it in
// a group: r.Group(func(r chi.Router) { r.Use(m.Handler); ... }).
func newRouter(m *session.Manager, extra func(chi.Router)) chi.Router {
	r := chi.NewRouter()
	r.Use(middleware.Recoverer)
	r.Use(m.Handler)
	r.Get("/visits", visits)
	r.Get("/hello", hello)
	r.Get("/me", me)
	r.Post("/signin", signin)
	r.Post("/signout", signout)
	if extra != nil {
		extra(r)
	}
	return r
}

// visitor returns the request's typed session. It is the one call that can
// fail (the store is down); the error response is then written and false
// returned.
func visitor(w http.ResponseWriter, r *http.Request) (*VisitorSession, bool) {
	s, err := VisitorFrom(r)
	if err != nil {
		http.Error(w, "session unavailable", http.StatusInternalServerError)
		return nil, false
	}
	return s, true
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v) // a failed write means the session's error response replaced this one
}

// visits counts this browser's visits: the change is made before the body
// is written, so the middleware saves it.
func visits(w http.ResponseWriter, r *http.Request) {
	s, ok := visitor(w, r)
	if !ok {
		return
	}
	s.ModifyVisits(func(n *int64) { *n++ })
	writeJSON(w, map[string]int64{"visits": s.Visits()})
}

func hello(w http.ResponseWriter, r *http.Request) {
	s, ok := visitor(w, r)
	if !ok {
		return
	}
	s.ModifyVisits(func(n *int64) { *n++ })
	name := s.Name()
	if name == "" {
		name = "stranger"
	}
	fmt.Fprintf(w, "hello, %s: visit %d", name, s.Visits())
}

func me(w http.ResponseWriter, r *http.Request) {
	s, ok := visitor(w, r)
	if !ok {
		return
	}
	writeJSON(w, map[string]any{"uid": s.UserID(), "name": s.Name(), "visits": s.Visits()})
}

// signin signs a demo user in: any name, no password. Cycle gives the
// session a new key first, so a key planted before sign-in is worthless.
func signin(w http.ResponseWriter, r *http.Request) {
	s, ok := visitor(w, r)
	if !ok {
		return
	}
	name := r.PostFormValue("name")
	if name == "" {
		http.Error(w, "name is required", http.StatusBadRequest)
		return
	}
	if err := s.Cycle(r.Context()); err != nil {
		http.Error(w, "sign-in failed", http.StatusInternalServerError)
		return
	}
	s.SetUserID(int64(len(name))) // a demo id
	s.SetName(name)
	http.Redirect(w, r, "/me", http.StatusSeeOther)
}

// signout deletes the session from the store; the middleware deletes the
// cookie.
func signout(w http.ResponseWriter, r *http.Request) {
	s, ok := visitor(w, r)
	if !ok {
		return
	}
	if err := s.Flush(r.Context()); err != nil {
		http.Error(w, "sign-out failed", http.StatusInternalServerError)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
