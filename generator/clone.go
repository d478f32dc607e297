package generator

import (
	"go/types"

	"github.com/dave/jennifer/jen"
)

// cloneMethod is the unexported method sessiongen gives a struct that
// holds slices, maps or pointers, so accessors can hand out and store deep
// copies.
const cloneMethod = "sessiongenClone"

// needsCopy reports whether a value of t shares memory when assigned:
// whether handing it out would let a caller change session data behind
// the session's back. Types with their own codec are copied by assignment
// (documented): sessiongen cannot see inside them.
func needsCopy(t *typ) bool {
	return needsCopyIn(t, map[*structModel]bool{})
}

func needsCopyIn(t *typ, seen map[*structModel]bool) bool {
	switch t.kind {
	case kBytes, kPointer, kSlice, kMap:
		return true
	case kArray:
		return needsCopyIn(t.elem, seen)
	case kStruct:
		return structNeedsCopy(t.strct, seen)
	}
	return false
}

func structNeedsCopy(m *structModel, seen map[*structModel]bool) bool {
	if seen[m] {
		// A cycle runs through a pointer, slice or map, which answers true
		// on its own.
		return false
	}
	seen[m] = true
	for _, f := range m.fields {
		if needsCopyIn(f.typ, seen) {
			return true
		}
	}
	return false
}

// copyTo writes the statements that assign a deep copy of src to dst.
func (g *fileGen) copyTo(grp *jen.Group, dst jen.Code, src expr, t *typ, d int) {
	if !needsCopy(t) {
		grp.Add(dst).Op("=").Add(src.val())
		return
	}
	switch {
	case t.kind == kBytes || t.kind == kSlice && !needsCopy(t.elem):
		// slices.Clone and maps.Clone keep nil nil and empty empty.
		grp.Add(dst).Op("=").Add(g.std("slices", "Clone")).Call(src.val())
		return
	case t.kind == kMap && !needsCopy(t.elem):
		grp.Add(dst).Op("=").Add(g.std("maps", "Clone")).Call(src.val())
		return
	}
	switch t.kind {
	case kSlice:
		c, i := g.name("c", d), g.name("i", d)
		grp.If(src.val().Op("==").Nil()).Block(jen.Add(dst).Op("=").Nil()).Else().BlockFunc(func(grp *jen.Group) {
			grp.Id(c).Op(":=").Make(g.typeCode(t.goType), jen.Len(src.val()))
			grp.For(jen.Id(i).Op(":=").Range().Add(src.val())).BlockFunc(func(grp *jen.Group) {
				g.copyTo(grp, jen.Id(c).Index(jen.Id(i)), src.index(jen.Id(i)), t.elem, d+1)
			})
			grp.Add(dst).Op("=").Id(c)
		})
	case kMap:
		m, k, e, c := g.name("m", d), g.name("k", d), g.name("e", d), g.name("c", d)
		grp.If(src.val().Op("==").Nil()).Block(jen.Add(dst).Op("=").Nil()).Else().BlockFunc(func(grp *jen.Group) {
			grp.Id(m).Op(":=").Make(g.typeCode(t.goType), jen.Len(src.val()))
			grp.For(jen.List(jen.Id(k), jen.Id(e)).Op(":=").Range().Add(src.val())).BlockFunc(func(grp *jen.Group) {
				grp.Var().Id(c).Add(g.typeCode(t.elem.goType))
				g.copyTo(grp, jen.Id(c), id(e), t.elem, d+1)
				grp.Id(m).Index(jen.Id(k)).Op("=").Id(c)
			})
			grp.Add(dst).Op("=").Id(m)
		})
	case kPointer:
		p := g.name("p", d)
		grp.If(src.val().Op("==").Nil()).Block(jen.Add(dst).Op("=").Nil()).Else().BlockFunc(func(grp *jen.Group) {
			grp.Var().Id(p).Add(g.typeCode(t.elem.goType))
			g.copyTo(grp, jen.Id(p), src.derefOf(t), t.elem, d+1)
			grp.Add(dst).Op("=").Op("&").Id(p)
		})
	case kArray:
		a, i := g.name("a", d), g.name("i", d)
		grp.BlockFunc(func(grp *jen.Group) {
			grp.Var().Id(a).Add(g.typeCode(t.goType))
			grp.For(jen.Id(i).Op(":=").Range().Add(src.val())).BlockFunc(func(grp *jen.Group) {
				g.copyTo(grp, jen.Id(a).Index(jen.Id(i)), src.index(jen.Id(i)), t.elem, d+1)
			})
			grp.Add(dst).Op("=").Id(a)
		})
	case kStruct:
		grp.Add(dst).Op("=").Add(src.recv()).Dot(cloneMethod).Call()
	}
}

// zeroValue spells t's zero value.
func (g *fileGen) zeroValue(t *typ) jen.Code {
	switch u := t.goType.Underlying().(type) {
	case *types.Basic:
		switch {
		case u.Info()&types.IsBoolean != 0:
			return jen.False()
		case u.Info()&types.IsString != 0:
			return jen.Lit("")
		}
		return jen.Lit(0)
	case *types.Struct, *types.Array:
		return jen.Add(g.typeCode(t.goType)).Values()
	}
	return jen.Nil()
}

// nonZero spells the condition "x is not its type's zero value", which
// Update uses to decide which fields the callback set.
func (g *fileGen) nonZero(x expr, t *typ) jen.Code {
	switch t.kind {
	case kBool:
		return x.val()
	case kTime:
		return jen.Op("!").Add(g.asTime(x, t)).Dot("IsZero").Call()
	case kStruct:
		if !types.Comparable(t.goType) {
			return g.structNonZero(x, t.strct)
		}
	}
	switch u := t.goType.Underlying().(type) {
	case *types.Basic:
		return x.val().Op("!=").Add(g.zeroValue(t))
	case *types.Struct, *types.Array:
		if types.Comparable(u) {
			return x.val().Op("!=").Parens(g.zeroValue(t))
		}
		// A foreign type with its own codec and non-comparable contents:
		// rare enough to ask reflect.
		return jen.Op("!").Add(g.std("reflect", "ValueOf")).Call(x.val()).Dot("IsZero").Call()
	}
	return x.val().Op("!=").Nil()
}

func (g *fileGen) structNonZero(x expr, m *structModel) jen.Code {
	if len(m.fields) == 0 {
		return jen.False()
	}
	var conds []jen.Code
	for _, f := range m.fields {
		conds = append(conds, g.nonZero(x.dot(f.name), f.typ))
	}
	c := jen.Add(conds[0])
	for _, cond := range conds[1:] {
		c = c.Op("||").Add(cond)
	}
	return jen.Parens(c)
}

// cloneFunc is the sessiongenClone method of a struct that needs one.
func (g *fileGen) cloneFunc(m *structModel) jen.Code {
	return jen.Comment(cloneMethod + " returns a deep copy of v: no slice, map or pointer in it is shared with v.").Line().
		Func().Params(g.id("v").Op("*").Id(m.name)).Id(cloneMethod).Params().Id(m.name).BlockFunc(func(grp *jen.Group) {
		grp.Add(g.id("c")).Op(":=").Op("*").Add(g.id("v"))
		for _, f := range m.fields {
			if needsCopy(f.typ) {
				g.copyTo(grp, g.id("c").Dot(f.name), g.ident("v").dot(f.name), f.typ, 0)
			}
		}
		grp.Return(g.id("c"))
	})
}

func isTimeType(t types.Type) bool {
	n, ok := t.(*types.Named)
	return ok && isTime(n)
}
