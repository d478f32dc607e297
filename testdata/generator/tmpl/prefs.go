// Package tmpl overrides the header and Markdown document templates with
// -templates; the schema template falls back to the embedded one.
package tmpl

// Prefs is the session.
type Prefs struct {
	Lang string `session:"lang"` // the UI language
}
