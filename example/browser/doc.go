// Package browser holds the real-browser test of the example shop: it
// builds the shop, runs it as a process and drives it with headless
// Chromium through chromedp.
//
// It is a module of its own so that chromedp is not a requirement of
// typedsession's module: run it with `go test ./...` in this directory
// (.ci/run does). The test skips when no Chromium is installed.
package browser
