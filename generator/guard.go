package generator

import (
	"go/types"
	"strconv"
	"strings"
)

// guard writes, as stringer does for constants, a check that stops the
// build when the struct no longer has the fields (names, types, tags, order)
// that the file was generated from: the struct is assigned to a copy of its
// old definition, a type whose name says what to do, so the compiler's
// error reads "cannot use Visitor{} (value of struct type Visitor) as
// Visitor_changed__run_go_generate value". Without it a new field would
// compile and silently never be stored.
//
// A struct with a field whose type generated code cannot spell (an
// unexported type of another package, an anonymous interface, ...) gets no
// guard.
func (g *fileGen) guard(m *structModel) {
	st := m.named.Underlying().(*types.Struct)
	var fields []string
	for i := 0; i < st.NumFields(); i++ {
		v := st.Field(i)
		if !g.spellable(v.Type()) {
			return
		}
		f := g.typeString(v.Type())
		if !v.Embedded() {
			f = v.Name() + " " + f
		}
		if tag := st.Tag(i); tag != "" {
			if strings.Contains(tag, "`") {
				f += " " + strconv.Quote(tag)
			} else {
				f += " `" + tag + "`"
			}
		}
		fields = append(fields, f)
	}
	name := g.local(m.name + "_changed__run_go_generate")
	g.printf("// The build fails here when %s no longer has the fields this file was generated\n// from: run go generate.\n", m.name)
	g.printf("func _() {\n\ttype %s = struct {\n", name)
	for _, f := range fields {
		g.printf("\t\t%s\n", f)
	}
	g.printf("\t}\n\tvar _ %s = %s{}\n}\n\n", name, m.name)
}

// spellable reports whether typeCode can spell t in the generated file.
func (g *fileGen) spellable(t types.Type) bool {
	switch t := t.(type) {
	case *types.Basic:
		return t.Kind() != types.UnsafePointer && t.Info()&types.IsUntyped == 0
	case *types.Alias:
		return g.nameable(t.Obj()) && t.TypeArgs().Len() == 0
	case *types.Named:
		return g.nameable(t.Obj()) && t.TypeArgs().Len() == 0
	case *types.Pointer:
		return g.spellable(t.Elem())
	case *types.Slice:
		return g.spellable(t.Elem())
	case *types.Array:
		return g.spellable(t.Elem())
	case *types.Map:
		return g.spellable(t.Key()) && g.spellable(t.Elem())
	}
	return false
}

func (g *fileGen) nameable(obj *types.TypeName) bool {
	if obj.Pkg() == nil {
		return true // any, error, comparable
	}
	if obj.Pkg().Path() == g.pkgPath {
		return obj.Parent() == obj.Pkg().Scope() // not a type local to a function
	}
	return obj.Exported()
}
