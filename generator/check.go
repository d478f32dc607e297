package generator

import (
	"go/types"
	"sort"
)

// check refuses session types whose generated names would collide: with
// the methods of session.View (which the view embeds), with each other,
// with the package's own declarations, or with fields and methods of the
// structs that get generated methods.
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

// sessionViewMethods are the methods of session.View, which every generated view
// embeds: a field whose accessor would have one of these names is refused.
// View's method set is closed (runtime/session's TestViewMethodsClosed),
// so the list does not grow when the runtime gains a method; this
// package's TestViewMethodsMatchRuntime checks it against View itself.
var sessionViewMethods = []string{
	"Clear", "Cycle", "Err", "ExpireAtBrowserClose", "ExpiryAge", "ExpiryDate",
	"Flush", "IsEmpty", "Key", "Session", "SetExpiry",
}

// reservedMethods maps each name the view already has to a description
// of where it comes from.
func (r *run) reservedMethods() map[string]string {
	out := map[string]string{"View": "the embedded session.View field"}
	for _, name := range viewMethods {
		out[name] = "the generated method " + name
	}
	for _, name := range sessionViewMethods {
		out[name] = "the method " + name + " of the embedded session.View"
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
			names = append(names, "EncodeMsgpack", "DecodeMsgpack")
			if isSession[m] {
				names = append(names, "AppendMsgpack", "MarshalMsgpack", "UnmarshalMsgpack")
			}
			r.checkFree(structFuncName("append", m.name), m)
			r.checkFree(structFuncName("read", m.name), m)
		}
		if structNeedsCopy(m, map[*structModel]bool{}) {
			r.checkFree(structFuncName("clone", m.name), m)
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
	for _, m := range sessions {
		r.checkFree(viewCodecs(m), m)
	}
}
