package generator

import (
	"path"
)

// predeclared are the predeclared identifiers generated code uses. A
// package that declares one of them at package level hides it from every
// file of the package, generated ones included, and cannot be generated
// for.
var predeclared = wordSet("bool byte error float32 float64 int int8 int16 int32 int64 " +
	"uint uint8 uint16 uint32 uint64 uintptr rune string nil true false append len make min")

// importNames are the packages generated code may import, by name.
var importNames = []string{
	"bytes", "context", "fmt", "maps", "bits", "http", "slices", "reflect", "time",
	path.Base(codecPath), path.Base(sessionPath), "msgpack", "msgpcode",
}

// collectTaken records the names that generated locals must avoid: the
// package-level names of every file of the package, and the names under
// which generated files may import packages. It refuses a package-level
// declaration of a predeclared identifier the generated code needs.
func (r *run) collectTaken(decls []topDecl) {
	r.taken = map[string]bool{}
	r.declared = map[string]bool{}
	for _, d := range decls {
		if d.pkg != r.pkg.Name() {
			continue // an external test package, or a stray file
		}
		r.taken[d.name] = true
		r.declared[d.name] = true
		if predeclared[d.name] {
			pos := d.pos
			pos.Filename = r.b.relative(pos.Filename)
			r.b.errs.add(pos, "package %s declares %s, which hides Go's predeclared %s from every file of the package, and generated code needs it: rename the declaration", r.pkg.Name(), d.name, d.name)
		}
	}
	for _, n := range importNames {
		r.taken[n] = true
		r.taken[n+"pkg"] = true
	}
	for _, p := range r.pkg.Imports() {
		r.taken[p.Name()] = true
		r.taken[p.Name()+"pkg"] = true
	}
}
