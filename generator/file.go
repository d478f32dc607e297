package generator

import (
	"bytes"
	"fmt"
	"go/build/constraint"
	"go/types"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/tools/imports"
)

// fileGen writes one output file.
type fileGen struct {
	b       strings.Builder // the code after the imports
	pkgPath string
	pkgName string
	scope   *types.Scope
	// imports maps the path of each package the file imports to the name
	// it imports it under; pkgNames to the package's own name.
	imports, pkgNames map[string]string
	// taken are the names locals must not use (see local); locals maps a
	// local's name to the one it gets.
	taken    map[string]bool
	locals   map[string]string
	declared map[string]bool // package-level names of all the package's files
}

func (g *fileGen) printf(format string, args ...any) { fmt.Fprintf(&g.b, format, args...) }

// outFile is what one output file holds.
type outFile struct {
	path     string
	sessions []*structModel
	nested   []*structModel // structs whose methods this file declares
}

// render produces the formatted source of one output file.
func (r *run) render(of *outFile) ([]byte, error) {
	g := &fileGen{
		pkgPath:  r.pkg.Path(),
		pkgName:  r.pkg.Name(),
		scope:    r.pkg.Scope(),
		imports:  map[string]string{},
		pkgNames: map[string]string{},
		taken:    r.taken,
		declared: r.declared,
		locals:   map[string]string{},
	}
	for _, m := range of.sessions {
		schema, err := r.schema(m)
		if err != nil {
			return nil, err
		}
		if err := g.view(m, schema); err != nil {
			return nil, err
		}
	}
	for _, m := range append(append([]*structModel{}, of.sessions...), of.nested...) {
		if !m.custom {
			if err := g.structCodec(m, slices.Contains(of.sessions, m)); err != nil {
				return nil, err
			}
		}
		if structNeedsCopy(m, map[*structModel]bool{}) {
			g.cloneFunc(m)
		}
		g.guard(m)
	}

	header, err := r.header(of)
	if err != nil {
		return nil, err
	}
	var src bytes.Buffer
	src.WriteString(header)
	src.WriteString("\n")
	if c := r.constraint(of); c != "" {
		src.WriteString(c + "\n\n")
	}
	fmt.Fprintf(&src, "package %s\n\n%s\n%s", r.pkg.Name(), g.importBlock(), g.b.String())
	// FormatOnly: gofmt, plus the standard library's imports grouped apart
	// from the others, as goimports (and people) lay them out; no import is
	// added or removed.
	out, err := imports.Process(of.path, src.Bytes(), &imports.Options{
		Comments: true, TabIndent: true, TabWidth: 8, FormatOnly: true,
	})
	if err != nil {
		return nil, fmt.Errorf("format %s: %w\n%s", of.path, err, src.Bytes())
	}
	return out, nil
}

// helperPrefix derives the prefix of a file's unexported helpers from its
// first session type: Visitor gives visitor, URLState gives urlState. The
// prefix always starts with a lower-case letter, so the helpers stay
// unexported whatever the type's name (Ünicode gives ünicode).
func helperPrefix(typeName string) string {
	r := []rune(typeName)
	for i := 0; i < len(r); i++ {
		if i > 0 && i+1 < len(r) && unicode.IsUpper(r[i]) && unicode.IsLower(r[i+1]) {
			break
		}
		if !unicode.IsUpper(r[i]) {
			break
		}
		r[i] = unicode.ToLower(r[i])
	}
	if len(r) > 0 && !unicode.IsLower(r[0]) && r[0] != '_' {
		return "x" + string(r) // a letter with no lower case
	}
	return string(r)
}

func isUpper(r rune) bool { return r >= 'A' && r <= 'Z' }
func toLower(r rune) rune { return r - 'A' + 'a' }
func isLower(r rune) bool { return r >= 'a' && r <= 'z' || r >= utf8.RuneSelf }
func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// snakeCase spells a type name as a file name: lower snake case, in ASCII
// (a non-ASCII letter becomes u and its code point in hex: Ünicode gives
// u00dcnicode), so the name is safe on every file system and in every tool.
func snakeCase(s string) string {
	var b strings.Builder
	r := []rune(s)
	for i, c := range r {
		switch {
		case c >= utf8.RuneSelf:
			fmt.Fprintf(&b, "u%04x", c)
			continue
		case isUpper(c):
			if i > 0 && (isLower(r[i-1]) || isDigit(r[i-1]) || i+1 < len(r) && isLower(r[i+1])) {
				b.WriteByte('_')
			}
			c = toLower(c)
		}
		b.WriteRune(c)
	}
	return b.String()
}

// constraint combines the build constraints of the files that declare the
// types in of, from their //go:build lines and their names, so the output
// builds exactly when its inputs do.
func (r *run) constraint(of *outFile) string {
	var exprs []constraint.Expr
	for _, m := range append(append([]*structModel{}, of.sessions...), of.nested...) {
		exprs = append(exprs, r.fileConstraints(m)...)
	}
	x := and(exprs)
	if x == nil {
		return ""
	}
	return "//go:build " + x.String()
}
