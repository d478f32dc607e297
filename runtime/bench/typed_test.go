package bench

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"

	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store"
)

// typed is typedsession over st, configured as its README shows: a
// Manager with the store and a secret, its middleware around the handler.
// The logger is silenced for the tests' forged cookies; nothing is logged
// on the benchmarked paths.
func typed(tb testing.TB, st store.Store) contender {
	tb.Helper()
	quiet := slog.New(slog.DiscardHandler)
	m, err := session.NewManager(session.Config{Store: st, Secret: secret, Logger: quiet})
	if err != nil {
		tb.Fatal(err)
	}
	return contender{
		lib:  "typedsession",
		wrap: m.Handler,
		h:    m.Handler(http.HandlerFunc(typedHandler)),
		seed: func(tb testing.TB, v Shopper) *http.Cookie { return typedSeed(tb, m, v) },
		peek: func(tb testing.TB, c *http.Cookie) Shopper { return typedPeek(tb, m, c) },
	}
}

func typedHandler(w http.ResponseWriter, r *http.Request) {
	s, err := ShopperFrom(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if s.UserID() != wantUserID || s.Name() != wantName {
		http.Error(w, errWrongSession, http.StatusInternalServerError)
		return
	}
	s.SetLastSeen(now())
	io.WriteString(w, "ok")
}

func typedSeed(tb testing.TB, m *session.Manager, v Shopper) *http.Cookie {
	tb.Helper()
	ctx := context.Background()
	s, err := ShopperOf(ctx, m.Open(""))
	if err != nil {
		tb.Fatal(err)
	}
	s.Update(func(p *Shopper) { *p = v })
	if err := s.Session().Save(ctx); err != nil {
		tb.Fatal(err)
	}
	return &http.Cookie{Name: m.Config().Cookie.Name, Value: s.Key()}
}

func typedPeek(tb testing.TB, m *session.Manager, c *http.Cookie) Shopper {
	tb.Helper()
	s, err := ShopperOf(context.Background(), m.Open(c.Value))
	if err != nil {
		tb.Fatal(err)
	}
	return s.Values()
}
