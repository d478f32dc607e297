package generator

import (
	"fmt"
	"go/types"
	"strings"

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

// derefOf is what e, a value of the pointer type t, points to. Go
// dereferences a pointer for a method call or a field selector only when
// its type is not a defined type (type ItemRef *Item), so for those the
// dereference is spelled out.
func (e expr) derefOf(t *typ) expr {
	if _, ok := types.Unalias(t.goType).(*types.Pointer); ok {
		return e.deref()
	}
	return expr{code: jen.Parens(jen.Op("*").Add(e.val()))}
}

// deref is *e, for a pointer value e.
func (e expr) deref() expr {
	if e.ptr {
		return expr{code: jen.Parens(jen.Op("*").Add(e.code)), ptr: true}
	}
	return expr{code: e.code, ptr: true}
}

// name returns the generated local variable name for nesting depth d, so
// nested loops and blocks never shadow each other.
func (g *fileGen) name(base string, d int) string { return g.local(fmt.Sprintf("%s%d", base, d)) }

// local returns the name a local variable of generated code gets: name
// itself, unless the package (in any of its files, whatever their build
// constraints) declares it, or the file imports a package under it; then
// name followed by as many underscores as make it free. A local never hides
// a type or package that generated code names in its scope (type key string
// and a parameter named key would not compile).
func (g *fileGen) local(name string) string {
	if l, ok := g.locals[name]; ok {
		return l
	}
	l := name
	for g.taken[l] {
		l += "_"
	}
	g.locals[name] = l
	return l
}

// id is the identifier of a local variable.
func (g *fileGen) id(name string) *jen.Statement { return jen.Id(g.local(name)) }

// ident is a local variable as an expr.
func (g *fileGen) ident(name string) expr { return expr{code: g.id(name)} }

// err is the identifier of the local error variable.
func (g *fileGen) err() *jen.Statement { return g.id("err") }

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
		if g.declared[pkgName] || g.scope.Lookup(pkgName) != nil {
			alias := pkgName + "pkg"
			for g.declared[alias] {
				alias += "_"
			}
			g.f.ImportAlias(path, alias)
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
	if i := strings.LastIndexByte(path, '/'); i >= 0 {
		pkgName = path[i+1:]
	}
	return g.pkgQual(path, pkgName, id)
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
func (g *fileGen) check(grp *jen.Group, call jen.Code, fail failFunc) {
	grp.If(g.err().Op(":=").Add(call), g.err().Op("!=").Nil()).Block(fail(g.err()))
}

// failFunc spells the statement that returns err from the generated
// function being written.
type failFunc func(err jen.Code) jen.Code

func returnErr(err jen.Code) jen.Code      { return jen.Return(err) }
func returnKnownErr(err jen.Code) jen.Code { return jen.Return(jen.True(), err) }
