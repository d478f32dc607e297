// Command sessiongen generates typed session accessors and reflection-free
// msgpack codecs for annotated Go structs. Run it from go generate:
//
//	//go:generate go tool sessiongen -type Visitor
//
// See the -h output for the flags.
package main

import (
	"errors"
	"flag"
	"fmt"
	"go/scanner"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"unicode"

	"github.com/typedsession/typedsession/generator"
)

const usage = `sessiongen generates typed session accessors and a reflection-free msgpack
codec for session structs.

Usage:

	sessiongen [flags] [dir]

dir is the package directory (default: the current directory, which is
where go generate runs it). Install it as a tool of your module:

	go get -tool github.com/typedsession/typedsession/cmd/sessiongen

and put a line like this above the struct:

	//go:generate go tool sessiongen -type Visitor

Flags:
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sessiongen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		typeList = fs.String("type", "", "comma-separated session struct names, e.g. -type Visitor,Admin.\nWithout it, every struct whose doc comment has a //sessiongen:session line.")
		output   = fs.String("output", "", "output file, e.g. -output session_gen.go (all types go into it).\nDefault: one file per type, <type>_session.go in lower snake case (visitor_session.go).")
		tags     = fs.String("tags", "", "comma-separated build tags for loading the package, e.g. -tags integration,linux.\nThe input files' //go:build lines are carried into the output either way.")
		doc      = fs.Bool("doc", false, "also write a Markdown schema document beside each generated Go file, named like it\n(visitor_session.md; x.md for -output x.go): each key with its Go field, Go type,\nnested structs and doc comment. Off by default, so no package gets a file it did\nnot ask for. E.g. //go:generate go tool sessiongen -type Visitor -doc")
		version  = fs.Bool("version", false, "print the version and exit")
	)
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *version {
		fmt.Fprintln(stdout, "sessiongen", buildVersion())
		return 0
	}
	if fs.NArg() > 1 {
		fmt.Fprintln(stderr, "sessiongen: at most one package directory")
		fs.Usage()
		return 2
	}
	cfg := generator.Config{
		Dir:     fs.Arg(0),
		Types:   split(*typeList),
		Output:  *output,
		Tags:    split(*tags),
		Command: command(args),
		Doc:     *doc,
	}
	files, err := generator.Generate(cfg)
	if err == nil {
		err = generator.Write(files)
	}
	if err != nil {
		report(stderr, err)
		return 1
	}
	return 0
}

// report prints err with one "sessiongen: file:line:col: message" line for
// each problem of a scanner.ErrorList, so that editors can jump to each.
func report(w io.Writer, err error) {
	var b strings.Builder
	scanner.PrintError(&b, err)
	for line := range strings.Lines(b.String()) {
		fmt.Fprint(w, "sessiongen: ", line)
	}
}

func split(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// command is the command line recorded in the generated header: the same
// arguments always give the same header, whichever way the tool was run.
func command(args []string) string {
	parts := []string{"sessiongen"}
	for _, a := range args {
		if a == "" || strings.ContainsFunc(a, needsQuote) {
			a = strconv.Quote(a)
		}
		parts = append(parts, a)
	}
	return strings.Join(parts, " ")
}

// needsQuote reports whether an argument holding r must be quoted to read
// back as one word on one line.
func needsQuote(r rune) bool {
	return unicode.IsSpace(r) || !unicode.IsPrint(r) || strings.ContainsRune(`"'\`, r)
}

func buildVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Path == "github.com/typedsession/typedsession" && bi.Main.Version != "" {
			return bi.Main.Version
		}
		for _, d := range bi.Deps {
			if d.Path == "github.com/typedsession/typedsession" {
				return d.Version
			}
		}
	}
	return "(devel)"
}
