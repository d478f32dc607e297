package cookiestore_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store/cookiestore"
)

// The session lives in the cookie; the Manager sees that the store is
// client-side and sends the sealed session as the cookie value.
func ExampleNew() {
	secret := os.Getenv("SESSION_SECRET") // e.g. from `openssl rand -base64 48`
	if secret == "" {
		secret = "example-secret-do-not-use-0123456789abcdef"
	}
	cs, err := cookiestore.New(cookiestore.Config{
		Secret: secret,
		MaxAge: 14 * 24 * time.Hour, // no cookie older than this is accepted
	})
	if err != nil {
		log.Fatal(err)
	}
	m, err := session.NewManager(session.Config{
		Store:  cs,
		Secret: secret, // the same secret is fine: keys are derived per purpose
		Cookie: session.Cookie{Secure: true},
	})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	_ = m.Handler(mux) // serve this
	fmt.Println("ready")
	// Output: ready
}

func ExampleNew_shortSecret() {
	_, err := cookiestore.New(cookiestore.Config{Secret: "hunter2"})
	fmt.Println(err != nil)
	// Output: true
}

func ExampleErrTooLarge() {
	cs, err := cookiestore.New(cookiestore.Config{Secret: "example-secret-do-not-use-0123456789abcdef"})
	if err != nil {
		log.Fatal(err)
	}
	_, err = cs.Seal(context.Background(), make([]byte, 5000), time.Now().Add(time.Hour))
	fmt.Println(errors.Is(err, cookiestore.ErrTooLarge))
	fmt.Println(err)
	// Output:
	// true
	// cookiestore: session too large for a cookie: the sealed session would be 6728 bytes, over the 4096 a cookie can hold; keep less in the session or use a server-side store
}
