package browser

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"
)

// TestBrowser drives the shop with headless Chromium: sign in, fill the
// cart, reload, restart the server process, sign out in one of two tabs,
// and tamper with the cookie.
//
// The server is the example built with `go build` and run as a separate
// process, so stopping and starting it is a real process restart on the
// same SQLite file and the same generated secret file, with nothing shared
// in memory.
func TestBrowser(t *testing.T) {
	chromium := chromiumPath(t)
	dir := t.TempDir()
	shop := buildShop(t, dir)
	db := filepath.Join(dir, "shop.db")
	srv := startServer(t, shop, "127.0.0.1:0", db)

	// The whole browser session is bounded; each step has its own, shorter
	// bound (see step).
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	tab1 := startChromium(t, ctx, chromium)
	b := &browser{t: t, base: srv.url}

	// Sign in.
	b.open(tab1, "/signin")
	b.do(tab1, "sign in",
		chromedp.SendKeys(`input[name=login]`, "alice", chromedp.ByQuery),
		chromedp.SendKeys(`input[name=password]`, "wonderland", chromedp.ByQuery))
	b.submit(tab1, `#signin button[type=submit]`)
	b.want(tab1, "after sign-in", page{Who: "Signed in as Alice", Flash: []string{"Welcome, Alice!"}})

	// Add 2 × Tea and 1 × Biscuits.
	b.do(tab1, "set the quantity", chromedp.SetValue(`#product-tea input[name=qty]`, "2", chromedp.ByQuery))
	b.submit(tab1, `#product-tea button[type=submit]`)
	b.want(tab1, "after adding tea", page{Who: "Signed in as Alice", Flash: []string{"Added 2 × Tea"}})
	b.submit(tab1, `#product-biscuits button[type=submit]`)
	b.want(tab1, "after adding biscuits", page{Who: "Signed in as Alice", Flash: []string{"Added 1 × Biscuits"}})
	b.screenshot(tab1, filepath.Join(dir, "shop.png"), "the shop after adding to the cart")

	// The cart page, and again after a reload.
	cart := []cartLine{{"tea", 2}, {"biscuits", 1}}
	b.open(tab1, "/cart")
	b.want(tab1, "cart page", page{Who: "Signed in as Alice", Cart: cart})
	b.reload(tab1)
	b.want(tab1, "cart page after reload", page{Who: "Signed in as Alice", Cart: cart})
	b.screenshot(tab1, filepath.Join(dir, "cart.png"), "the cart page")

	// Restart the server process on the same database and address.
	srv.stop(t)
	srv = startServer(t, shop, srv.addr, db)
	b.reload(tab1)
	b.want(tab1, "cart page after a server restart", page{Who: "Signed in as Alice", Cart: cart})

	// A second tab; sign out in the first; the second is signed out on its
	// next request.
	tab2, closeTab2 := chromedp.NewContext(tab1)
	defer closeTab2()
	if err := chromedp.Run(tab2); err != nil {
		t.Fatalf("open a second tab: %v", err)
	}
	b.open(tab2, "/cart")
	b.want(tab2, "second tab", page{Who: "Signed in as Alice", Cart: cart})
	b.submit(tab1, `#signout`)
	b.want(tab1, "after sign-out", page{Who: "Not signed in", Flash: []string{"You are signed out."}})
	b.reload(tab2)
	b.want(tab2, "second tab after sign-out in the first", page{Who: "Not signed in"})

	// Sign in again, then tamper with the cookie: signed out.
	b.open(tab1, "/signin")
	b.do(tab1, "sign in again",
		chromedp.SendKeys(`input[name=login]`, "bob", chromedp.ByQuery),
		chromedp.SendKeys(`input[name=password]`, "builder", chromedp.ByQuery))
	b.submit(tab1, `#signin button[type=submit]`)
	b.submit(tab1, `#product-jam button[type=submit]`)
	b.open(tab1, "/cart")
	b.want(tab1, "signed in again", page{Who: "Signed in as Bob", Cart: []cartLine{{"jam", 1}}})
	b.tamperCookie(tab1)
	b.reload(tab1)
	b.want(tab1, "after tampering with the cookie", page{Who: "Not signed in"})
	if len(srv.logs.lines("path=/cart", "session.load=discarded")) == 0 {
		t.Errorf("the server did not log the discarded session; its log:\n%s", srv.logs)
	}
}

// chromiumPath finds Chromium, or skips the test.
func chromiumPath(t *testing.T) string {
	if p := os.Getenv("TYPEDSESSION_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no Chromium found (chromium, chromium-browser or google-chrome on PATH, or TYPEDSESSION_CHROMIUM): " +
		"install it (Debian: apt-get install chromium) to run the real-browser test; .ci/run does")
	return ""
}

// startChromium starts headless Chromium for the test's duration (or
// until ctx ends) and returns its first tab.
func startChromium(t *testing.T, ctx context.Context, chromium string) context.Context {
	t.Helper()
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chromium),
		// Exactly these flags: without them Chromium, on a machine with no
		// network, stalls on look-ups (QUIC, component updates, sync).
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-breakpad", true),
		chromedp.UserDataDir(chromiumProfile(t)),
		chromedp.WSURLReadTimeout(20*time.Second),
	)
	t.Cleanup(cancelAlloc)
	tab, closeTab := chromedp.NewContext(allocCtx)
	t.Cleanup(closeTab)
	// The first Run starts the browser; it must get the tab's own context,
	// whose end closes the browser, not a step's shorter one.
	if err := chromedp.Run(tab, chromedp.EmulateViewport(1000, 700)); err != nil {
		t.Fatalf("start Chromium (%s): %v", chromium, err)
	}
	return tab
}

// chromiumProfile makes an empty profile folder for Chromium. It is not
// under t.TempDir: Chromium's helper processes can still be writing to it
// for a moment after the browser has exited, and t.TempDir's cleanup fails
// the test when a folder will not go. The cleanup here waits for them and,
// should they outlast that, leaves the folder in the system's temporary
// folder and says so, which is no fault of the code under test.
func chromiumProfile(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "typedsession-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for try := 0; ; try++ {
			err := os.RemoveAll(dir)
			if err == nil {
				return
			}
			if try == 50 {
				t.Logf("leaving Chromium's profile behind: %v", err)
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	return dir
}

// page is what a page of the shop shows, as far as the test checks it.
type page struct {
	Who   string
	Flash []string
	Cart  []cartLine
}

// cartLine is a line of the cart page.
type cartLine struct {
	SKU string
	Qty int
}

// pageJS reads a page into the fields of page.
const pageJS = `(() => ({
	who: document.querySelector('#who')?.innerText.trim() ?? '',
	flash: [...document.querySelectorAll('#flash li')].map(e => e.innerText.trim()),
	cart: [...document.querySelectorAll('#cart tbody tr')].map(r => ({sku: r.dataset.sku, qty: Number(r.querySelector('.qty').innerText)})),
}))()`

// browser runs the steps of the test, each bounded in time.
type browser struct {
	t    *testing.T
	base string
}

const stepTimeout = 10 * time.Second

// do runs actions in tab, failing the test with what on error.
func (b *browser) do(tab context.Context, what string, actions ...chromedp.Action) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(tab, stepTimeout)
	defer cancel()
	if err := chromedp.Run(ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// navigate runs actions that load a page and checks the page's status.
func (b *browser) navigate(tab context.Context, what string, actions ...chromedp.Action) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(tab, stepTimeout)
	defer cancel()
	res, err := chromedp.RunResponse(ctx, actions...)
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	if res == nil || res.Status != 200 {
		status := int64(0)
		if res != nil {
			status = res.Status
		}
		b.t.Fatalf("%s: status %d, want 200", what, status)
	}
}

func (b *browser) open(tab context.Context, path string) {
	b.t.Helper()
	b.navigate(tab, "open "+path, chromedp.Navigate(b.base+strings.TrimPrefix(path, "/")))
}

func (b *browser) reload(tab context.Context) {
	b.t.Helper()
	b.navigate(tab, "reload", chromedp.Reload())
}

// submit clicks a form's button and waits for the page the form leads to.
func (b *browser) submit(tab context.Context, button string) {
	b.t.Helper()
	b.navigate(tab, "click "+button, chromedp.Click(button, chromedp.ByQuery))
}

// want checks what the page in tab shows.
func (b *browser) want(tab context.Context, what string, want page) {
	b.t.Helper()
	var got struct {
		Who   string   `json:"who"`
		Flash []string `json:"flash"`
		Cart  []struct {
			SKU string `json:"sku"`
			Qty int    `json:"qty"`
		} `json:"cart"`
	}
	b.do(tab, what+": read the page", chromedp.Evaluate(pageJS, &got))
	p := page{Who: got.Who, Flash: append([]string(nil), got.Flash...)}
	for _, l := range got.Cart {
		p.Cart = append(p.Cart, cartLine{SKU: l.SKU, Qty: l.Qty})
	}
	if d := cmp.Diff(want, p); d != "" {
		b.t.Errorf("%s (-want +got):\n%s", what, d)
	}
}

// artifactsEnv names a folder that keeps a copy of the screenshot after
// the test's temporary folder is gone (for CI artifacts, or a look).
const artifactsEnv = "TYPEDSESSION_ARTIFACTS"

// screenshot saves the page in tab, showing what, as a PNG at path.
func (b *browser) screenshot(tab context.Context, path, what string) {
	b.t.Helper()
	var png []byte
	b.do(tab, "screenshot", chromedp.FullScreenshot(&png, 100)) // quality 100 means PNG
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot of %s: %s", what, path)
	keep, err := keepArtifact(filepath.Base(path), png)
	if err != nil {
		b.t.Fatal(err)
	}
	if keep != "" {
		b.t.Logf("copy kept (%s): %s", artifactsEnv, keep)
	}
}

// keepArtifact writes a copy of data as name in the folder artifactsEnv
// names, creating the folder if need be, and returns the copy's path; ""
// when the variable is unset.
func keepArtifact(name string, data []byte) (string, error) {
	dir := os.Getenv(artifactsEnv)
	if dir == "" {
		return "", nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("%s: %w", artifactsEnv, err)
	}
	keep := filepath.Join(dir, name)
	if err := os.WriteFile(keep, data, 0o644); err != nil {
		return "", fmt.Errorf("%s: %w", artifactsEnv, err)
	}
	return keep, nil
}

// tamperCookie changes one character of the session cookie in the
// browser, as an attacker guessing keys would.
func (b *browser) tamperCookie(tab context.Context) {
	b.t.Helper()
	b.do(tab, "tamper with the session cookie", chromedp.ActionFunc(func(ctx context.Context) error {
		cookies, err := network.GetCookies().WithURLs([]string{b.base}).Do(ctx)
		if err != nil {
			return err
		}
		for _, c := range cookies {
			if c.Name != sessionCookie {
				continue
			}
			return network.SetCookie(c.Name, flip(c.Value)).
				WithURL(b.base).WithPath(c.Path).WithHTTPOnly(c.HTTPOnly).WithSameSite(c.SameSite).
				Do(ctx)
		}
		return errors.New("the browser has no session cookie")
	}))
}

// serverProcess is the shop running in a child process.
type serverProcess struct {
	cmd  *exec.Cmd
	addr string // host:port
	url  string // http://host:port/
	logs *logBuffer

	exited chan struct{} // closed when the process has exited
	err    error         // how it exited; read after exited is closed
}

// startServer starts the shop binary in a new process listening on addr,
// with its database (and generated secret) at db.
func startServer(t *testing.T, shop, addr, db string) *serverProcess {
	t.Helper()
	cmd := exec.Command(shop, "-addr", addr, "-db", db)
	// No TYPEDSESSION_SECRET: the shop generates one beside db on the first
	// start, and the second start must find it.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, secretEnv+"=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	p := &serverProcess{cmd: cmd, logs: &logBuffer{}, exited: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.logs, p.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.err = cmd.Wait(); close(p.exited) }()
	t.Cleanup(func() {
		select {
		case <-p.exited:
		default:
			cmd.Process.Kill()
			<-p.exited
		}
		if t.Failed() {
			t.Logf("log of the server at %s:\n%s", p.addr, p.logs)
		}
	})

	deadline := time.After(15 * time.Second)
	for {
		if m := listeningRE.FindStringSubmatch(p.logs.String()); m != nil {
			p.url = m[1]
			p.addr = strings.TrimSuffix(strings.TrimPrefix(p.url, "http://"), "/")
			return p
		}
		select {
		case <-p.exited:
			t.Fatalf("the server exited before listening: %v; its log:\n%s", p.err, p.logs)
		case <-deadline:
			t.Fatalf("the server is not listening after 15s; its log:\n%s", p.logs)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// stop interrupts the server, as Ctrl-C does, and waits for it to exit.
func (p *serverProcess) stop(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.exited:
		if p.err != nil {
			t.Fatalf("the server exited with %v; its log:\n%s", p.err, p.logs)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("the server did not stop within 10s of an interrupt; its log:\n%s", p.logs)
	}
	if !strings.Contains(p.logs.String(), `msg=stopped`) {
		t.Errorf("the server did not log a clean stop; its log:\n%s", p.logs)
	}
}
