// Package alias stores types of another package that are unexported but
// exported through aliases, which generated code can name.
package alias

import "github.com/typedsession/typedsession/testdata/generator/alias/ext"

// Prefs is the session.
type Prefs struct {
	Box   ext.Exposed `session:"box"`
	Level ext.Level   `session:"level"`
}
