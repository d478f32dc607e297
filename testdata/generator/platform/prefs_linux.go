//go:build !typedsession_exclude

// Package platform declares its session type in a file whose name limits
// it to Linux; the generated file must say so in its //go:build line, as
// its own name does not.
package platform

// Prefs is a session kept only on Linux builds.
type Prefs struct {
	Theme string `session:"theme"`
}
