package session_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store/memstore"
)

// A sign-in in two requests, with Django's cookie check: the form sets a
// test cookie in the session, and the sign-in refuses a browser that did
// not send the session cookie back. The data of a real application would
// be in a generated view (CartFrom(r) and the like); the whole-session
// operations shown here are the same on it.
func Example() {
	sessions, err := session.NewManager(session.Config{
		Store:  memstore.New(),
		Secret: "example-secret-do-not-use-0123456789abcdef", // in production: from the environment
	})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /signin", func(w http.ResponseWriter, r *http.Request) {
		s, err := session.FromContext(r.Context())
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		s.SetTestCookie() // before writing: the session is saved when the header goes out
		fmt.Fprintln(w, "the sign-in form")
	})
	mux.HandleFunc("POST /signin", func(w http.ResponseWriter, r *http.Request) {
		s, err := session.FromContext(r.Context())
		if err == nil {
			err = s.Load(r.Context()) // a generated XxxFrom(r) loads by itself
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		if !s.TestCookieWorked() {
			http.Error(w, "please enable cookies", http.StatusForbidden)
			return
		}
		s.DeleteTestCookie()
		// A new key at sign-in, so that a key planted before it is worthless.
		if err := s.Cycle(r.Context()); err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "signed in")
	})
	app := sessions.Handler(mux)

	// The browser: it fetches the form, then posts it with the cookie it got.
	form := serve(app, httptest.NewRequest("GET", "/signin", nil))
	fmt.Print(form.Body)
	post := httptest.NewRequest("POST", "/signin", nil)
	formCookie := form.Result().Cookies()[0]
	post.AddCookie(formCookie)
	signedIn := serve(app, post)
	fmt.Print(signedIn.Body)
	fmt.Println("new key:", signedIn.Result().Cookies()[0].Value != formCookie.Value)

	// A browser that sends no cookie back is refused.
	fmt.Print(serve(app, httptest.NewRequest("POST", "/signin", nil)).Body)
	// Output:
	// the sign-in form
	// signed in
	// new key: true
	// please enable cookies
}

func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// Outside HTTP (a job, a command, a test), Open and Save do what the
// middleware does for a request. A server-side store keeps the session
// under StoreKey of its key, never under the key itself.
func ExampleManager_Open() {
	st := memstore.New()
	sessions, err := session.NewManager(session.Config{
		Store:  st,
		Secret: "example-secret-do-not-use-0123456789abcdef",
	})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	s := sessions.Open("") // no key: a new session
	s.SetExpiry(session.AtBrowserClose)
	if err := s.Save(ctx); err != nil { // draws the key
		log.Fatal(err)
	}
	hashed, _ := st.Exists(ctx, session.StoreKey(s.Key()))
	inClear, _ := st.Exists(ctx, s.Key())
	fmt.Println("under StoreKey(key):", hashed, "under key:", inClear)

	again := sessions.Open(s.Key())
	if err := again.Load(ctx); err != nil {
		log.Fatal(err)
	}
	fmt.Println("expires at browser close:", again.ExpireAtBrowserClose())
	// Output:
	// under StoreKey(key): true under key: false
	// expires at browser close: true
}
