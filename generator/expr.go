package generator

import (
	"fmt"
	"go/types"

	"github.com/dave/jennifer/jen"
)

// expr is a value in generated code. When ptr is set, code is a pointer
// and the value is what it points to; the methods spell the value for each
// context so that precedence comes out right.
type expr struct {
	code jen.Code
	ptr  bool
}

func id(name string) expr { return expr{code: jen.Id(name)} }

// val spells the value as an operand of a call or a comparison: *p.
func (e expr) val() *jen.Statement {
	if e.ptr {
		return jen.Op("*").Add(e.code)
	}
	return jen.Add(e.code)
}

// operand spells the value where it is indexed or sliced: (*p).
func (e expr) operand() *jen.Statement {
	if e.ptr {
		return jen.Parens(jen.Op("*").Add(e.code))
	}
	return jen.Add(e.code)
}

// recv spells the value as a method receiver: p (Go dereferences).
func (e expr) recv() *jen.Statement { return jen.Add(e.code) }

// index is e[i].
func (e expr) index(i jen.Code) expr { return expr{code: e.operand().Index(i)} }

// dot is e.name.
func (e expr) dot(name string) expr { return expr{code: e.recv().Dot(name)} }

// deref is *e, for a pointer value e.
func (e expr) deref() expr {
	if e.ptr {
		return expr{code: jen.Parens(jen.Op("*").Add(e.code)), ptr: true}
	}
	return expr{code: e.code, ptr: true}
}

// names returns the generated local variable names for nesting depth d,
// so nested loops and blocks never shadow each other.
func name(base string, d int) string { return fmt.Sprintf("%s%d", base, d) }

// typeCode spells a Go type, qualifying (and importing) other packages.
func (g *fileGen) typeCode(t types.Type) jen.Code {
	switch t := t.(type) {
	case *types.Basic:
		return jen.Id(t.Name())
	case *types.Alias:
		return g.qual(t.Obj())
	case *types.Named:
		return g.qual(t.Obj())
	case *types.Pointer:
		return jen.Op("*").Add(g.typeCode(t.Elem()))
	case *types.Slice:
		return jen.Index().Add(g.typeCode(t.Elem()))
	case *types.Array:
		return jen.Index(jen.Lit(int(t.Len()))).Add(g.typeCode(t.Elem()))
	case *types.Map:
		return jen.Map(g.typeCode(t.Key())).Add(g.typeCode(t.Elem()))
	}
	// The model admits no other types; this keeps a mistake visible in
	// the output (which then fails to compile) rather than panicking.
	return jen.Id(types.TypeString(t, nil))
}

func (g *fileGen) qual(obj *types.TypeName) jen.Code {
	if obj.Pkg() == nil || obj.Pkg().Path() == g.pkgPath {
		return jen.Id(obj.Name())
	}
	return g.pkgQual(obj.Pkg().Path(), obj.Pkg().Name(), obj.Name())
}

// pkgQual is jen.Qual that imports path under its package name, or under
// an alias when the package already declares that name.
func (g *fileGen) pkgQual(path, pkgName, ident string) *jen.Statement {
	if !g.imported[path] {
		g.imported[path] = true
		if g.scope.Lookup(pkgName) != nil {
			g.f.ImportAlias(path, pkgName+"pkg")
		} else {
			g.f.ImportName(path, pkgName)
		}
	}
	return jen.Qual(path, ident)
}

// Qualified identifiers of the packages generated code uses.
func (g *fileGen) msgpack(id string) *jen.Statement { return g.pkgQual(msgpackPath, "msgpack", id) }
func (g *fileGen) msgpcode(id string) *jen.Statement {
	return g.pkgQual(msgpcodePath, "msgpcode", id)
}
func (g *fileGen) session(id string) *jen.Statement { return g.pkgQual(sessionPath, "session", id) }
func (g *fileGen) codec(id string) *jen.Statement   { return g.pkgQual(codecPath, "codec", id) }
func (g *fileGen) std(path, id string) *jen.Statement {
	pkgName := path
	if i := lastSlash(path); i >= 0 {
		pkgName = path[i+1:]
	}
	return g.pkgQual(path, pkgName, id)
}

func lastSlash(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '/' {
			return i
		}
	}
	return -1
}

// isBasic reports whether t is spelled exactly as the basic type basic, so
// no conversion is needed.
func isBasic(t types.Type, basic string) bool {
	u, ok := t.(*types.Basic)
	if !ok {
		return false
	}
	obj := types.Universe.Lookup(basic)
	return obj != nil && types.Identical(u, obj.Type())
}

// conv converts x to the basic type basic unless t already is it.
func conv(x jen.Code, t *typ, basic string) jen.Code {
	if isBasic(t.goType, basic) {
		return x
	}
	return jen.Id(basic).Call(x)
}

// convTo converts x, of the basic type basic, to t's type unless it is
// already that.
func (g *fileGen) convTo(x jen.Code, t *typ, basic string) jen.Code {
	if isBasic(t.goType, basic) {
		return x
	}
	return jen.Add(g.typeCode(t.goType)).Call(x)
}

// check is `if err := call; err != nil { fail }`.
func check(grp *jen.Group, call jen.Code, fail failFunc) {
	grp.If(jen.Err().Op(":=").Add(call), jen.Err().Op("!=").Nil()).Block(fail(jen.Err()))
}

// failFunc spells the statement that returns err from the generated
// function being written.
type failFunc func(err jen.Code) jen.Code

func returnErr(err jen.Code) jen.Code      { return jen.Return(err) }
func returnKnownErr(err jen.Code) jen.Code { return jen.Return(jen.True(), err) }
