// Command minimal is the smallest complete typedsession program: one
// handler that counts each browser's visits, with sessions kept in memory.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"

	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store/memstore"
)

func main() {
	// At least 32 bytes, e.g. export TYPEDSESSION_SECRET="$(openssl rand -base64 48)"
	app, err := newApp(os.Getenv("TYPEDSESSION_SECRET"))
	if err != nil {
		log.Fatal(err)
	}
	log.Print("listening on http://127.0.0.1:8080")
	log.Fatal(http.ListenAndServe("127.0.0.1:8080", app))
}

// newApp returns the handler of the whole app: the session middleware
// around one route.
func newApp(secret string) (http.Handler, error) {
	sessions, err := session.NewManager(session.Config{
		Store:  memstore.New(), // or sqlstore, redisstore, ... (see Stores)
		Secret: secret,
	})
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", count)
	return sessions.Handler(mux), nil
}

func count(w http.ResponseWriter, r *http.Request) {
	s, err := VisitorFrom(r) // the one call that can fail: it reads the store
	if err != nil {
		http.Error(w, "sessions are unavailable, try again later", http.StatusInternalServerError)
		return
	}
	s.ModifyVisits(func(n *int64) { *n++ }) // before writing the response; concurrent visits add up
	fmt.Fprintf(w, "visit %d\n", s.Visits())
}
