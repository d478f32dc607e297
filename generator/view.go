package generator

import (
	"embed"
	"fmt"
	"strings"
	"text/template"
)

// code holds the templates of the fixed-shape code sessiongen writes.
//
//go:embed code/*.tmpl
var code embed.FS

// viewTemplate is the typed view of a session type: its struct, codecs,
// constructors and accessors.
var viewTemplate = template.Must(template.New("view.go.tmpl").Option("missingkey=error").
	Funcs(template.FuncMap{"L": noLocal, "S": noLocal, "Q": noQual}).ParseFS(code, "code/view.go.tmpl"))

// noLocal and noQual stand in for the functions each file binds (see view).
func noLocal(string) string        { return "" }
func noQual(string, string) string { return "" }

// viewData is what view.go.tmpl receives.
type viewData struct {
	Type, View, From, FromContext, Of string
	Codecs                            string // the package-level var of the field codecs
	Doc                               []string
	Fields                            []viewField
}

// viewField is one field of a view: its Go name and type, its key, its
// doc, and the codec funcs of its Codec.
type viewField struct {
	Name, T, Key, Doc   string
	Append, Read, Clone string // Clone is "" for a type that assignment copies
}

// sessionNames are the package-level names generated for a session type.
type sessionNames struct {
	typ, view, from, fromCtx, of string
}

// namesFor returns the names generated for a session type: VisitorSession,
// VisitorFrom, VisitorFromContext and VisitorOf for Visitor. A type named
// like its package (type Probe in package probe) drops the
// stutter, as Go names do: probe.Session, probe.From, probe.FromContext
// and probe.Of.
func namesFor(typeName, pkgName string) sessionNames {
	if strings.EqualFold(typeName, pkgName) {
		return sessionNames{typ: typeName, view: "Session", from: "From", fromCtx: "FromContext", of: "Of"}
	}
	return sessionNames{
		typ:     typeName,
		view:    typeName + "Session",
		from:    typeName + "From",
		fromCtx: typeName + "FromContext",
		of:      typeName + "Of",
	}
}

// accessorNames are the methods generated for a field, in order.
func accessorNames(field string) []string {
	return []string{field, "Set" + field, "Has" + field, "Delete" + field, "Pop" + field, "SetDefault" + field, "Modify" + field}
}

// viewMethods are the methods of the generated view besides the accessors.
var viewMethods = []string{"Values", "Update"}

// viewCodecs names the package-level var holding a session type's field
// codecs.
func viewCodecs(m *structModel) string { return helperPrefix(m.name) + "Fields" }

// view writes the typed view of a session type.
func (g *fileGen) view(m *structModel, schema string) error {
	n := namesFor(m.name, g.pkgName)
	data := viewData{
		Type: m.name, View: n.view, From: n.from, FromContext: n.fromCtx, Of: n.of,
		Codecs: viewCodecs(m),
		Doc:    strings.Split(schema, "\n"),
	}
	for _, f := range m.fields {
		vf := viewField{
			Name: f.name, T: g.typeString(f.typ.goType), Key: f.key, Doc: f.doc,
			Append: g.appendFn(f.typ), Read: g.readFn(f.typ),
		}
		if needsCopy(f.typ) {
			vf.Clone = g.cloneFn(f.typ)
		}
		data.Fields = append(data.Fields, vf)
	}
	t, err := viewTemplate.Clone()
	if err != nil {
		return err
	}
	t.Funcs(template.FuncMap{"L": g.local, "S": g.session, "Q": g.std})
	if err := t.Execute(&g.b, data); err != nil {
		return fmt.Errorf("template %s: %w", t.Name(), err)
	}
	return nil
}
