package sessiontest

import (
	"bufio"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// catalogueFile is the catalogue of behaviour ids, beside this package.
const catalogueFile = "CONFORMANCE.md"

// TestCatalogue keeps CONFORMANCE.md true: every id a test or a document
// uses is listed there; every C id listed is a case sessiontest.Run runs,
// under the name listed; every S and M id listed is named by a test.
func TestCatalogue(t *testing.T) {
	cat := readCatalogue(t, catalogueFile)
	root := moduleRoot(t)

	suite := map[string]string{}
	for _, g := range groups() {
		for _, c := range g {
			if _, dup := suite[c.id]; dup {
				t.Errorf("sessiontest has two cases with id %s", c.id)
			}
			suite[c.id] = c.name
		}
	}
	for _, id := range slices.Sorted(maps.Keys(suite)) {
		e, ok := cat[id]
		switch {
		case !ok:
			t.Errorf("sessiontest.Run runs %s_%s, which %s does not list: add a row for it", id, suite[id], catalogueFile)
		case e.name != suite[id]:
			t.Errorf("%s:%d names %s's subtest %q, but sessiontest.Run runs %s_%s", catalogueFile, e.line, id, e.name, id, suite[id])
		}
	}

	tested := testedIDs(t, root)
	for _, id := range slices.Sorted(maps.Keys(cat)) {
		if id[0] == 'C' {
			if _, ok := suite[id]; !ok {
				t.Errorf("%s:%d lists %s, which sessiontest.Run does not run", catalogueFile, cat[id].line, id)
			}
			continue
		}
		if len(tested[id]) == 0 {
			t.Errorf("%s:%d lists %s, but no test names it (as TestXnn…, in a test's doc comment, or as a subtest %q)",
				catalogueFile, cat[id].line, id, id+"_…")
		}
	}

	for id, where := range citedIDs(t, root) {
		if _, ok := cat[id]; !ok {
			t.Errorf("%s cites %s, which %s does not list", where, id, catalogueFile)
		}
	}
}

// entry is one row of the catalogue.
type entry struct {
	name string // the subtest name, for C ids
	line int
}

var (
	// rowRE matches a catalogue row: | C01 | `new_session_untouched` | …
	rowRE = regexp.MustCompile("^\\| ([CSM][0-9]{2}) \\| (?:`([a-z0-9_]+)`)?")
	// idRE finds id candidates; citations keeps those that stand alone.
	idRE = regexp.MustCompile(`[CSM][0-9]{2}`)
	// testNameRE finds an id at the start of a test function's name.
	testNameRE = regexp.MustCompile(`^Test([CSM][0-9]{2})`)
	// subtestRE finds an id at the start of a subtest or case name.
	subtestRE = regexp.MustCompile(`^([CSM][0-9]{2})[_ ]`)
)

func readCatalogue(t *testing.T, path string) map[string]entry {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("the catalogue must ship beside the suite: %v", err)
	}
	defer f.Close()
	cat := map[string]entry{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		m := rowRE.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		if prev, dup := cat[m[1]]; dup {
			t.Errorf("%s:%d lists %s again (first at line %d)", path, n, m[1], prev.line)
		}
		if m[1][0] == 'C' && m[2] == "" {
			t.Errorf("%s:%d: a C row gives its subtest name in backquotes in the second column", path, n)
		}
		cat[m[1]] = entry{name: m[2], line: n}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(cat) == 0 {
		t.Fatalf("%s lists no ids", path)
	}
	return cat
}

// moduleRoot returns the directory of the go.mod above the test's
// directory.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test directory")
		}
		dir = parent
	}
}

// walk calls fn for every file under root whose name ends in one of exts,
// skipping hidden directories.
func walk(t *testing.T, root string, fn func(path string), exts ...string) {
	t.Helper()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != root && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		for _, ext := range exts {
			if strings.HasSuffix(path, ext) {
				fn(path)
				return nil
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// testedIDs returns, for each id a test names, where: a test function named
// TestS07…, a test function whose doc comment cites the id, or a string
// literal (a subtest or table case name) starting with "S09_" or "C01 ".
func testedIDs(t *testing.T, root string) map[string][]string {
	t.Helper()
	tested := map[string][]string{}
	fset := token.NewFileSet()
	walk(t, root, func(path string) {
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			t.Errorf("parse %s: %v", path, err)
			return
		}
		rel, _ := filepath.Rel(root, path)
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv != nil || !strings.HasPrefix(fd.Name.Name, "Test") {
				continue
			}
			where := rel + " " + fd.Name.Name
			if m := testNameRE.FindStringSubmatch(fd.Name.Name); m != nil {
				tested[m[1]] = append(tested[m[1]], where)
			}
			if fd.Doc != nil {
				for _, id := range citations(fd.Doc.Text()) {
					tested[id] = append(tested[id], where)
				}
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				return true
			}
			if m := subtestRE.FindStringSubmatch(s); m != nil {
				tested[m[1]] = append(tested[m[1]], rel+" "+strconv.Quote(s))
			}
			return true
		})
	}, "_test.go")
	return tested
}

// citedIDs returns every id cited in the module's Go files and Markdown
// documents, the catalogue's own prose and headings included, with the
// first place citing it.
func citedIDs(t *testing.T, root string) map[string]string {
	t.Helper()
	cited := map[string]string{}
	walk(t, root, func(path string) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(root, path)
		for n, line := range strings.Split(string(data), "\n") {
			for _, id := range citations(line) {
				if _, seen := cited[id]; !seen {
					cited[id] = rel + ":" + strconv.Itoa(n+1)
				}
			}
		}
	}, ".go", ".md")
	return cited
}

// citations returns the ids s cites in prose, comments, strings and
// identifiers: "C17", "(S11)", both ends of "C01–C10", "C07_update",
// "TestM07Vary", but not "xC17" or "C17a".
func citations(s string) []string {
	var ids []string
	for _, loc := range idRE.FindAllStringIndex(s, -1) {
		start, end := loc[0], loc[1]
		before := start == 0 || !isAlnum(s[start-1]) || strings.HasSuffix(s[:start], "Test")
		after := end == len(s) || !(s[end] >= 'a' && s[end] <= 'z' || s[end] >= '0' && s[end] <= '9')
		if before && after {
			ids = append(ids, s[start:end])
		}
	}
	return ids
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
