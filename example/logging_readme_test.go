package main

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestLoadOutcomesDocumented checks that README lists exactly the values
// the request log's session.load can take.
func TestLoadOutcomesDocumented(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	// The sentence runs from "`session.load` is" to the first ";".
	_, rest, ok := strings.Cut(string(readme), "`session.load` is ")
	if !ok {
		t.Fatal("README has no sentence starting \"`session.load` is\"")
	}
	sentence, _, _ := strings.Cut(rest, ";")
	sentence = regexp.MustCompile(`\([^)]*\)`).ReplaceAllString(sentence, "") // the explanations
	var documented []string
	for _, m := range regexp.MustCompile("`([^`]+)`").FindAllStringSubmatch(sentence, -1) {
		documented = append(documented, m[1])
	}
	want := slices.Clone(loadOutcomes)
	slices.Sort(documented)
	slices.Sort(want)
	if diff := cmp.Diff(want, documented); diff != "" {
		t.Errorf("README's session.load values differ from loadOutcomes (-code +README):\n%s", diff)
	}
}

// TestLoadOutcomeWithoutRead checks the two values logged when no handler
// reads the session.
func TestLoadOutcomeWithoutRead(t *testing.T) {
	ts := newTestShop(t, nil)
	c := ts.client(t)
	if res := c.get("/static/style.css"); res.code != 200 {
		t.Fatalf("GET /static/style.css: status %d", res.code)
	}
	wantLog(t, ts.logs, "path=/static/style.css", "session.load="+loadNone)
	c.get("/") // gets a session cookie
	if c.sessionKey() == "" {
		t.Fatal("GET / set no session cookie")
	}
	c.get("/static/style.css")
	wantLog(t, ts.logs, "path=/static/style.css", `session.load="`+loadNotRead+`"`)
}
