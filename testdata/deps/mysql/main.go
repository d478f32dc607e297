// Command mysql is the smallest program with sessions in MySQL. A test
// (runtime/store/deps_test.go) checks which packages it links.
package main

import (
	"context"
	"database/sql"
	"log"
	"net/http"
	"os"

	_ "github.com/go-sql-driver/mysql"

	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store/sqlstore"
)

func main() {
	ctx := context.Background()
	db, err := sql.Open("mysql", os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	st, err := sqlstore.New(db, sqlstore.Config{})
	if err != nil {
		log.Fatal(err)
	}
	if err := st.CreateTable(ctx); err != nil {
		log.Fatal(err)
	}
	mgr, err := session.NewManager(session.Config{Store: st, Secret: os.Getenv("TYPEDSESSION_SECRET")})
	if err != nil {
		log.Fatal(err)
	}
	log.Fatal(http.ListenAndServe("127.0.0.1:8080", mgr.Handler(http.NotFoundHandler())))
}
