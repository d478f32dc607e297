package generator

import (
	"fmt"
	"go/types"
	"maps"
	"slices"
	"strings"
)

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

// typeString spells a Go type, qualifying (and importing) other packages.
func (g *fileGen) typeString(t types.Type) string {
	switch t := t.(type) {
	case *types.Basic:
		return t.Name()
	case *types.Alias:
		return g.qualType(t.Obj())
	case *types.Named:
		return g.qualType(t.Obj())
	case *types.Pointer:
		return "*" + g.typeString(t.Elem())
	case *types.Slice:
		return "[]" + g.typeString(t.Elem())
	case *types.Array:
		return fmt.Sprintf("[%d]%s", t.Len(), g.typeString(t.Elem()))
	case *types.Map:
		return "map[" + g.typeString(t.Key()) + "]" + g.typeString(t.Elem())
	}
	// The model admits no other types; this keeps a mistake visible in
	// the output (which then fails to compile) rather than panicking.
	return types.TypeString(t, nil)
}

func (g *fileGen) qualType(obj *types.TypeName) string {
	if obj.Pkg() == nil || obj.Pkg().Path() == g.pkgPath {
		return obj.Name()
	}
	return g.qual(obj.Pkg().Path(), obj.Pkg().Name(), obj.Name())
}

// qual spells ident of the package at path, importing the package under
// its name, or under an alias when the package already declares that name.
func (g *fileGen) qual(path, pkgName, ident string) string {
	name, ok := g.imports[path]
	if !ok {
		name = pkgName
		if g.declared[pkgName] || g.scope.Lookup(pkgName) != nil {
			name = pkgName + "pkg"
			for g.declared[name] {
				name += "_"
			}
		}
		g.imports[path] = name
		g.pkgNames[path] = pkgName
	}
	return name + "." + ident
}

// Qualified identifiers of the packages generated code uses.
func (g *fileGen) session(id string) string { return g.qual(sessionPath, "session", id) }
func (g *fileGen) codec(id string) string   { return g.qual(codecPath, "codec", id) }
func (g *fileGen) msgpack(id string) string { return g.qual(msgpackPath, "msgpack", id) }
func (g *fileGen) std(path, id string) string {
	return g.qual(path, path[strings.LastIndexByte(path, '/')+1:], id)
}

// importBlock spells the file's import declaration.
func (g *fileGen) importBlock() string {
	if len(g.imports) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("import (\n")
	for _, path := range slices.Sorted(maps.Keys(g.imports)) {
		if name := g.imports[path]; name != g.pkgNames[path] {
			fmt.Fprintf(&b, "\t%s %q\n", name, path)
		} else {
			fmt.Fprintf(&b, "\t%q\n", path)
		}
	}
	b.WriteString(")\n")
	return b.String()
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
