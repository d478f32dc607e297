package bench

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
)

// scsManager is scs configured as its README shows: scs.New (whose
// default store is its memstore), or st in its place, and LoadAndSave
// around the handler.
func scsManager(st scs.Store) *scs.SessionManager {
	sm := scs.New()
	if st != nil {
		sm.Store = st
	}
	return sm
}

func scsContender(sm *scs.SessionManager) contender {
	return contender{
		lib:  "scs",
		wrap: sm.LoadAndSave,
		h:    sm.LoadAndSave(scsHandler(sm)),
		seed: func(tb testing.TB, v Shopper) *http.Cookie { return scsSeed(tb, sm, v) },
		peek: func(tb testing.TB, c *http.Cookie) Shopper { return scsPeek(tb, sm, c) },
	}
}

func scsHandler(sm *scs.SessionManager) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if sm.GetInt64(ctx, keyUserID) != wantUserID || sm.GetString(ctx, keyName) != wantName {
			http.Error(w, errWrongSession, http.StatusInternalServerError)
			return
		}
		sm.Put(ctx, keyLastSeen, now())
		io.WriteString(w, "ok")
	})
}

func scsSeed(tb testing.TB, sm *scs.SessionManager, v Shopper) *http.Cookie {
	tb.Helper()
	ctx, err := sm.Load(context.Background(), "")
	if err != nil {
		tb.Fatal(err)
	}
	sm.Put(ctx, keyUserID, v.UserID)
	sm.Put(ctx, keyName, v.Name)
	sm.Put(ctx, keyRoles, v.Roles)
	sm.Put(ctx, keyCart, v.Cart)
	sm.Put(ctx, keyLastSeen, v.LastSeen)
	sm.Put(ctx, keyCSRF, v.CSRF)
	sm.Put(ctx, keyFlags, v.Flags)
	token, _, err := sm.Commit(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	return &http.Cookie{Name: sm.Cookie.Name, Value: token}
}

func scsPeek(tb testing.TB, sm *scs.SessionManager, c *http.Cookie) Shopper {
	tb.Helper()
	ctx, err := sm.Load(context.Background(), c.Value)
	if err != nil {
		tb.Fatal(err)
	}
	roles, _ := sm.Get(ctx, keyRoles).([]string)
	cart, _ := sm.Get(ctx, keyCart).([]CartLine)
	flags, _ := sm.Get(ctx, keyFlags).(map[string]bool)
	return Shopper{
		UserID:   sm.GetInt64(ctx, keyUserID),
		Name:     sm.GetString(ctx, keyName),
		Roles:    roles,
		Cart:     cart,
		LastSeen: sm.GetTime(ctx, keyLastSeen).In(time.UTC),
		CSRF:     sm.GetString(ctx, keyCSRF),
		Flags:    flags,
	}
}
