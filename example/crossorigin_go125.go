//go:build go1.25

package main

import (
	"log/slog"
	"net/http"
)

// crossOrigin refuses state-changing requests that browsers mark as coming
// from another origin (Sec-Fetch-Site, or Origin against Host), with
// http.CrossOriginProtection. It is a second line of defence: every form
// also carries the session's CSRF token (csrf.go), which older browsers
// and Go versions rely on alone.
func (sh *shop) crossOrigin(next http.Handler) http.Handler {
	p := http.NewCrossOriginProtection()
	p.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sh.security.LogAttrs(r.Context(), slog.LevelWarn, "cross-origin request refused",
			slog.String("origin", r.Header.Get("Origin")), slog.String("sec_fetch_site", r.Header.Get("Sec-Fetch-Site")))
		sh.renderError(w, http.StatusForbidden, "Form refused",
			"This form was sent from another site, so the shop refused it.")
	}))
	return p.Handler(next)
}
