package generator

import "fmt"

// The codec of a value is written as Go expressions over codec.Writer and
// codec.Reader, built recursively from its type: a scalar is one Writer
// or Reader call, a struct of the package calls the struct's own append
// and read functions (structcodec.go), and a pointer, slice, array or map
// calls codec's generic helpers with the functions of its elements. So the
// code for a []CartLine field is
//
//	codec.AppendSlice(w, x, appendCartLine)
//	codec.ReadSlice(r, depth, readCartLine)
//
// A value is read at a depth, the number of arrays and maps around it: the
// Reader refuses containers nested deeper than codec.MaxDepth, so that no
// input, however deep, overflows the stack.

// scalar is how a kind of scalar value is written and read: the Writer and
// Reader method and the Go type they take and return.
type scalar struct{ method, basic string }

var scalars = map[kind]scalar{
	kBool:    {"Bool", "bool"},
	kInt:     {"Int", "int64"},
	kUint:    {"Uint", "uint64"},
	kFloat32: {"Float32", "float32"},
	kFloat64: {"Float64", "float64"},
	kString:  {"Str", "string"},
	kBytes:   {"Bin", "[]byte"},
	kTime:    {"Time", "time.Time"},
}

// exact reports whether t is spelled as the scalar's own type, so a value
// needs no conversion.
func (g *fileGen) exact(t *typ, sc scalar) bool {
	switch t.kind {
	case kBytes:
		return t.goType.String() == "[]byte"
	case kTime:
		return isTimeType(t.goType)
	}
	return isBasic(t.goType, sc.basic)
}

// basicType spells the scalar's Go type in the file.
func (g *fileGen) basicType(sc scalar) string {
	if sc.basic == "time.Time" {
		return g.std("time", "Time")
	}
	return sc.basic
}

// appendStmt is the statement that writes x, an addressable value of type
// t, with the Writer w.
func (g *fileGen) appendStmt(t *typ, x string) string {
	w := g.local("w")
	if sc, ok := scalars[t.kind]; ok {
		if !g.exact(t, sc) {
			x = g.basicType(sc) + "(" + x + ")"
		}
		return fmt.Sprintf("%s.%s(%s)", w, sc.method, x)
	}
	switch t.kind {
	case kByteArray:
		return fmt.Sprintf("%s.Bin(%s[:])", w, x)
	case kStruct:
		return fmt.Sprintf("%s(%s, %s)", g.structFunc("append", t.strct), w, x)
	case kCustom:
		return fmt.Sprintf("%s.Custom(&%s)", w, x)
	case kPointer:
		return fmt.Sprintf("%s(%s, %s, %s)", g.codec("AppendPtr"), w, x, g.appendFn(t.elem))
	case kSlice:
		return fmt.Sprintf("%s(%s, %s, %s)", g.codec("AppendSlice"), w, x, g.appendFn(t.elem))
	case kArray:
		return fmt.Sprintf("%s(%s, %s[:], %s)", g.codec("AppendSlice"), w, x, g.appendFn(t.elem))
	case kMap:
		return fmt.Sprintf("%s(%s, %s, %s, %s)", g.codec("AppendMap"), w, x, g.appendFn(t.key), g.appendFn(t.elem))
	}
	return "" // the model admits no other kinds
}

// appendFn is a func(*codec.Writer, T) that writes a value of type t.
func (g *fileGen) appendFn(t *typ) string {
	if sc, ok := scalars[t.kind]; ok && g.exact(t, sc) {
		return "(*" + g.codec("Writer") + ")." + sc.method
	}
	if t.kind == kStruct {
		return g.structFunc("append", t.strct)
	}
	x := g.local("x")
	return fmt.Sprintf("func(%s *%s, %s %s) { %s }", g.local("w"), g.codec("Writer"), x, g.typeString(t.goType), g.appendStmt(t, x))
}

// readExpr is an expression that reads a value of type t, which depth
// arrays and maps surround, with the Reader r; "" for the types that read
// into a variable (see readStmt).
func (g *fileGen) readExpr(t *typ, depth string) string {
	r := g.local("r")
	if sc, ok := scalars[t.kind]; ok {
		e := fmt.Sprintf("%s.%s()", r, sc.method)
		if !g.exact(t, sc) {
			e = g.typeString(t.goType) + "(" + e + ")"
		}
		return e
	}
	switch t.kind {
	case kStruct:
		return fmt.Sprintf("%s(%s, %s)", g.structFunc("read", t.strct), r, depth)
	case kPointer:
		return fmt.Sprintf("%s(%s, %s, %s)", g.codec("ReadPtr"), r, depth, g.readFn(t.elem))
	case kSlice:
		return fmt.Sprintf("%s(%s, %s, %s)", g.codec("ReadSlice"), r, depth, g.readFn(t.elem))
	case kMap:
		return fmt.Sprintf("%s(%s, %s, %s, %s)", g.codec("ReadMap"), r, depth, g.keyReadFn(t.key), g.readFn(t.elem))
	}
	return ""
}

// readStmt is the statement that reads a value of type t into lv, an
// addressable variable holding the type's zero value.
func (g *fileGen) readStmt(t *typ, lv, depth string) string {
	if e := g.readExpr(t, depth); e != "" {
		return lv + " = " + e
	}
	r := g.local("r")
	switch t.kind {
	case kByteArray:
		return fmt.Sprintf("%s(%s, %s[:])", g.codec("ReadFixedBin"), r, lv)
	case kCustom:
		return fmt.Sprintf("%s.Custom(&%s, %s)", r, lv, depth)
	case kArray:
		return fmt.Sprintf("%s(%s, %s, %s[:], %s)", g.codec("ReadArray"), r, depth, lv, g.readFn(t.elem))
	}
	return ""
}

// readFn is a func(r *codec.Reader, depth int) T that reads a value of
// type t.
func (g *fileGen) readFn(t *typ) string {
	if t.kind == kStruct {
		return g.structFunc("read", t.strct)
	}
	r, depth, T := g.local("r"), g.local("depth"), g.typeString(t.goType)
	if _, ok := scalars[t.kind]; ok {
		depth = "_"
	}
	if e := g.readExpr(t, depth); e != "" {
		return fmt.Sprintf("func(%s *%s, %s int) %s { return %s }", r, g.codec("Reader"), depth, T, e)
	}
	x := g.local("x")
	return fmt.Sprintf("func(%s *%s, %s int) (%s %s) { %s; return %s }", r, g.codec("Reader"), depth, x, T, g.readStmt(t, x, depth), x)
}

// keyReadFn is a func(*codec.Reader) K that reads a map key of type t, a
// string or integer type.
func (g *fileGen) keyReadFn(t *typ) string {
	sc := scalars[t.kind]
	if g.exact(t, sc) {
		return "(*" + g.codec("Reader") + ")." + sc.method
	}
	return fmt.Sprintf("func(%s *%s) %s { return %s }", g.local("r"), g.codec("Reader"), g.typeString(t.goType), g.readExpr(t, ""))
}

// structFunc names the function sessiongen writes for a struct of the
// package: append, read or clone followed by the struct's name.
func (g *fileGen) structFunc(verb string, m *structModel) string {
	return structFuncName(verb, m.name)
}

func structFuncName(verb, typeName string) string { return verb + typeName }
