package generator

import (
	"go/token"
	"go/types"
	"sort"
)

// check refuses session types whose generated names would collide: with
// the methods of *session.Session (which the view embeds) or of
// codec.Fields, with each other, with the package's own declarations, or
// with fields and methods of the structs that get generated methods.
func (r *run) check(sessions []*structModel) {
	reserved := r.reservedMethods()
	for _, m := range sessions {
		n := namesFor(m.name, r.pkg.Name())
		taken := map[string]string{} // accessor -> field that generates it
		for _, f := range m.fields {
			for _, acc := range accessorNames(f.name) {
				if why, ok := reserved[acc]; ok {
					r.b.errs.add(f.pos, "field %s.%s: its accessor %s would collide with %s, which %s has: rename the Go field (the stored key can stay: %s %s `session:\"%s\"`)",
						m.name, f.name, acc, why, n.view, "New"+f.name, r.b.typeString(f.typ.goType), f.key)
					break
				}
				if other, ok := taken[acc]; ok {
					r.b.errs.add(f.pos, "field %s.%s: its accessor %s would collide with an accessor of field %s: rename one of the fields", m.name, f.name, acc, other)
					break
				}
				taken[acc] = f.name
			}
		}
		for _, name := range []string{n.view, n.from, n.fromCtx, n.of} {
			r.checkFree(name, m)
		}
	}
	r.checkMethods(sessions)
}

// reservedMethods maps each name the view already has to a description
// of where it comes from. The methods of *session.Session come from its
// loaded type, so a method added to the runtime is protected at once.
func (r *run) reservedMethods() map[string]string {
	out := map[string]string{"Session": "the embedded *session.Session field"}
	for _, name := range viewMethods {
		out[name] = "the generated method " + name
	}
	sess := r.b.l.session.Types
	if obj, ok := sess.Scope().Lookup("Session").(*types.TypeName); ok {
		ms := types.NewMethodSet(types.NewPointer(obj.Type()))
		for i := 0; i < ms.Len(); i++ {
			if name := ms.At(i).Obj().Name(); token.IsExported(name) {
				out[name] = "the method (*session.Session)." + name
			}
		}
	}
	for _, p := range sess.Imports() {
		if p.Path() != codecPath {
			continue
		}
		if obj, ok := p.Scope().Lookup("Fields").(*types.TypeName); ok {
			if it, ok := obj.Type().Underlying().(*types.Interface); ok {
				for i := 0; i < it.NumMethods(); i++ {
					name := it.Method(i).Name()
					out[name] = "the codec.Fields method " + name
				}
			}
		}
	}
	return out
}

// checkFree refuses a package-level name sessiongen would declare that the
// package already declares.
func (r *run) checkFree(name string, m *structModel) {
	if obj := r.pkg.Scope().Lookup(name); obj != nil && !r.b.generated(obj) {
		r.b.errs.add(r.b.position(obj.Pos()), "%s is already declared in package %s, and sessiongen generates it for %s (declared at %s): rename one of them",
			name, r.pkg.Name(), m.name, m.pos)
	}
}

// checkMethods refuses structs whose generated methods would collide with
// a field or a method they already have.
func (r *run) checkMethods(sessions []*structModel) {
	all := append([]*structModel{}, sessions...)
	all = append(all, r.b.order...)
	isSession := map[*structModel]bool{}
	for _, m := range sessions {
		isSession[m] = true
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].name < all[j].name })
	for _, m := range all {
		var names []string
		if !m.custom {
			names = append(names, "EncodeMsgpack", "DecodeMsgpack", decodeMethod)
			if isSession[m] {
				names = append(names, "MarshalMsgpack", "UnmarshalMsgpack")
			}
		}
		if structNeedsCopy(m, map[*structModel]bool{}) {
			names = append(names, cloneMethod)
		}
		for _, name := range names {
			obj, _, _ := types.LookupFieldOrMethod(m.named, true, r.pkg, name)
			if obj == nil || r.b.generated(obj) {
				continue
			}
			what := "method"
			if _, ok := obj.(*types.Var); ok {
				what = "field"
			}
			r.b.errs.add(r.b.position(obj.Pos()), "%s %s.%s collides with the method sessiongen generates for %s: rename it", what, m.name, name, m.name)
		}
	}
	// A file's table of pre-encoded keys is named after its first session
	// type, and any of them may come first.
	for _, m := range sessions {
		r.checkFree(helperPrefix(m.name)+"Keys", m)
	}
}
