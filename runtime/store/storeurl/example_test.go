package storeurl_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/typedsession/typedsession/runtime/store/storeurl"
)

func ExampleOpen() {
	dir, err := os.MkdirTemp("", "app")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	// In an application the URL comes from configuration, e.g.
	// os.Getenv("SESSION_STORE").
	url := "sqlite://" + filepath.Join(dir, "sessions.db") + "?table=sessions"
	st, closer, err := storeurl.Open(context.Background(), url, storeurl.Options{CreateTable: true})
	if err != nil {
		log.Fatal(err)
	}
	defer closer.Close()
	n, err := st.ClearExpired(context.Background())
	fmt.Println(n, err)

	_, _, err = storeurl.Open(context.Background(), "mongodb://db/app", storeurl.Options{})
	fmt.Println(err)
	// Output:
	// 0 <nil>
	// storeurl: unknown store "mongodb://db/app": the scheme must be one of cookie, file, memory, mysql, postgres, postgresql, redis, redis+cluster, redis+sentinel, rediss, rediss+cluster, rediss+sentinel, sqlite
}
