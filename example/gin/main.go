// Command gin is typedsession under gin: a visit counter, sign-in and
// sign-out, with the session in memory.
//
//	cd example/gin && TYPEDSESSION_SECRET="$(openssl rand -base64 48)" go run .
package main

import (
	"crypto/rand"
	"flag"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store/memstore"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
	flag.Parse()
	log := slog.Default()
	secret := os.Getenv("TYPEDSESSION_SECRET")
	if secret == "" {
		secret = rand.Text() + rand.Text() // every restart signs everyone out
		log.Warn("TYPEDSESSION_SECRET is not set; using a random secret for this run")
	}
	m, err := session.NewManager(session.Config{
		Store:  memstore.New(),
		Secret: secret,
		Cookie: session.Cookie{Secure: false}, // true behind HTTPS
		Logger: log,
	})
	if err != nil {
		log.Error("session manager", "err", err)
		os.Exit(1)
	}
	gin.SetMode(gin.ReleaseMode)
	srv := &http.Server{Addr: *addr, Handler: newServer(m, newRouter()), ReadHeaderTimeout: 10 * time.Second}
	log.Info("listening", "addr", "http://"+*addr)
	if err := srv.ListenAndServe(); err != nil {
		log.Error("server", "err", err)
		os.Exit(1)
	}
}
