package signing

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// A MAC compared with bytes.Equal leaks, through timing, how many leading
// bytes of a forgery were right. Timing cannot be measured reliably in a
// test, so this one reads the package's source instead: MACs are compared
// only with hmac.Equal, and every verifying function goes through the one
// helper that does so.
func TestConstantTimeCompare(t *testing.T) {
	calls := packageCalls(t)
	for fn, cs := range calls {
		for _, c := range cs {
			if c == "bytes.Equal" || c == "bytes.Compare" || c == "reflect.DeepEqual" {
				t.Errorf("%s calls %s; compare secrets with hmac.Equal", fn, c)
			}
		}
	}
	want := map[string]string{
		"macKeys.verify":    "hmac.Equal",
		"Signer.Verify":     "s.keys.verify",
		"Sealer.open":       "a.Open", // GCM checks its tag in constant time
		"Sealer.Open":       "s.open",
		"Sealer.OpenString": "s.open",
	}
	for fn, call := range want {
		found := false
		for _, c := range calls[fn] {
			found = found || c == call
		}
		if !found {
			t.Errorf("%s does not call %s (calls %v)", fn, call, calls[fn])
		}
	}
}

// packageCalls returns, per function of the package's non-test files
// ("Type.Method" or "func"), the calls it makes, spelled as in the source.
func packageCalls(t *testing.T) map[string][]string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	calls := map[string][]string{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			fn := funcName(fd)
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				if c, ok := n.(*ast.CallExpr); ok {
					calls[fn] = append(calls[fn], exprString(c.Fun))
				}
				return true
			})
		}
	}
	return calls
}

func funcName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	typ := fd.Recv.List[0].Type
	if star, ok := typ.(*ast.StarExpr); ok {
		typ = star.X
	}
	return exprString(typ) + "." + fd.Name.Name
}

func exprString(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return exprString(e.X) + "." + e.Sel.Name
	}
	return "?"
}
