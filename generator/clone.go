package generator

import (
	"fmt"
	"go/types"
)

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

// cloneFn is a func(T) T that returns a deep copy of a value of type t,
// which needsCopy; "nil" for a type that assignment copies.
func (g *fileGen) cloneFn(t *typ) string {
	switch {
	case !needsCopy(t):
		return "nil"
	case t.kind == kBytes || t.kind == kSlice && !needsCopy(t.elem):
		return g.std("slices", "Clone") + "[" + g.typeString(t.goType) + "]"
	case t.kind == kMap && !needsCopy(t.elem):
		return g.std("maps", "Clone") + "[" + g.typeString(t.goType) + "]"
	case t.kind == kStruct:
		return g.structFunc("clone", t.strct)
	}
	x, T := g.local("x"), g.typeString(t.goType)
	if t.kind == kArray {
		return fmt.Sprintf("func(%s %s) %s { %s; return %s }", x, T, T, g.cloneStmt(t, x), x)
	}
	return fmt.Sprintf("func(%s %s) %s { return %s }", x, T, T, g.cloneExpr(t, x))
}

// cloneExpr is a deep copy of x, of type t (not an array).
func (g *fileGen) cloneExpr(t *typ, x string) string {
	switch {
	case t.kind == kBytes || t.kind == kSlice && !needsCopy(t.elem):
		return g.std("slices", "Clone") + "(" + x + ")"
	case t.kind == kMap && !needsCopy(t.elem):
		return g.std("maps", "Clone") + "(" + x + ")"
	}
	switch t.kind {
	case kSlice:
		return fmt.Sprintf("%s(%s, %s)", g.session("CloneSlice"), x, g.cloneFn(t.elem))
	case kMap:
		return fmt.Sprintf("%s(%s, %s)", g.session("CloneMap"), x, g.cloneFn(t.elem))
	case kPointer:
		return fmt.Sprintf("%s(%s, %s)", g.session("ClonePtr"), x, g.cloneFn(t.elem))
	case kStruct:
		return fmt.Sprintf("%s(%s)", g.structFunc("clone", t.strct), x)
	}
	return x
}

// cloneStmt replaces lv, a copy of a value of type t that needsCopy, with a
// deep copy.
func (g *fileGen) cloneStmt(t *typ, lv string) string {
	if t.kind == kArray {
		return fmt.Sprintf("%s(%s[:], %s)", g.session("CloneEach"), lv, g.cloneFn(t.elem))
	}
	return lv + " = " + g.cloneExpr(t, lv)
}

// cloneFunc writes the clone function of a struct that needs one: a deep
// copy, so that no slice, map or pointer in it is shared with v.
func (g *fileGen) cloneFunc(m *structModel) {
	name, v := g.structFunc("clone", m), g.local("v")
	g.printf("// %s returns a deep copy of %s: no slice, map or pointer in it is shared with %s.\n", name, v, v)
	g.printf("func %s(%s %s) %s {\n", name, v, m.name, m.name)
	for _, f := range m.fields {
		if needsCopy(f.typ) {
			g.printf("\t%s\n", g.cloneStmt(f.typ, v+"."+f.name))
		}
	}
	g.printf("\treturn %s\n}\n\n", v)
}

func isTimeType(t types.Type) bool {
	n, ok := t.(*types.Named)
	return ok && isTime(n)
}
