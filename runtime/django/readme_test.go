package django

import (
	"os"
	"strings"
	"testing"
)

// TestREADMEShowsExample checks that README's "Sharing sessions with
// Django" shows the body of Example (example_test.go) as it is, so the
// README cannot drift from code that compiles.
func TestREADMEShowsExample(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("example_test.go")
	if err != nil {
		t.Fatal(err)
	}
	_, body, ok := strings.Cut(string(src), "func Example() {\n")
	body, _, ok2 := strings.Cut(body, "\n}\n")
	if !ok || !ok2 {
		t.Fatal("example_test.go has no func Example")
	}
	var want strings.Builder
	for _, line := range strings.Split(body, "\n") {
		want.WriteString(strings.TrimPrefix(line, "\t") + "\n")
	}
	if !strings.Contains(string(readme), "```go\n"+want.String()+"```\n") {
		t.Errorf("README.md shows no Go block equal to the body of Example in runtime/django/example_test.go:\n%s", want.String())
	}
}
