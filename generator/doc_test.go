package generator

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const oneField = "package one\n\n// S is the session.\ntype S struct {\n\tA int `session:\"a\"`\n}\n"

// paths lists the base names of files.
func paths(files []File) []string {
	var out []string
	for _, f := range files {
		out = append(out, filepath.Base(f.Path))
	}
	return out
}

// TestDocFiles checks which files a run produces with and without Doc, and
// that the document is named after the Go file.
func TestDocFiles(t *testing.T) {
	dir := tempCase(t, map[string]string{"one.go": oneField})
	tests := []struct {
		name string
		cfg  Config
		want []string
	}{
		{"off", Config{Dir: dir, Types: []string{"S"}}, []string{"s_session.go"}},
		{"on", Config{Dir: dir, Types: []string{"S"}, Doc: true}, []string{"s_session.go", "s_session.md"}},
		{"output", Config{Dir: dir, Types: []string{"S"}, Output: "gen.go", Doc: true}, []string{"gen.go", "gen.md"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files, err := Generate(tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, paths(files)); diff != "" {
				t.Errorf("files (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDocNotOverwritten checks a hand-written Markdown file in the way of
// the document stops the run, while an earlier document is replaced.
func TestDocNotOverwritten(t *testing.T) {
	tests := []struct {
		name, old, wantErr string
	}{
		{"hand-written", "# Notes on S\n", "s_session.md: the file exists and was not written by sessiongen"},
		{"generated earlier", docLine + "\n\nold\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := tempCase(t, map[string]string{"one.go": oneField, "s_session.md": tt.old})
			files, err := Generate(Config{Dir: dir, Types: []string{"S"}, Doc: true})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to mention %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if err := Write(files); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(filepath.Join(dir, "s_session.md"))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(got), "| `a` | `A` | `int` |") {
				t.Errorf("the earlier document was not replaced:\n%s", got)
			}
		})
	}
}

func TestMarkdownText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain words, 0 for none.", "plain words, 0 for none."},
		{`"a" | "b"`, `"a" \| "b"`},
		{"<b>&amp; *x* [l](u) ~~s~~", `\<b>\&amp; \*x\* \[l](u) \~\~s\~\~`},
		{"_y_ and __z__ but snake_case.go", `\_y\_ and \_\_z\_\_ but snake_case.go`},
		{"run `go generate` first", "run `go generate` first"},
		{"# not a heading", `\# not a heading`},
		{"- not a list - really", `\- not a list - really`},
		{`C:\dir`, `C:\\dir`},
		{"Grüße_für", "Grüße_für"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := markdownText(tt.in); got != tt.want {
			t.Errorf("markdownText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestAnchor(t *testing.T) {
	tests := []struct{ in, want string }{
		{"CartLine", "cartline"},
		{"Nested structs", "nested-structs"},
		{"URL_State", "url_state"},
		{"Größe", "größe"},
		{"A.B (c)", "ab-c"},
	}
	for _, tt := range tests {
		if got := anchor(tt.in); got != tt.want {
			t.Errorf("anchor(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWrapLines(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"short", "a b c", "a b c"},
		{"paragraph", "one two three four five", "one two\nthree four\nfive"},
		{"list item", "  - k: K, int. a b c d", "  - k: K,\n    int. a\n    b c d"},
		{"long word", "abcdefghijklmnop q", "abcdefghijklmnop\nq"},
		{"lines kept", "a\n\nb", "a\n\nb"},
		{"within the limit", "one two three", "one two three"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			limit := 10
			if tc.name == "within the limit" {
				limit = 13
			}
			if got := wrapLines(tc.in, 10, limit); got != tc.want {
				t.Errorf("wrapLines(%q, 10, %d) =\n%s\nwant\n%s", tc.in, limit, got, tc.want)
			}
		})
	}
}
