package generator

import (
	"bufio"
	"bytes"
	"go/ast"
	"path"
	"strings"
)

// The session types of a package are not only those of the current run:
// other //go:generate lines, or earlier runs, generate others. sessiongen
// needs to know them all so that each run, whatever the order of the runs
// and however the types are split across them, gives every struct one key
// set and declares each method exactly once: a session type's codec lives
// in its own output file, and a struct that only other structs store goes
// where every run agrees it goes (see plan).

// knownSession is a session type of the package and the file its run
// writes.
type knownSession struct {
	name string
	path string // absolute output path
}

// generateLine is a //go:generate line that runs sessiongen on the package.
type generateLine struct {
	types  []string // empty: the //sessiongen:session structs
	output string   // -output, relative to the package directory; "" for the default
}

// sessiongenLines returns the //go:generate lines of src that run sessiongen
// on the package in the file's own directory.
func sessiongenLines(src []byte) []generateLine {
	var out []generateLine
	sc := bufio.NewScanner(bytes.NewReader(src))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		rest, ok := strings.CutPrefix(line, "//go:generate ")
		if !ok {
			continue
		}
		if g, ok := parseGenerateLine(strings.Fields(rest)); ok {
			out = append(out, g)
		}
	}
	return out
}

// parseGenerateLine reads sessiongen's flags from the words of a
// //go:generate command such as "go tool sessiongen -type Visitor -doc" or
// "go run example.com/x/cmd/sessiongen@v1 -type=A,B". ok is false when the
// command is not sessiongen or names another package directory.
func parseGenerateLine(words []string) (g generateLine, ok bool) {
	start := -1
	for i, w := range words {
		w, _, _ = strings.Cut(w, "@")
		if path.Base(w) == "sessiongen" {
			start = i + 1
			break
		}
	}
	if start < 0 {
		return g, false
	}
	args := words[start:]
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") {
			if a != "." && a != "./" {
				return g, false // another directory
			}
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		switch name {
		case "type", "output", "tags":
			if !hasValue && i+1 < len(args) {
				i++
				value = args[i]
			}
		}
		switch name {
		case "type":
			g.types = split(value)
		case "output":
			g.output = value
		}
	}
	return g, true
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

// fileSessions returns the session types whose views a generated file
// declares: T for each method Update(fn func(*T)) with a receiver, which
// sessiongen generates for every view (and always has).
func fileSessions(f *ast.File) []string {
	var out []string
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Recv == nil || fd.Name.Name != "Update" || len(fd.Type.Params.List) != 1 {
			continue
		}
		fn, ok := fd.Type.Params.List[0].Type.(*ast.FuncType)
		if !ok || len(fn.Params.List) != 1 {
			continue
		}
		if p, ok := fn.Params.List[0].Type.(*ast.StarExpr); ok {
			if id, ok := p.X.(*ast.Ident); ok {
				out = append(out, id.Name)
			}
		}
	}
	return out
}
