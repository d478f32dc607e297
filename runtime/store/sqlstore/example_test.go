package sqlstore_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/typedsession/typedsession/runtime/store/sqlstore"
	"github.com/typedsession/typedsession/runtime/store/sqlstore/sqlite"
)

func Example() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "sessions")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	db, err := sqlite.Open(ctx, filepath.Join(dir, "sessions.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	st, err := sqlstore.New(db, sqlstore.Config{Table: "sessions"})
	if err != nil {
		log.Fatal(err)
	}
	if err := st.CreateTable(ctx); err != nil {
		log.Fatal(err)
	}

	// The session package normally does this: payloads are signed bytes.
	key := "abcdefgh12345678abcdefgh12345678"
	if err := st.Save(ctx, key, []byte("payload"), time.Now().Add(time.Hour), true); err != nil {
		log.Fatal(err)
	}
	data, found, err := st.Load(ctx, key)
	fmt.Println(string(data), found, err)

	// An expired row is never returned, and ClearExpired removes it.
	st.Save(ctx, "expired0expired0", []byte("old"), time.Now().Add(-time.Hour), true)
	n, err := st.ClearExpired(ctx)
	fmt.Println(n, err)
	// Output:
	// payload true <nil>
	// 1 <nil>
}
