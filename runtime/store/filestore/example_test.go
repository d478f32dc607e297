package filestore_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/typedsession/typedsession/runtime/store/filestore"
)

func Example() {
	dir, err := os.MkdirTemp("", "sessions")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	st, err := filestore.New(dir)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	key := "abcdefgh12345678abcdefgh12345678"
	if err := st.Save(ctx, key, []byte("payload"), time.Now().Add(time.Hour), true); err != nil {
		log.Fatal(err)
	}
	data, found, err := st.Load(ctx, key)
	fmt.Println(string(data), found, err)

	// A key that could name a path outside dir is never used as one.
	_, found, err = st.Load(ctx, "../../etc/passwd")
	fmt.Println(found, err)
	// Output:
	// payload true <nil>
	// false <nil>
}

func ExampleNew_missingDirectory() {
	_, err := filestore.New("/nonexistent/sessions")
	fmt.Println(err)
	// Output:
	// filestore: directory /nonexistent/sessions does not exist: create it (e.g. mkdir -m 700 /nonexistent/sessions) or configure another
}
