// Command memory is the smallest program with sessions in memory. A test
// (runtime/store/deps_test.go) checks which packages it links.
package main

import (
	"log"
	"net/http"
	"os"

	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store/memstore"
)

func main() {
	mgr, err := session.NewManager(session.Config{Store: memstore.New(), Secret: os.Getenv("TYPEDSESSION_SECRET")})
	if err != nil {
		log.Fatal(err)
	}
	log.Fatal(http.ListenAndServe("127.0.0.1:8080", mgr.Handler(http.NotFoundHandler())))
}
