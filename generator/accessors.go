package generator

import (
	"fmt"
	"go/types"
	"strings"

	"github.com/dave/jennifer/jen"
)

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
	return []string{field, "Set" + field, "Has" + field, "Delete" + field, "Pop" + field, "SetDefault" + field}
}

// viewMethods are the methods of the generated view besides the accessors
// and the codec.Fields methods.
var viewMethods = []string{"Values", "Update"}

// presence spells the word of the presence bits that holds field i, and
// its mask.
func (g *fileGen) presence(m *structModel, i int) (word, mask jen.Code) {
	word = g.id("s").Dot("has")
	if len(m.fields) > 64 {
		word = g.id("s").Dot("has").Index(jen.Lit(i / 64))
	}
	return word, jen.Lit(1).Op("<<").Lit(i % 64)
}

func (g *fileGen) isSet(m *structModel, i int) *jen.Statement {
	w, mask := g.presence(m, i)
	return jen.Add(w).Op("&").Parens(mask).Op("!=").Lit(0)
}

func (g *fileGen) isClear(m *structModel, i int) *jen.Statement {
	w, mask := g.presence(m, i)
	return jen.Add(w).Op("&").Parens(mask).Op("==").Lit(0)
}

func (g *fileGen) setBit(m *structModel, i int) *jen.Statement {
	w, mask := g.presence(m, i)
	return jen.Add(w).Op("|=").Add(mask)
}

func (g *fileGen) clearBit(m *structModel, i int) *jen.Statement {
	w, mask := g.presence(m, i)
	return jen.Add(w).Op("&^=").Add(mask)
}

// view writes the session view type, its constructors and its methods.
func (g *fileGen) view(m *structModel, schema string) {
	n := namesFor(m.name, g.pkgName)
	f := g.f
	for _, line := range strings.Split(schema, "\n") {
		f.Comment(line)
	}
	has := jen.Uint64()
	if len(m.fields) > 64 {
		has = jen.Index(jen.Lit((len(m.fields) + 63) / 64)).Uint64()
	}
	f.Type().Id(n.view).Struct(
		jen.Op("*").Add(g.session("Session")),
		jen.Line(),
		jen.Id("v").Id(m.name).Comment("the data"),
		jen.Id("has").Add(has).Comment("presence: bit i is field i"),
	)
	f.Line()
	g.constructors(m, n)
	g.fieldsMethods(m, n)
	for _, fl := range m.fields {
		g.accessors(m, n, fl)
	}
	g.wholeValue(m, n)
}

func (g *fileGen) constructors(m *structModel, n sessionNames) {
	f := g.f
	f.Commentf("%s returns the session of r as a %s; see %s.", n.from, n.view, n.fromCtx)
	f.Func().Id(n.from).Params(g.id("r").Op("*").Add(g.std("net/http", "Request"))).Params(jen.Op("*").Id(n.view), jen.Error()).Block(
		jen.Return(jen.Id(n.fromCtx).Call(g.id("r").Dot("Context").Call())),
	)
	f.Line()
	f.Commentf("%s returns the session that session.Manager's middleware put in ctx as a %s.", n.fromCtx, n.view)
	f.Comment("The first call in a request loads the data from the store; it is the only call")
	f.Comment("of the typed API that does I/O, and so the only one that returns an error.")
	f.Func().Id(n.fromCtx).Params(g.id("ctx").Add(g.std("context", "Context"))).Params(jen.Op("*").Id(n.view), jen.Error()).Block(
		jen.List(g.id("s"), g.err()).Op(":=").Add(g.session("FromContext")).Call(g.id("ctx")),
		jen.If(g.err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), g.err())),
		jen.Return(jen.Id(n.of).Call(g.id("ctx"), g.id("s"))),
	)
	f.Line()
	f.Commentf("%s binds s, for example one from session.Manager.Open, to %s and returns", n.of, n.typ)
	f.Commentf("its typed view, loading the data if it was not loaded yet. Later calls return")
	f.Commentf("the same view. It fails with an error wrapping session.ErrBoundType when s is")
	f.Commentf("already bound to another type.")
	f.Func().Id(n.of).Params(g.id("ctx").Add(g.std("context", "Context")), g.id("s").Op("*").Add(g.session("Session"))).Params(jen.Op("*").Id(n.view), jen.Error()).Block(
		jen.List(g.id("f"), g.err()).Op(":=").Add(g.id("s")).Dot("Bind").Call(g.id("ctx"),
			jen.Func().Params(g.id("s").Op("*").Add(g.session("Session"))).Add(g.codec("Fields")).Block(
				jen.Return(jen.Op("&").Id(n.view).Values(jen.Dict{jen.Id("Session"): g.id("s")})),
			)),
		jen.If(g.err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), g.err())),
		jen.List(g.id("v"), g.id("ok")).Op(":=").Add(g.id("f")).Assert(jen.Op("*").Id(n.view)),
		jen.If(jen.Op("!").Add(g.id("ok"))).Block(jen.Return(jen.Nil(), g.std("fmt", "Errorf").Call(
			jen.Lit(fmt.Sprintf("%s.%s: %%w: it is a %%T, not a *%s.%s", g.pkgName, n.of, g.pkgName, n.view)),
			g.session("ErrBoundType"), g.id("f")))),
		jen.Return(g.id("v"), jen.Nil()),
	)
	f.Line()
}

// fieldsMethods implements codec.Fields.
func (g *fileGen) fieldsMethods(m *structModel, n sessionNames) {
	f := g.f
	recv := g.id("s").Op("*").Id(n.view)
	f.Comment("FieldCount implements codec.Fields: it reports how many fields are present.")
	f.Func().Params(recv.Clone()).Id("FieldCount").Params().Int().BlockFunc(func(grp *jen.Group) {
		if len(m.fields) <= 64 {
			grp.Return(g.std("math/bits", "OnesCount64").Call(g.id("s").Dot("has")))
			return
		}
		grp.Add(g.id("n")).Op(":=").Lit(0)
		grp.For(jen.List(jen.Id("_"), g.id("w")).Op(":=").Range().Add(g.id("s")).Dot("has")).Block(
			g.id("n").Op("+=").Add(g.std("math/bits", "OnesCount64")).Call(g.id("w")),
		)
		grp.Return(g.id("n"))
	})
	f.Line()
	f.Comment("EncodeFields implements codec.Fields: it writes each present field as its key and value.")
	f.Func().Params(recv.Clone()).Id("EncodeFields").Params(g.id("enc").Op("*").Add(g.msgpack("Encoder"))).Error().BlockFunc(func(grp *jen.Group) {
		if len(m.fields) > 0 {
			grp.Add(g.id("v")).Op(":=").Op("&").Add(g.id("s")).Dot("v")
		}
		for i, fl := range m.fields {
			grp.If(g.isSet(m, i)).BlockFunc(func(grp *jen.Group) {
				g.writeKey(grp, fl.key)
				g.encode(grp, g.ident("v").dot(fl.name), fl.typ, 0)
			})
		}
		grp.Return(jen.Nil())
	})
	f.Line()
	f.Comment("DecodeField implements codec.Fields. A value that does not fit its field's type")
	f.Comment("leaves the field absent and zero, and is reported as an error.")
	f.Func().Params(recv.Clone()).Id("DecodeField").Params(g.id("dec").Op("*").Add(g.msgpack("Decoder")), g.id("key").Index().Byte()).Params(jen.Bool(), jen.Error()).BlockFunc(func(grp *jen.Group) {
		if len(m.fields) == 0 {
			grp.Return(jen.False(), jen.Nil())
			return
		}
		grp.Switch(jen.String().Call(g.id("key"))).BlockFunc(func(grp *jen.Group) {
			for i, fl := range m.fields {
				grp.Case(jen.Lit(fl.key)).BlockFunc(func(grp *jen.Group) {
					grp.Comment("Until the value decodes, the field is absent.")
					grp.Add(g.id("s")).Dot("v").Dot(fl.name).Op("=").Add(g.zeroValue(fl.typ))
					grp.Add(g.clearBit(m, i))
					grp.Var().Add(g.id("x")).Add(g.typeCode(fl.typ.goType))
					g.decode(grp, g.id("x"), fl.typ, 0, 0, returnKnownErr)
					grp.Add(g.id("s")).Dot("v").Dot(fl.name).Op("=").Add(g.id("x"))
					grp.Add(g.setBit(m, i))
					grp.Return(jen.True(), jen.Nil())
				})
			}
		})
		grp.Return(jen.False(), jen.Nil())
	})
	f.Line()
	f.Comment("ResetFields implements codec.Fields: it makes every field absent.")
	f.Func().Params(recv.Clone()).Id("ResetFields").Params().Block(
		g.id("s").Dot("v").Op("=").Id(m.name).Values(),
		g.id("s").Dot("has").Op("=").Add(func() jen.Code {
			if len(m.fields) > 64 {
				return jen.Index(jen.Lit((len(m.fields) + 63) / 64)).Uint64().Values()
			}
			return jen.Lit(0)
		}()),
	)
	f.Line()
	f.Comment("AppendFieldKeys implements codec.Fields: it appends the keys of the present fields.")
	f.Func().Params(recv.Clone()).Id("AppendFieldKeys").Params(g.id("dst").Index().String()).Index().String().BlockFunc(func(grp *jen.Group) {
		for i, fl := range m.fields {
			grp.If(g.isSet(m, i)).Block(g.id("dst").Op("=").Append(g.id("dst"), jen.Lit(fl.key)))
		}
		grp.Return(g.id("dst"))
	})
	f.Line()
}

// accessors writes the six methods of one field. Their semantics are
// Django's dict operations on request.session (C02-C08 in
// runtime/sessiontest/CONFORMANCE.md).
func (g *fileGen) accessors(m *structModel, n sessionNames, fl *field) {
	f := g.f
	i := fl.index
	T := g.typeCode(fl.typ.goType)
	recv := g.id("s").Op("*").Id(n.view)
	live := g.ident("s").dot("v").dot(fl.name)
	lv := g.id("s").Dot("v").Dot(fl.name)
	deep := needsCopy(fl.typ)
	about := fmt.Sprintf("the %s field (key %q)", fl.name, fl.key)
	copyNote := ""
	if deep {
		copyNote = " a copy of"
	}

	f.Commentf("%s returns%s %s, or its zero value when absent. It marks the session accessed.", fl.name, copyNote, about)
	if fl.doc != "" {
		f.Comment(fl.doc)
	}
	f.Func().Params(recv.Clone()).Id(fl.name).Params().Add(T).BlockFunc(func(grp *jen.Group) {
		grp.Add(g.id("s")).Dot("MarkAccessed").Call()
		g.returnCopy(grp, live, fl.typ, T)
	})
	f.Line()

	f.Commentf("Set%s stores%s x as %s and marks the session modified.", fl.name, copyNote, about)
	f.Func().Params(recv.Clone()).Id("Set" + fl.name).Params(g.id("x").Add(T)).BlockFunc(func(grp *jen.Group) {
		g.copyTo(grp, lv.Clone(), g.ident("x"), fl.typ, 0)
		grp.Add(g.setBit(m, i))
		grp.Add(g.id("s")).Dot("MarkModified").Call()
	})
	f.Line()

	f.Commentf("Has%s reports whether %s is present. It marks the session accessed.", fl.name, about)
	f.Func().Params(recv.Clone()).Id("Has"+fl.name).Params().Bool().Block(
		g.id("s").Dot("MarkAccessed").Call(),
		jen.Return(g.isSet(m, i)),
	)
	f.Line()

	f.Commentf("Delete%s removes %s. It marks the session modified if the field was present,", fl.name, about)
	f.Comment("else only accessed.")
	f.Func().Params(recv.Clone()).Id("Delete"+fl.name).Params().Block(
		jen.If(g.isClear(m, i)).Block(
			g.id("s").Dot("MarkAccessed").Call(),
			jen.Return(),
		),
		lv.Clone().Op("=").Add(g.zeroValue(fl.typ)),
		g.clearBit(m, i),
		g.id("s").Dot("MarkModified").Call(),
	)
	f.Line()

	f.Commentf("Pop%s removes %s and returns its value and true, marking the session", fl.name, about)
	f.Comment("modified; when the field is absent it returns the zero value and false, and marks")
	f.Comment("the session accessed only.")
	f.Func().Params(recv.Clone()).Id("Pop"+fl.name).Params().Params(T, jen.Bool()).Block(
		jen.If(g.isClear(m, i)).Block(
			g.id("s").Dot("MarkAccessed").Call(),
			jen.Return(g.zeroValue(fl.typ), jen.False()),
		),
		jen.Comment("The session lets go of the value, so the caller may have it as is."),
		g.id("x").Op(":=").Add(lv.Clone()),
		lv.Clone().Op("=").Add(g.zeroValue(fl.typ)),
		g.clearBit(m, i),
		g.id("s").Dot("MarkModified").Call(),
		jen.Return(g.id("x"), jen.True()),
	)
	f.Line()

	f.Commentf("SetDefault%s returns%s %s if present, marking the session accessed;", fl.name, copyNote, about)
	f.Comment("otherwise it stores" + copyNote + " x, marks the session modified and returns x.")
	f.Func().Params(recv.Clone()).Id("SetDefault" + fl.name).Params(g.id("x").Add(T)).Add(T).BlockFunc(func(grp *jen.Group) {
		grp.If(g.isSet(m, i)).BlockFunc(func(grp *jen.Group) {
			grp.Add(g.id("s")).Dot("MarkAccessed").Call()
			g.returnCopy(grp, live, fl.typ, T)
		})
		g.copyTo(grp, lv.Clone(), g.ident("x"), fl.typ, 0)
		grp.Add(g.setBit(m, i))
		grp.Add(g.id("s")).Dot("MarkModified").Call()
		grp.Return(g.id("x"))
	})
	f.Line()
}

// returnCopy returns x, deep-copied when it shares memory.
func (g *fileGen) returnCopy(grp *jen.Group, x expr, t *typ, T jen.Code) {
	switch {
	case !needsCopy(t):
		grp.Return(x.val())
		return
	case t.kind == kBytes || t.kind == kSlice && !needsCopy(t.elem):
		grp.Return(g.std("slices", "Clone").Call(x.val()))
		return
	case t.kind == kMap && !needsCopy(t.elem):
		grp.Return(g.std("maps", "Clone").Call(x.val()))
		return
	}
	grp.Var().Add(g.id("c")).Add(T)
	g.copyTo(grp, g.id("c"), x, t, 0)
	grp.Return(g.id("c"))
}

// wholeValue writes Values and Update.
func (g *fileGen) wholeValue(m *structModel, n sessionNames) {
	f := g.f
	recv := g.id("s").Op("*").Id(n.view)
	deep := structNeedsCopy(m, map[*structModel]bool{})
	f.Commentf("Values returns a copy of the whole %s; absent fields are zero. It marks the", m.name)
	f.Comment("session accessed.")
	f.Func().Params(recv.Clone()).Id("Values").Params().Id(m.name).BlockFunc(func(grp *jen.Group) {
		grp.Add(g.id("s")).Dot("MarkAccessed").Call()
		if deep {
			grp.Return(g.id("s").Dot("v").Dot(cloneMethod).Call())
		} else {
			grp.Return(g.id("s").Dot("v"))
		}
	})
	f.Line()
	f.Commentf("Update calls fn with the session's live %s to change several fields at once,", m.name)
	f.Comment("then marks the session modified. Afterwards a field is present if it was present")
	f.Comment("before or fn left it non-zero; use the Delete methods to remove fields. fn must")
	f.Comment("not keep the pointer, or slices or maps reached through it, after it returns.")
	f.Func().Params(recv.Clone()).Id("Update").Params(g.id("fn").Func().Params(jen.Op("*").Id(m.name))).BlockFunc(func(grp *jen.Group) {
		grp.Add(g.id("fn")).Call(jen.Op("&").Add(g.id("s")).Dot("v"))
		for i, fl := range m.fields {
			x := g.ident("s").dot("v").dot(fl.name)
			if fl.typ.kind == kArray && !types.Comparable(fl.typ.goType) {
				grp.For(g.id("i").Op(":=").Range().Add(x.val())).Block(
					jen.If(g.nonZero(x.index(g.id("i")), fl.typ.elem)).Block(g.setBit(m, i), jen.Break()),
				)
				continue
			}
			grp.If(g.nonZero(x, fl.typ)).Block(g.setBit(m, i))
		}
		grp.Add(g.id("s")).Dot("MarkModified").Call()
	})
	f.Line()
}
