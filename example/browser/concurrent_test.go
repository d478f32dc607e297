package browser

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// concurrentAdds is how many add-to-cart requests the page sends at once.
const concurrentAdds = 5 // the shop keeps at most 5 flash messages

// TestBrowserConcurrentAdds sends several add-to-cart requests at once from
// the page with fetch, as a double click or a script would, first as an
// anonymous shopper and then signed in (a session with an owner), and
// checks that every one of them is in the cart and in the flash messages:
// no request's change was lost to another's save.
func TestBrowserConcurrentAdds(t *testing.T) {
	chromium := chromiumPath(t)
	dir := t.TempDir()
	shop := buildShop(t, dir)
	srv := startServer(t, shop, "127.0.0.1:0", filepath.Join(dir, "shop.db"))

	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	tab := startChromium(t, ctx, chromium)
	b := &browser{t: t, base: srv.url}
	// The shop's pages allow no script to connect anywhere (its
	// Content-Security-Policy); the test's own script must.
	b.do(tab, "bypass the page's CSP", cdppage.SetBypassCSP(true))

	// The first page saves the session, so that the requests below share it
	// instead of each starting one of its own.
	b.open(tab, "/")
	b.addAtOnce(tab, "tea", "Tea")
	b.open(tab, "/cart")
	b.want(tab, "cart after concurrent adds", page{
		Who:  "Not signed in",
		Cart: []cartLine{{"tea", concurrentAdds}},
	})

	b.signIn(tab, "alice", "wonderland")
	b.addAtOnce(tab, "jam", "Strawberry jam")
	b.open(tab, "/cart")
	b.want(tab, "cart after concurrent adds, signed in", page{
		Who:  "Signed in as Alice",
		Cart: []cartLine{{"tea", concurrentAdds}, {"jam", concurrentAdds}},
	})
}

// addAtOnceJS posts concurrentAdds add-to-cart forms for the product %[1]q
// at once. fetch follows each redirect to the home page; the result is
// each final response's status and the flash messages its page shows.
const addAtOnceJS = `(async () => {
	const csrf = document.querySelector('#product-%[1]s input[name=csrf]').value;
	const post = async () => {
		const r = await fetch('/cart/add', {method: 'POST', body: new URLSearchParams({csrf, sku: '%[1]s', qty: '1'})});
		const doc = new DOMParser().parseFromString(await r.text(), 'text/html');
		return {status: r.status, flash: [...doc.querySelectorAll('#flash li')].map(e => e.textContent.trim())};
	};
	return await Promise.all(Array.from({length: %[2]d}, post));
})()`

// addAtOnce adds one of sku, whose name is name, to the cart concurrentAdds times at once from
// the shop's home page. Every request must succeed, and every request's
// flash message must be shown exactly once: on one of the pages the
// requests were redirected to, or on the next page.
func (b *browser) addAtOnce(tab context.Context, sku, name string) {
	b.t.Helper()
	b.open(tab, "/")
	var got []struct {
		Status int      `json:"status"`
		Flash  []string `json:"flash"`
	}
	b.do(tab, "post add-to-cart forms at once", chromedp.Evaluate(fmt.Sprintf(addAtOnceJS, sku, concurrentAdds), &got,
		func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
	var flash []string
	for i, r := range got {
		if r.Status != 200 {
			b.t.Errorf("add %d of %d: status %d after redirects, want 200", i+1, len(got), r.Status)
		}
		flash = append(flash, r.Flash...)
	}
	if len(got) != concurrentAdds {
		b.t.Fatalf("%d responses, want %d", len(got), concurrentAdds)
	}
	b.open(tab, "/")
	var rest []string
	b.do(tab, "read the flash", chromedp.Evaluate(`[...document.querySelectorAll('#flash li')].map(e => e.textContent.trim())`, &rest))
	flash = append(flash, rest...)
	if want := slices.Repeat([]string{"Added 1 × " + name}, concurrentAdds); !slices.Equal(flash, want) {
		b.t.Errorf("flash messages shown for %d concurrent adds: %q, want %q", concurrentAdds, flash, want)
	}
}
