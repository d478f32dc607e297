package main

import (
	"bytes"
	"errors"
	"go/scanner"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestRun(t *testing.T) {
	errCase := filepath.Join("..", "..", "testdata", "generator", "err_chan")
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string // substring of stdout+stderr
	}{
		{"version", []string{"-version"}, 0, "sessiongen "},
		{"help", []string{"-h"}, 0, "-type string"},
		{"help doc", []string{"-h"}, 0, "-doc\n    \talso write a Markdown schema document"},
		{"bad flag", []string{"-nope"}, 2, "flag provided but not defined"},
		{"two dirs", []string{"a", "b"}, 2, "at most one package directory"},
		{"refused field", []string{"-type", "S", errCase}, 1, "input.go:6:2: field S.Ch: channel type chan int"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tt.args, &stdout, &stderr)
			out := stdout.String() + stderr.String()
			if code != tt.wantCode || !strings.Contains(out, tt.wantOut) {
				t.Errorf("run(%q) = %d, output %q; want %d and output containing %q", tt.args, code, out, tt.wantCode, tt.wantOut)
			}
		})
	}
}

// TestReport checks each problem gets a line of its own, prefixed, so an
// editor can jump to each file:line:col.
func TestReport(t *testing.T) {
	var list scanner.ErrorList
	list.Add(token.Position{Filename: "a.go", Line: 3, Column: 2}, "first")
	list.Add(token.Position{Filename: "b.go", Line: 1, Column: 1}, "second")
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"list", list, "sessiongen: a.go:3:2: first\nsessiongen: b.go:1:1: second\n"},
		{"other", errors.New("load x: no Go package found"), "sessiongen: load x: no Go package found\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			report(&b, tt.err)
			if diff := cmp.Diff(tt.want, b.String()); diff != "" {
				t.Errorf("report (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCommand checks the header records the arguments reproducibly.
// Arguments with spaces, quotes or line breaks are quoted, so the header
// keeps the command on one comment line.
func TestCommand(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-type", "A,B", "-output", "my file.go"}, `sessiongen -type A,B -output "my file.go"`},
		{[]string{"-type", "A\npackage x"}, `sessiongen -type "A\npackage x"`},
		{[]string{"-tags", ""}, `sessiongen -tags ""`},
	}
	for _, tt := range tests {
		if got := command(tt.args); got != tt.want {
			t.Errorf("command(%q) = %q, want %q", tt.args, got, tt.want)
		}
	}
}

// cartCase is a golden case of the generator: a package whose generated
// files (cart_session.go and, with its args' -doc, cart_session.md) are
// up to date.
var cartCase = filepath.Join("..", "..", "testdata", "generator", "cart")

// cartArgs returns the arguments the golden files were generated with.
func cartArgs(t *testing.T) []string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(cartCase, "args"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Fields(string(raw))
}

// TestUnchangedFileNotRewritten runs the tool as go generate does, in the
// package directory of a golden case whose output is up to date.
func TestUnchangedFileNotRewritten(t *testing.T) {
	args := cartArgs(t)
	t.Chdir(cartCase)
	paths := []string{"cart_session.go", "cart_session.md"}
	before := map[string]time.Time{}
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		before[p] = fi.ModTime()
	}
	var stderr bytes.Buffer
	if code := run(args, &bytes.Buffer{}, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if !fi.ModTime().Equal(before[p]) {
			t.Errorf("the unchanged %s was rewritten", p)
		}
	}
}

// TestDocFlag runs the tool in a copy of the cart case: with -doc it
// writes the golden document beside the golden Go file, without it none.
func TestDocFlag(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(cartCase, "cart.go"))
	if err != nil {
		t.Fatal(err)
	}
	args := cartArgs(t)
	if !slices.Contains(args, "-doc") {
		t.Fatalf("%s/args = %q, want -doc among them", cartCase, args)
	}
	tests := []struct {
		name  string
		args  []string
		want  []string // generated files, compared with the case's goldens
		wantN string   // a file that must not exist
	}{
		{"doc", args, []string{"cart_session.go", "cart_session.md"}, ""},
		{"no doc", slices.DeleteFunc(slices.Clone(args), func(a string) bool { return a == "-doc" }), []string{"cart_session.go"}, "cart_session.md"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, err := os.MkdirTemp(filepath.Dir(cartCase), "tmp-cmd-")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.RemoveAll(dir) })
			if err := os.WriteFile(filepath.Join(dir, "cart.go"), src, 0o644); err != nil {
				t.Fatal(err)
			}
			var stderr bytes.Buffer
			if code := run(append(slices.Clone(tt.args), dir), &bytes.Buffer{}, &stderr); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			for _, name := range tt.want {
				got, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil {
					t.Fatal(err)
				}
				golden, err := os.ReadFile(filepath.Join(cartCase, name))
				if err != nil {
					t.Fatal(err)
				}
				// The command line differs from the golden's by the directory.
				want := strings.ReplaceAll(string(golden), "sessiongen "+strings.Join(args, " "), "sessiongen "+strings.Join(append(slices.Clone(tt.args), dir), " "))
				if diff := cmp.Diff(want, string(got)); diff != "" {
					t.Errorf("%s differs from the golden (-want +got):\n%s", name, diff)
				}
			}
			if tt.wantN != "" {
				if _, err := os.Stat(filepath.Join(dir, tt.wantN)); err == nil {
					t.Errorf("%s was written without -doc", tt.wantN)
				}
			}
		})
	}
}
