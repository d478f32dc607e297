package generator

import (
	"fmt"
	"go/token"
	"go/types"
	"path/filepath"
	"regexp"
	"strings"
)

// typeOf maps a field's Go type to how it is encoded, or reports why it
// cannot be stored and returns nil. where names the field in messages.
func (b *builder) typeOf(t types.Type, pos token.Position, where string) *typ {
	spelled := t
	if a, ok := t.(*types.Alias); ok {
		if a.TypeArgs().Len() > 0 || a.TypeParams().Len() > 0 {
			b.errs.add(pos, "%s: generic alias %s is not supported: use a non-generic type", where, b.typeString(t))
			return nil
		}
		t = types.Unalias(t)
		if obj := a.Obj(); obj.Pkg() != b.pkg && !obj.Exported() {
			spelled = t
		}
	}
	if n, ok := t.(*types.Named); ok {
		if r, done := b.namedType(n, spelled, pos, where); done {
			return r
		}
	}
	return b.structural(t, spelled, pos, where)
}

// namedType handles the cases decided by a defined type's identity rather
// than its structure: time.Time, own codecs, structs, generics. done is
// false when structural should decide.
func (b *builder) namedType(n *types.Named, spelled types.Type, pos token.Position, where string) (t *typ, done bool) {
	ts := b.typeString(spelled)
	if n.TypeArgs().Len() > 0 || n.TypeParams().Len() > 0 {
		b.errs.add(pos, "%s: generic type %s is not supported: use a non-generic type", where, ts)
		return nil, true
	}
	if isTime(n) {
		return &typ{kind: kTime, goType: spelled}, true
	}
	if obj := n.Obj(); obj.Pkg() != nil && obj.Pkg() != b.pkg && !obj.Exported() && !exportedAlias(spelled) {
		b.errs.add(pos, "%s: type %s is unexported in another package; generated code cannot name it", where, ts)
		return nil, true
	}
	enc, dec := b.codecMethods(n)
	switch {
	case enc && dec:
		if _, ok := n.Underlying().(*types.Interface); ok {
			return nil, false
		}
		return &typ{kind: kCustom, goType: spelled}, true
	case enc:
		b.errs.add(pos, "%s: type %s has EncodeMsgpack but no DecodeMsgpack (on *%s): implement both (msgpack.CustomEncoder and msgpack.CustomDecoder) or neither", where, ts, ts)
		return nil, true
	case dec:
		b.errs.add(pos, "%s: type %s has DecodeMsgpack but no EncodeMsgpack: implement both (msgpack.CustomEncoder and msgpack.CustomDecoder) or neither", where, ts)
		return nil, true
	}
	if _, ok := n.Underlying().(*types.Struct); !ok {
		return nil, false
	}
	if tt := b.timeType(); tt != nil && types.Identical(n.Underlying(), tt.Underlying()) {
		return &typ{kind: kTime, goType: spelled}, true
	}
	if n.Obj().Pkg() != b.pkg {
		b.errs.add(pos, "%s: struct %s is declared in another package, so sessiongen cannot generate its codec here: give it EncodeMsgpack/DecodeMsgpack methods in its own package (for example by running sessiongen there), or use a struct declared in package %s", where, ts, b.pkg.Name())
		return nil, true
	}
	m := b.structFor(n)
	if m.session {
		b.checkRoles(m, where, pos)
	}
	return &typ{kind: kStruct, goType: spelled, strct: m}, true
}

// exportedAlias reports whether t is spelled through an exported alias, as
// in type Exposed = inner: generated code can name the type that way.
func exportedAlias(t types.Type) bool {
	a, ok := t.(*types.Alias)
	return ok && a.Obj().Exported()
}

// timeType returns time.Time when the package imports "time" (directly or
// not), so a type defined over it (type Stamp time.Time) is recognised.
func (b *builder) timeType() types.Type {
	seen := map[*types.Package]bool{}
	var find func(p *types.Package) types.Type
	find = func(p *types.Package) types.Type {
		if seen[p] {
			return nil
		}
		seen[p] = true
		if p.Path() == "time" {
			return p.Scope().Lookup("Time").Type()
		}
		for _, q := range p.Imports() {
			if t := find(q); t != nil {
				return t
			}
		}
		return nil
	}
	return find(b.pkg)
}

func isTime(n *types.Named) bool {
	obj := n.Obj()
	return obj.Pkg() != nil && obj.Pkg().Path() == "time" && obj.Name() == "Time"
}

// structural handles a type by its underlying structure.
func (b *builder) structural(t, spelled types.Type, pos token.Position, where string) *typ {
	ts := b.typeString(spelled)
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return b.basic(u, spelled, pos, where)
	case *types.Pointer:
		elem := b.typeOf(u.Elem(), pos, where)
		if elem == nil {
			return nil
		}
		return &typ{kind: kPointer, goType: spelled, elem: elem}
	case *types.Slice:
		if isByte(u.Elem()) {
			return &typ{kind: kBytes, goType: spelled}
		}
		elem := b.typeOf(u.Elem(), pos, where)
		if elem == nil {
			return nil
		}
		return &typ{kind: kSlice, goType: spelled, elem: elem}
	case *types.Array:
		if isByte(u.Elem()) {
			return &typ{kind: kByteArray, goType: spelled, n: u.Len()}
		}
		elem := b.typeOf(u.Elem(), pos, where)
		if elem == nil {
			return nil
		}
		return &typ{kind: kArray, goType: spelled, elem: elem, n: u.Len()}
	case *types.Map:
		key := b.typeOf(u.Key(), pos, where)
		if key == nil {
			return nil
		}
		if key.kind != kString && key.kind != kInt && key.kind != kUint {
			b.errs.add(pos, "%s: map key type %s is not supported: use string or integer keys", where, b.typeString(u.Key()))
			return nil
		}
		elem := b.typeOf(u.Elem(), pos, where)
		if elem == nil {
			return nil
		}
		return &typ{kind: kMap, goType: spelled, key: key, elem: elem}
	case *types.Struct:
		b.errs.add(pos, "%s: anonymous struct type %s is not supported: declare a named struct type in this package and use it", where, ts)
	case *types.Interface:
		b.errs.add(pos, "%s: interface type %s cannot be stored: the codec must know the concrete type; use a concrete type (or one with EncodeMsgpack/DecodeMsgpack methods)", where, ts)
	case *types.Chan:
		b.errs.add(pos, "%s: channel type %s cannot be stored in a session: store the values it carries instead", where, ts)
	case *types.Signature:
		b.errs.add(pos, "%s: func type %s cannot be stored in a session: store the data the function needs instead", where, ts)
	case *types.TypeParam:
		b.errs.add(pos, "%s: type parameter %s is not supported: a session type must not be generic", where, ts)
	}
	return nil
}

func (b *builder) basic(u *types.Basic, spelled types.Type, pos token.Position, where string) *typ {
	t := &typ{goType: spelled, basic: u.Name()}
	switch u.Kind() {
	case types.Bool:
		t.kind = kBool
	case types.Int, types.Int8, types.Int16, types.Int32, types.Int64:
		t.kind = kInt
	case types.Uint, types.Uint8, types.Uint16, types.Uint32, types.Uint64:
		t.kind = kUint
		if u.Kind() == types.Uint8 {
			t.basic = "uint8"
		}
	case types.Float32:
		t.kind = kFloat32
	case types.Float64:
		t.kind = kFloat64
	case types.String:
		t.kind = kString
	case types.Complex64, types.Complex128:
		b.errs.add(pos, "%s: complex type %s is not supported: store the real and imaginary parts as two float64 fields", where, b.typeString(spelled))
		return nil
	case types.Invalid:
		b.errs.add(pos, "%s: the field's type does not compile%s: fix the package first", where, b.typeError(pos))
		return nil
	default:
		b.errs.add(pos, "%s: type %s cannot be stored in a session: use an integer type", where, b.typeString(spelled))
		return nil
	}
	if u.Kind() == types.Int32 && u.Name() == "rune" {
		t.basic = "int32"
	}
	return t
}

// typeError returns, as " (message)", the package's error on the line of
// pos, or else its first error, on one line and without its position.
func (b *builder) typeError(pos token.Position) string {
	var msg string
	for _, e := range b.l.pkg.Errors {
		if msg == "" || strings.HasSuffix(e.Pos, fmt.Sprintf("%s:%d", filepath.Base(pos.Filename), pos.Line)) ||
			strings.Contains(e.Pos, fmt.Sprintf("%s:%d:", filepath.Base(pos.Filename), pos.Line)) {
			msg = e.Msg
		}
	}
	if msg == "" {
		return ""
	}
	// A message from the go command can span lines ("# pkg\n./x.go:4:2:
	// undefined: T"); its last line is the compiler's.
	lines := strings.Split(strings.TrimSpace(msg), "\n")
	last := strings.TrimSpace(lines[len(lines)-1])
	if m := positionPrefix.FindString(last); m != "" {
		last = strings.TrimPrefix(last, m)
	}
	return " (" + last + ")"
}

// positionPrefix matches the "file.go:12:3: " that starts a compiler message.
var positionPrefix = regexp.MustCompile(`^\S+\.go:\d+(:\d+)?: `)

func isByte(t types.Type) bool {
	return types.Identical(t, types.Typ[types.Uint8])
}

// codecMethods reports whether t (or *t) has msgpack's EncodeMsgpack and
// *t has DecodeMsgpack. The signatures are compared by package path and
// name, so the answer does not depend on which load produced the msgpack
// package's types.
// Methods that files sessiongen wrote earlier declare do not count.
func (b *builder) codecMethods(t types.Type) (enc, dec bool) {
	ptr := types.NewPointer(t)
	enc = b.hasMethod(t, "EncodeMsgpack", "Encoder") || b.hasMethod(ptr, "EncodeMsgpack", "Encoder")
	dec = b.hasMethod(ptr, "DecodeMsgpack", "Decoder")
	return enc, dec
}

func (b *builder) hasMethod(t types.Type, name, param string) bool {
	sel := types.NewMethodSet(t).Lookup(nil, name)
	if sel == nil || b.generated(sel.Obj()) {
		return false
	}
	sig, ok := sel.Type().(*types.Signature)
	if !ok || sig.Params().Len() != 1 || sig.Results().Len() != 1 || sig.Variadic() {
		return false
	}
	if !types.Identical(sig.Results().At(0).Type(), types.Universe.Lookup("error").Type()) {
		return false
	}
	p, ok := sig.Params().At(0).Type().(*types.Pointer)
	if !ok {
		return false
	}
	n, ok := p.Elem().(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == msgpackPath && n.Obj().Name() == param
}
