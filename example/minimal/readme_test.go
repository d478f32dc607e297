package main

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestREADMEShowsThisProgram checks that README's five steps show this
// program's files as they are, so the steps cannot drift from the code a
// test runs.
func TestREADMEShowsThisProgram(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := goBlocks(string(readme))
	for _, name := range []string{"visitor.go", "main.go"} {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(blocks, string(src)) {
			t.Errorf("README shows no Go block equal to example/minimal/%s; the nearest differs (-README +file):\n%s",
				name, cmp.Diff(nearest(blocks, string(src)), string(src)))
		}
	}
}

// goBlocks returns the contents of README's ```go blocks, without the
// indentation of their fence (a block inside a list item is indented).
func goBlocks(md string) []string {
	var blocks []string
	lines := strings.SplitAfter(md, "\n")
	for i := 0; i < len(lines); i++ {
		indent, rest, ok := strings.Cut(lines[i], "```go")
		if !ok || strings.TrimSpace(indent) != "" || strings.TrimSpace(rest) != "" {
			continue
		}
		var b strings.Builder
		for i++; i < len(lines) && strings.TrimSpace(lines[i]) != "```"; i++ {
			b.WriteString(strings.TrimPrefix(lines[i], indent))
		}
		blocks = append(blocks, b.String())
	}
	return blocks
}

// nearest returns the block that shares the longest prefix with src, for
// the failure message.
func nearest(blocks []string, src string) string {
	best, bestLen := "", -1
	for _, b := range blocks {
		n := 0
		for n < len(b) && n < len(src) && b[n] == src[n] {
			n++
		}
		if n > bestLen {
			best, bestLen = b, n
		}
	}
	return best
}
