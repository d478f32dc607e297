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
// declares: the structs held in the v field of the types that have a
// generated ResetFields method.
func fileSessions(f *ast.File) []string {
	views := map[string]bool{}
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Recv == nil || len(fd.Recv.List) != 1 || fd.Name.Name != "ResetFields" {
			continue
		}
		t := fd.Recv.List[0].Type
		if s, ok := t.(*ast.StarExpr); ok {
			t = s.X
		}
		if id, ok := t.(*ast.Ident); ok {
			views[id.Name] = true
		}
	}
	var out []string
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok {
			continue
		}
		for _, s := range gd.Specs {
			ts, ok := s.(*ast.TypeSpec)
			if !ok || !views[ts.Name.Name] {
				continue
			}
			st, ok := ts.Type.(*ast.StructType)
			if !ok {
				continue
			}
			for _, fl := range st.Fields.List {
				if len(fl.Names) == 1 && fl.Names[0].Name == "v" {
					if id, ok := fl.Type.(*ast.Ident); ok {
						out = append(out, id.Name)
					}
				}
			}
		}
	}
	return out
}
