package generator

import (
	"fmt"
	"go/ast"
	"go/scanner"
	"go/token"
	"go/types"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
)

// builder turns the loaded package into the model, collecting every
// problem it finds.
type builder struct {
	l       *loaded
	pkg     *types.Package
	fset    *token.FileSet
	cwd     string
	errs    errs
	structs map[*types.Named]*structModel
	order   []*structModel // nested structs in discovery order
	fields  map[token.Pos]*ast.Field
	specs   map[token.Pos]typeSpec
	// sessions names the package's session types, of this run and of
	// others: their keys follow the session rules wherever they are stored.
	sessions map[string]bool
}

type typeSpec struct {
	spec      *ast.TypeSpec
	doc       string
	directive bool
	file      *ast.File
}

// directive marks a struct for sessiongen when -type is not given.
const directive = "//sessiongen:session"

func newBuilder(l *loaded, cwd string) *builder {
	b := &builder{
		l: l, pkg: l.pkg.Types, fset: l.pkg.Fset, cwd: cwd,
		structs:  map[*types.Named]*structModel{},
		fields:   map[token.Pos]*ast.Field{},
		specs:    map[token.Pos]typeSpec{},
		sessions: map[string]bool{},
	}
	for _, f := range l.pkg.Syntax {
		b.index(f)
	}
	return b
}

// index records the doc comments of type declarations and struct fields,
// which go/types does not keep.
func (b *builder) index(f *ast.File) {
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.TYPE {
			continue
		}
		for _, s := range gd.Specs {
			ts := s.(*ast.TypeSpec)
			doc := ts.Doc
			if doc == nil && len(gd.Specs) == 1 {
				doc = gd.Doc
			}
			b.specs[ts.Name.Pos()] = typeSpec{spec: ts, doc: oneLine(doc.Text()), directive: hasDirective(doc), file: f}
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		if st, ok := n.(*ast.StructType); ok {
			for _, fl := range st.Fields.List {
				for _, name := range fl.Names {
					b.fields[name.Pos()] = fl
				}
				if len(fl.Names) == 0 {
					b.fields[fl.Type.Pos()] = fl
				}
			}
		}
		return true
	})
}

func hasDirective(cg *ast.CommentGroup) bool {
	if cg == nil {
		return false
	}
	for _, c := range cg.List {
		if strings.TrimSpace(c.Text) == directive {
			return true
		}
	}
	return false
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// position returns p with the file name relative to the working directory
// when it is below it, as compilers print positions.
func (b *builder) position(p token.Pos) token.Position {
	pos := b.fset.Position(p)
	pos.Filename = b.relative(pos.Filename)
	return pos
}

// relative returns name relative to the working directory when it is below
// it.
func (b *builder) relative(name string) string {
	if rel, err := filepath.Rel(b.cwd, name); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return name
}

// directiveTypes lists the structs marked with the directive, in source
// order.
func (b *builder) directiveTypes() []string {
	var out []string
	for _, s := range b.sortedSpecs() {
		if s.directive {
			out = append(out, s.spec.Name.Name)
		}
	}
	return out
}

func (b *builder) sortedSpecs() []typeSpec {
	out := make([]typeSpec, 0, len(b.specs))
	for _, s := range b.specs {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].spec.Name.Pos() < out[j].spec.Name.Pos() })
	return out
}

// sessionType looks up a -type name and builds its model.
func (b *builder) sessionType(name string) *structModel {
	obj := b.pkg.Scope().Lookup(name)
	if b.generated(obj) {
		obj = nil
	}
	tn, ok := obj.(*types.TypeName)
	if !ok {
		b.errs.add(token.Position{}, "-type %s: no type %s in package %s (%s)", name, name, b.pkg.Name(), b.pkg.Path())
		return nil
	}
	pos := b.position(tn.Pos())
	if tn.IsAlias() {
		b.errs.add(pos, "-type %s: %s is an alias; name the struct type it stands for", name, name)
		return nil
	}
	n, ok := tn.Type().(*types.Named)
	if !ok {
		b.errs.add(pos, "-type %s: %s is not a defined struct type", name, name)
		return nil
	}
	if _, ok := n.Underlying().(*types.Struct); !ok {
		b.errs.add(pos, "-type %s: %s is a %s, not a struct: a session type must be a struct", name, name, kindWord(n.Underlying()))
		return nil
	}
	if n.TypeParams().Len() > 0 {
		b.errs.add(pos, "-type %s: %s is generic; a session type must not have type parameters", name, name)
		return nil
	}
	return b.structFor(n)
}

// quietly builds the models of the package's session types that other runs
// generate, for the plan; their problems are those runs' to report.
func (b *builder) quietly(known []knownSession) map[*structModel]string {
	saved := b.errs
	defer func() { b.errs = saved }()
	out := map[*structModel]string{}
	for _, k := range known {
		b.errs = errs{}
		if m := b.sessionType(k.name); m != nil && b.errs.err() == nil {
			out[m] = k.path
		}
	}
	return out
}

// sortedErrs is the problems found, in source order.
func (b *builder) sortedErrs() scanner.ErrorList {
	b.errs.list.Sort()
	return b.errs.list
}

// structFor builds (once) the model of a struct of the package. A session
// type's keys follow the session rules, another struct's the nested rules,
// whichever role reaches it first.
func (b *builder) structFor(n *types.Named) *structModel {
	if m, ok := b.structs[n]; ok {
		return m
	}
	nested := !b.isSession(n)
	m := &structModel{name: n.Obj().Name(), named: n, pos: b.position(n.Obj().Pos())}
	if s, ok := b.specs[n.Obj().Pos()]; ok {
		m.doc, m.file = s.doc, s.file
	}
	b.structs[n] = m
	m.session = !nested
	if nested {
		b.order = append(b.order, m)
	}
	enc, dec := b.codecMethods(n)
	m.custom = enc && dec
	st := n.Underlying().(*types.Struct)
	keys := map[string]*field{}
	for i := 0; i < st.NumFields(); i++ {
		if f := b.field(m, st.Field(i), st.Tag(i), nested, keys); f != nil {
			m.fields = append(m.fields, f)
			keys[f.key] = f
		}
	}
	return m
}

func (b *builder) field(m *structModel, v *types.Var, tag string, nested bool, keys map[string]*field) *field {
	pos := b.position(v.Pos())
	where := "field " + m.name + "." + v.Name()
	key, opts, skip := parseTag(tag, v.Name(), nested)
	_, sessionTagged := reflect.StructTag(tag).Lookup("session")
	switch {
	case skip:
		return nil
	case v.Embedded() && (v.Exported() || sessionTagged):
		b.errs.add(pos, "%s: embedded fields are not supported: give the field a name (%s %s) or tag it `session:\"-\"`", where, v.Name(), b.typeString(v.Type()))
		return nil
	case v.Embedded() && !v.Exported() && len(taggedInside(v.Type())) > 0:
		b.errs.add(pos, "%s: the embedded unexported struct holds fields with session tags (%s), which would not be stored: embedded structs are not flattened; give the field an exported name (%s %s) so it is stored as a nested struct, or move the fields into %s",
			where, strings.Join(taggedInside(v.Type()), ", "), exported(v.Name()), b.typeString(v.Type()), m.name)
		return nil
	case !v.Exported() && sessionTagged:
		b.errs.add(pos, "%s: unexported field has a session tag: export it (rename it to %s) or remove the tag", where, exported(v.Name()))
		return nil
	case !v.Exported():
		return nil
	case opts != "":
		b.errs.add(pos, "%s: unknown session tag option %q: the tag is just the key, e.g. `session:\"%s\"`", where, opts, key)
		return nil
	}
	if msg := validKey(key, nested); msg != "" {
		b.errs.add(pos, "%s: key %q is not valid: a key %s", where, key, msg)
		return nil
	}
	if prev, dup := keys[key]; dup {
		b.errs.add(pos, "%s: key %q is already used by field %s.%s at %s: give one of them another session tag", where, key, m.name, prev.name, prev.pos)
		return nil
	}
	t := b.typeOf(v.Type(), pos, where)
	if t == nil {
		return nil
	}
	f := &field{name: v.Name(), key: key, typ: t, pos: pos}
	if fl, ok := b.fields[v.Pos()]; ok {
		if fl.Doc != nil {
			f.doc = oneLine(fl.Doc.Text())
		} else if fl.Comment != nil {
			f.doc = oneLine(fl.Comment.Text())
		}
	}
	return f
}

// generated reports whether obj is declared in a file sessiongen wrote
// earlier: what those files declare is what this run replaces, so it must
// not count as the package's own (a generated EncodeMsgpack is not a
// hand-written codec, a generated VisitorSession no collision).
func (b *builder) generated(obj types.Object) bool {
	return obj != nil && obj.Pos().IsValid() && b.l.generated[b.fset.Position(obj.Pos()).Filename]
}

func (b *builder) isSession(n *types.Named) bool {
	return n.Obj().Pkg() == b.pkg && n.Obj().Parent() == b.pkg.Scope() && b.sessions[n.Obj().Name()]
}

// checkRoles refuses a session type m stored in a field of another struct
// (where) when the nested rules would give it other keys than the session
// rules do: its one codec cannot have both.
func (b *builder) checkRoles(m *structModel, where string, at token.Position) {
	st := m.named.Underlying().(*types.Struct)
	for i := 0; i < st.NumFields(); i++ {
		v, tag := st.Field(i), st.Tag(i)
		if _, ok := reflect.StructTag(tag).Lookup("session"); ok || !v.Exported() || v.Embedded() {
			continue
		}
		mp, ok := reflect.StructTag(tag).Lookup("msgpack")
		if !ok {
			continue
		}
		name, _, _ := strings.Cut(mp, ",")
		if name != "-" && (name == "" || name == v.Name()) {
			continue
		}
		why := fmt.Sprintf("as a nested struct under %q (its msgpack tag)", name)
		fix := fmt.Sprintf("`session:%q`", name)
		if name == "-" {
			why = "as a nested struct it is left out (msgpack:\"-\")"
			fix = "`session:\"-\"` to leave it out"
		}
		b.errs.add(b.position(v.Pos()), "field %s.%s: %s is a session type and is also stored in %s (%s), and the two roles read this field's tags differently: as a session type it is stored under %q (only session tags count), %s: give the field a session tag so both agree, e.g. %s",
			m.name, v.Name(), m.name, where, at, v.Name(), why, fix)
	}
}

// taggedInside lists the fields with session tags of the struct t is or
// points to.
func taggedInside(t types.Type) []string {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return nil
	}
	var out []string
	for i := 0; i < st.NumFields(); i++ {
		if _, ok := reflect.StructTag(st.Tag(i)).Lookup("session"); ok {
			out = append(out, st.Field(i).Name())
		}
	}
	return out
}

func exported(name string) string {
	if name == "" {
		return name
	}
	return strings.ToUpper(name[:1]) + name[1:]
}

// typeString spells t as code in the package would: other packages by
// their name, this one unqualified.
func (b *builder) typeString(t types.Type) string {
	return types.TypeString(t, func(p *types.Package) string {
		if p == b.pkg {
			return ""
		}
		return p.Name()
	})
}

func kindWord(t types.Type) string {
	switch t.(type) {
	case *types.Basic:
		return "basic type"
	case *types.Interface:
		return "interface"
	case *types.Map:
		return "map"
	case *types.Slice:
		return "slice"
	case *types.Pointer:
		return "pointer"
	case *types.Signature:
		return "func"
	case *types.Chan:
		return "channel"
	}
	return "non-struct type"
}
