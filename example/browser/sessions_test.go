package browser

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// TestBrowserYourSessions signs Alice in on two "devices" (two browser
// contexts of one Chromium, which share no cookies), lists her sessions in
// the first, signs the second out from there, and checks that the second
// is signed out on its next request; then the same with "Sign out
// everywhere else". The shop runs on its default store, SQLite, whose
// owner index the page reads.
func TestBrowserYourSessions(t *testing.T) {
	chromium := chromiumPath(t)
	dir := t.TempDir()
	shop := buildShop(t, dir)
	srv := startServer(t, shop, "127.0.0.1:0", filepath.Join(dir, "shop.db"))

	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	laptop := startChromium(t, ctx, chromium)
	phone := newBrowserContext(t, laptop)
	b := &browser{t: t, base: srv.url}

	b.signIn(laptop, "alice", "wonderland")
	b.signIn(phone, "alice", "wonderland")

	// The laptop lists both sessions, itself marked.
	b.open(laptop, "/sessions")
	rows := b.sessionRows(laptop, "sessions seen from the laptop")
	if len(rows) != 2 {
		t.Fatalf("the laptop lists %d sessions, want 2: %+v", len(rows), rows)
	}
	current := 0
	for _, r := range rows {
		if !strings.HasPrefix(r.Device, "Chrome on ") || r.Network != "127.0.0.0/24" {
			t.Errorf("row %+v: want device Chrome on …, network 127.0.0.0/24", r)
		}
		if r.Current {
			current++
		}
	}
	if current != 1 {
		t.Errorf("%d rows marked this device, want 1: %+v", current, rows)
	}
	b.screenshot(laptop, filepath.Join(dir, "sessions.png"), "the Your sessions page")

	// Sign the phone out from the laptop.
	b.submit(laptop, `#sessions tr:not(.current) button.revoke`)
	b.want(laptop, "after signing out the phone", page{Who: "Signed in as Alice", Flash: []string{"That session is signed out."}})
	if rows := b.sessionRows(laptop, "sessions after signing out the phone"); len(rows) != 1 || !rows[0].Current {
		t.Errorf("after signing out the phone the laptop lists %+v, want only itself", rows)
	}
	b.reload(phone)
	b.want(phone, "the phone's next request", page{Who: "Not signed in"})

	// Sign in on the phone again; "Sign out everywhere else" on the laptop.
	b.signIn(phone, "alice", "wonderland")
	b.open(laptop, "/sessions")
	b.submit(laptop, `#revoke-others button[type=submit]`)
	b.want(laptop, "after signing out everywhere else", page{Who: "Signed in as Alice", Flash: []string{"Signed out 1 other session."}})
	b.reload(phone)
	b.want(phone, "the phone after sign-out everywhere else", page{Who: "Not signed in"})
	b.reload(laptop)
	b.want(laptop, "the laptop at the end", page{Who: "Signed in as Alice"})
}

// newBrowserContext opens a tab in a new browser context of tab's
// browser: a separate cookie jar, as on another device.
//
// chromedp.WithNewBrowserContext would do, but chromedp (since v0.13.6)
// opens its tab without a window, which headless Chromium refuses in a
// fresh browser context ("Failed to open new tab - no browser is open"):
// so the tab is made here, in a window of its own, and chromedp attaches to
// it.
func newBrowserContext(t *testing.T, tab context.Context) context.Context {
	t.Helper()
	var id target.ID
	err := chromedp.Run(tab, chromedp.ActionFunc(func(ctx context.Context) error {
		browser := cdp.WithExecutor(ctx, chromedp.FromContext(ctx).Browser)
		bc, err := target.CreateBrowserContext().WithDisposeOnDetach(true).Do(browser)
		if err != nil {
			return err
		}
		id, err = target.CreateTarget("about:blank").WithBrowserContextID(bc).WithNewWindow(true).Do(browser)
		return err
	}))
	if err != nil {
		t.Fatalf("open a second browser context: %v", err)
	}
	other, closeOther := chromedp.NewContext(tab, chromedp.WithTargetID(id))
	t.Cleanup(closeOther)
	if err := chromedp.Run(other, chromedp.EmulateViewport(1000, 700)); err != nil {
		t.Fatalf("attach to the second browser context: %v", err)
	}
	return other
}

// signIn signs in on the sign-in page and checks the welcome.
func (b *browser) signIn(tab context.Context, login, password string) {
	b.t.Helper()
	b.open(tab, "/signin")
	b.do(tab, "sign in as "+login,
		chromedp.SendKeys(`input[name=login]`, login, chromedp.ByQuery),
		chromedp.SendKeys(`input[name=password]`, password, chromedp.ByQuery))
	b.submit(tab, `#signin button[type=submit]`)
	name := strings.ToUpper(login[:1]) + login[1:]
	b.want(tab, "after signing in as "+login, page{Who: "Signed in as " + name, Flash: []string{"Welcome, " + name + "!"}})
}

// sessionRow is a row of the "Your sessions" page.
type sessionRow struct {
	Device  string `json:"device"`
	Network string `json:"network"`
	Current bool   `json:"current"`
}

// sessionsJS reads the rows of the "Your sessions" page.
const sessionsJS = `[...document.querySelectorAll('#sessions tbody tr')].map(r => ({
	device: r.querySelector('.device').firstChild.textContent.trim(),
	network: r.querySelector('.network').innerText.trim(),
	current: r.classList.contains('current'),
}))`

func (b *browser) sessionRows(tab context.Context, what string) []sessionRow {
	b.t.Helper()
	var rows []sessionRow
	b.do(tab, what, chromedp.Evaluate(sessionsJS, &rows))
	return rows
}
