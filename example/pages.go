package main

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"time"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// pages are the parsed templates by file name: each page is layout.html
// plus its own file.
type pages map[string]*template.Template

func parsePages() (pages, error) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	p := pages{}
	for _, n := range names {
		name := n[len("templates/"):]
		if name == "layout.html" {
			continue
		}
		t, err := template.ParseFS(templateFS, "templates/layout.html", n)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", n, err)
		}
		p[name] = t
	}
	return p, nil
}

// pageData is what the templates show.
type pageData struct {
	Title string

	// Bare pages (errors) show no session data.
	Bare bool

	SignedIn   bool
	Name       string
	SignedInAt time.Time
	Flash      []string
	Visits     int64
	PageVisits int64
	CSRF       string

	Products []product
	Cart     []cartRow
	Total    string
	Items    int

	// The "Your sessions" page: Listable is false when the store
	// cannot list sessions (the cookie store).
	Listable bool
	Sessions []sessionRow

	Message string // an error on the page, e.g. a failed sign-in
	Login   string // the sign-in form's login, kept after a failure
}

// render writes a page for the session s.
//
// Everything that changes the session happens here, before the first byte
// of the response is written: the session middleware saves the session
// when the response header goes out, and a change made after that could
// not be saved. That is also why the page is rendered into a buffer first.
func (sh *shop) render(w http.ResponseWriter, r *http.Request, s *ShopperSession, status int, name string, d pageData) {
	// Modify, not Set: when two pages of one browser render at once, the
	// later save replays its increments on what the earlier one stored.
	s.ModifyVisits(func(n *int64) { *n++ })
	path := r.URL.Path
	s.ModifyViews(func(views *map[string]int64) {
		if *views == nil {
			*views = map[string]int64{}
		}
		(*views)[path]++ // only routed pages render, so the map stays small
	})
	d.CSRF = csrfToken(s)
	d.Flash, _ = s.PopFlash()
	v := s.Values()
	d.SignedIn, d.Name, d.SignedInAt = s.HasUserID(), v.Name, v.SignedInAt
	d.Visits, d.PageVisits = v.Visits, v.Views[r.URL.Path]
	d.Cart, d.Total, d.Items = cartView(v.Cart)

	var buf bytes.Buffer
	if err := sh.pages[name].ExecuteTemplate(&buf, "layout", d); err != nil {
		sh.fail(w, r, fmt.Errorf("render %s: %w", name, err))
		return
	}
	writePage(w, status, buf.Bytes())
}

// renderError writes an error page that shows no session data.
func (sh *shop) renderError(w http.ResponseWriter, status int, title, msg string) {
	var buf bytes.Buffer
	if err := sh.pages["error.html"].ExecuteTemplate(&buf, "layout", pageData{Title: title, Bare: true, Message: msg}); err != nil {
		http.Error(w, msg, status)
		return
	}
	writePage(w, status, buf.Bytes())
}

func writePage(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store") // pages show one person's session
	w.WriteHeader(status)
	w.Write(body)
}

// staticFiles serves the style sheet.
func staticFiles() http.Handler {
	files := http.FileServerFS(staticFS)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	})
}
