package main

import (
	"os"
	"testing"
)

// serveEnv, set to 1, makes the test binary be the shop instead of running
// tests: the browser test starts it that way as a separate process, so it
// can stop and restart a real server process without building one.
const serveEnv = "TYPEDSESSION_EXAMPLE_SERVE"

func TestMain(m *testing.M) {
	if os.Getenv(serveEnv) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}
