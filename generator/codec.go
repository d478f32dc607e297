package generator

import (
	"github.com/dave/jennifer/jen"
)

// sliceCap bounds the capacity preallocated for a decoded slice or map:
// the length comes from the input, and a few hostile bytes must not make
// the decoder allocate gigabytes before it finds the input is short.
const sliceCap = 256

// encode writes the statements that encode x, of type t, with enc.
func (g *fileGen) encode(grp *jen.Group, x expr, t *typ, d int) {
	enc := func(method string, arg jen.Code) {
		g.check(grp, g.id("enc").Dot(method).Call(arg), returnErr)
	}
	switch t.kind {
	case kBool:
		enc("EncodeBool", conv(x.val(), t, "bool"))
	case kInt:
		enc("EncodeInt", conv(x.val(), t, "int64"))
	case kUint:
		enc("EncodeUint", conv(x.val(), t, "uint64"))
	case kFloat32:
		enc("EncodeFloat32", conv(x.val(), t, "float32"))
	case kFloat64:
		enc("EncodeFloat64", conv(x.val(), t, "float64"))
	case kString:
		enc("EncodeString", conv(x.val(), t, "string"))
	case kBytes:
		enc("EncodeBytes", g.asBytes(x, t))
	case kTime:
		enc("EncodeTime", g.asTime(x, t))
	case kByteArray:
		enc("EncodeBytes", x.operand().Index(jen.Empty(), jen.Empty()))
	case kStruct, kCustom:
		g.check(grp, x.recv().Dot("EncodeMsgpack").Call(g.id("enc")), returnErr)
	case kPointer:
		grp.If(x.val().Op("==").Nil()).Block(
			jen.If(g.err().Op(":=").Add(g.id("enc")).Dot("EncodeNil").Call(), g.err().Op("!=").Nil()).Block(jen.Return(g.err())),
		).Else().BlockFunc(func(grp *jen.Group) {
			g.encode(grp, x.derefOf(t), t.elem, d+1)
		})
	case kSlice:
		g.encodeSlice(grp, x, t, d)
	case kArray:
		g.check(grp, g.id("enc").Dot("EncodeArrayLen").Call(jen.Lit(int(t.n))), returnErr)
		i := g.name("i", d)
		grp.For(jen.Id(i).Op(":=").Range().Add(x.val())).BlockFunc(func(grp *jen.Group) {
			g.encode(grp, x.index(jen.Id(i)), t.elem, d+1)
		})
	case kMap:
		g.encodeMap(grp, x, t, d)
	}
}

func (g *fileGen) asBytes(x expr, t *typ) jen.Code {
	if t.goType.String() == "[]byte" {
		return x.val()
	}
	return jen.Index().Byte().Call(x.val())
}

func (g *fileGen) asTime(x expr, t *typ) jen.Code {
	if isTimeType(t.goType) {
		return x.val()
	}
	return g.std("time", "Time").Call(x.val())
}

func (g *fileGen) encodeSlice(grp *jen.Group, x expr, t *typ, d int) {
	i := g.name("i", d)
	grp.If(x.val().Op("==").Nil()).Block(
		jen.If(g.err().Op(":=").Add(g.id("enc")).Dot("EncodeNil").Call(), g.err().Op("!=").Nil()).Block(jen.Return(g.err())),
	).Else().BlockFunc(func(grp *jen.Group) {
		g.check(grp, g.id("enc").Dot("EncodeArrayLen").Call(jen.Len(x.val())), returnErr)
		grp.For(jen.Id(i).Op(":=").Range().Add(x.val())).BlockFunc(func(grp *jen.Group) {
			g.encode(grp, x.index(jen.Id(i)), t.elem, d+1)
		})
	})
}

// encodeMap writes the entries in sorted key order, so equal sessions
// encode to equal bytes. The keys are sorted in a small array on the stack
// unless the map is large.
func (g *fileGen) encodeMap(grp *jen.Group, x expr, t *typ, d int) {
	ks, keys, k, e := g.name("ks", d), g.name("keys", d), g.name("k", d), g.name("e", d)
	grp.If(x.val().Op("==").Nil()).Block(
		jen.If(g.err().Op(":=").Add(g.id("enc")).Dot("EncodeNil").Call(), g.err().Op("!=").Nil()).Block(jen.Return(g.err())),
	).Else().BlockFunc(func(grp *jen.Group) {
		g.check(grp, g.id("enc").Dot("EncodeMapLen").Call(jen.Len(x.val())), returnErr)
		grp.Var().Id(ks).Index(jen.Lit(8)).Add(g.typeCode(t.key.goType))
		grp.Id(keys).Op(":=").Id(ks).Index(jen.Empty(), jen.Lit(0))
		grp.For(jen.Id(k).Op(":=").Range().Add(x.val())).Block(
			jen.Id(keys).Op("=").Append(jen.Id(keys), jen.Id(k)),
		)
		grp.Add(g.std("slices", "Sort")).Call(jen.Id(keys))
		grp.For(jen.List(jen.Id("_"), jen.Id(k)).Op(":=").Range().Id(keys)).BlockFunc(func(grp *jen.Group) {
			g.encode(grp, id(k), t.key, d+1)
			grp.Id(e).Op(":=").Add(x.operand()).Index(jen.Id(k))
			g.encode(grp, id(e), t.elem, d+1)
		})
	})
}

// scalarDecoders names the Decoder method for each basic type and the type
// it returns.
var scalarDecoders = map[string]string{
	"bool": "DecodeBool", "string": "DecodeString",
	"int": "DecodeInt", "int8": "DecodeInt8", "int16": "DecodeInt16", "int32": "DecodeInt32", "int64": "DecodeInt64",
	"uint": "DecodeUint", "uint8": "DecodeUint8", "uint16": "DecodeUint16", "uint32": "DecodeUint32", "uint64": "DecodeUint64",
	"float32": "DecodeFloat32", "float64": "DecodeFloat64",
}

// decode writes the statements that decode a value of type t with dec and
// assign it to the addressable lv. fail returns an error. The value lies
// inside lvl arrays and maps more than the function's depth (see
// fileGen.depth): each array or map it holds is checked with codec.Enter,
// and nested structs of the package are decoded with the depth reached, so
// that no input, however deep, overflows the stack.
func (g *fileGen) decode(grp *jen.Group, lv jen.Code, t *typ, d, lvl int, fail failFunc) {
	switch t.kind {
	case kBool, kInt, kUint, kFloat32, kFloat64, kString:
		basic := t.basic
		if t.kind == kBool {
			basic = "bool"
		}
		g.decodeScalar(grp, lv, t, d, fail, scalarDecoders[basic], basic)
	case kBytes:
		g.decodeBytes(grp, lv, t, d, fail)
	case kTime:
		v := g.name("t", d)
		grp.Block(
			jen.List(jen.Id(v), g.err()).Op(":=").Add(g.id("dec")).Dot("DecodeTime").Call(),
			jen.If(g.err().Op("!=").Nil()).Block(fail(g.err())),
			jen.Add(lv).Op("=").Add(g.fromTime(jen.Id(v).Dot("UTC").Call(), t)),
		)
	case kByteArray:
		g.decodeByteArray(grp, lv, t, d, fail)
	case kStruct:
		g.check(grp, jen.Add(lv).Dot(decodeMethod).Call(g.id("dec"), g.depth(lvl)), fail)
	case kCustom:
		g.check(grp, jen.Add(lv).Dot("DecodeMsgpack").Call(g.id("dec")), fail)
	case kPointer:
		g.decodePointer(grp, lv, t, d, lvl, fail)
	case kSlice:
		g.decodeSlice(grp, lv, t, d, lvl, fail)
	case kArray:
		g.decodeArray(grp, lv, t, d, lvl, fail)
	case kMap:
		g.decodeMap(grp, lv, t, d, lvl, fail)
	}
}

func (g *fileGen) decodeScalar(grp *jen.Group, lv jen.Code, t *typ, d int, fail failFunc, method, basic string) {
	v := g.name("x", d)
	grp.Block(
		jen.List(jen.Id(v), g.err()).Op(":=").Add(g.id("dec")).Dot(method).Call(),
		jen.If(g.err().Op("!=").Nil()).Block(fail(g.err())),
		jen.Add(lv).Op("=").Add(g.convTo(jen.Id(v), t, basic)),
	)
}

// decodeBytes reads a []byte with codec.ReadBytes, not the Decoder's
// DecodeBytes, which allocates whatever length the input declares.
func (g *fileGen) decodeBytes(grp *jen.Group, lv jen.Code, t *typ, d int, fail failFunc) {
	v := g.name("x", d)
	var val jen.Code = jen.Id(v)
	if t.goType.String() != "[]byte" {
		val = jen.Add(g.typeCode(t.goType)).Call(jen.Id(v))
	}
	grp.Block(
		jen.List(jen.Id(v), g.err()).Op(":=").Add(g.codec("ReadBytes")).Call(g.id("dec")),
		jen.If(g.err().Op("!=").Nil()).Block(fail(g.err())),
		jen.Add(lv).Op("=").Add(val),
	)
}

func (g *fileGen) fromTime(x jen.Code, t *typ) jen.Code {
	if isTimeType(t.goType) {
		return x
	}
	return jen.Add(g.typeCode(t.goType)).Call(x)
}

// decodeByteArray reads a [N]byte in place with codec.ReadByteArray,
// which checks the length before reading and allocates nothing.
func (g *fileGen) decodeByteArray(grp *jen.Group, lv jen.Code, t *typ, d int, fail failFunc) {
	isNil := g.name("isNil", d)
	grp.Block(
		jen.List(jen.Id(isNil), g.err()).Op(":=").Add(g.codec("ReadByteArray")).Call(g.id("dec"), jen.Add(lv).Index(jen.Empty(), jen.Empty())),
		jen.If(g.err().Op("!=").Nil()).Block(fail(g.err())),
		jen.If(jen.Id(isNil)).Block(
			jen.Add(lv).Op("=").Add(g.typeCode(t.goType)).Values(),
		),
	)
}

func (g *fileGen) decodePointer(grp *jen.Group, lv jen.Code, t *typ, d, lvl int, fail failFunc) {
	c, p := g.name("c", d), g.name("p", d)
	grp.Block(
		jen.List(jen.Id(c), g.err()).Op(":=").Add(g.id("dec")).Dot("PeekCode").Call(),
		jen.If(g.err().Op("!=").Nil()).Block(fail(g.err())),
		jen.If(jen.Id(c).Op("==").Add(g.msgpcode("Nil"))).BlockFunc(func(grp *jen.Group) {
			g.check(grp, g.id("dec").Dot("DecodeNil").Call(), fail)
			grp.Add(lv).Op("=").Nil()
		}).Else().BlockFunc(func(grp *jen.Group) {
			grp.Var().Id(p).Add(g.typeCode(t.elem.goType))
			g.decode(grp, jen.Id(p), t.elem, d+1, lvl, fail)
			grp.Add(lv).Op("=").Op("&").Id(p)
		}),
	)
}

func (g *fileGen) decodeSlice(grp *jen.Group, lv jen.Code, t *typ, d, lvl int, fail failFunc) {
	n, s, i, e := g.name("n", d), g.name("s", d), g.name("i", d), g.name("e", d)
	grp.Block(
		g.enter(lvl+1, fail),
		jen.List(jen.Id(n), g.err()).Op(":=").Add(g.id("dec")).Dot("DecodeArrayLen").Call(),
		jen.If(g.err().Op("!=").Nil()).Block(fail(g.err())),
		jen.If(jen.Id(n).Op("<").Lit(0)).Block(
			jen.Add(lv).Op("=").Nil(),
		).Else().BlockFunc(func(grp *jen.Group) {
			grp.Id(s).Op(":=").Make(g.typeCode(t.goType), jen.Lit(0), jen.Min(jen.Id(n), jen.Lit(sliceCap)))
			grp.For(jen.Id(i).Op(":=").Lit(0), jen.Id(i).Op("<").Id(n), jen.Id(i).Op("++")).BlockFunc(func(grp *jen.Group) {
				grp.Var().Id(e).Add(g.typeCode(t.elem.goType))
				g.decode(grp, jen.Id(e), t.elem, d+1, lvl+1, fail)
				grp.Id(s).Op("=").Append(jen.Id(s), jen.Id(e))
			})
			grp.Add(lv).Op("=").Id(s)
		}),
	)
}

func (g *fileGen) decodeArray(grp *jen.Group, lv jen.Code, t *typ, d, lvl int, fail failFunc) {
	n, i := g.name("n", d), g.name("i", d)
	grp.Block(
		g.enter(lvl+1, fail),
		jen.List(jen.Id(n), g.err()).Op(":=").Add(g.id("dec")).Dot("DecodeArrayLen").Call(),
		jen.If(g.err().Op("!=").Nil()).Block(fail(g.err())),
		jen.If(jen.Id(n).Op("<").Lit(0)).Block(
			jen.Add(lv).Op("=").Add(g.typeCode(t.goType)).Values(),
		).Else().If(jen.Id(n).Op("!=").Lit(int(t.n))).Block(
			fail(g.std("fmt", "Errorf").Call(jen.Lit("msgpack: array of %d elements for a %d-element array"), jen.Id(n), jen.Lit(int(t.n)))),
		).Else().BlockFunc(func(grp *jen.Group) {
			grp.For(jen.Id(i).Op(":=").Lit(0), jen.Id(i).Op("<").Id(n), jen.Id(i).Op("++")).BlockFunc(func(grp *jen.Group) {
				g.decode(grp, jen.Add(lv).Index(jen.Id(i)), t.elem, d+1, lvl+1, fail)
			})
		}),
	)
}

func (g *fileGen) decodeMap(grp *jen.Group, lv jen.Code, t *typ, d, lvl int, fail failFunc) {
	n, m, i, k, e := g.name("n", d), g.name("m", d), g.name("i", d), g.name("k", d), g.name("e", d)
	grp.Block(
		g.enter(lvl+1, fail),
		jen.List(jen.Id(n), g.err()).Op(":=").Add(g.id("dec")).Dot("DecodeMapLen").Call(),
		jen.If(g.err().Op("!=").Nil()).Block(fail(g.err())),
		jen.If(jen.Id(n).Op("<").Lit(0)).Block(
			jen.Add(lv).Op("=").Nil(),
		).Else().BlockFunc(func(grp *jen.Group) {
			grp.Id(m).Op(":=").Make(g.typeCode(t.goType), jen.Min(jen.Id(n), jen.Lit(sliceCap)))
			grp.For(jen.Id(i).Op(":=").Lit(0), jen.Id(i).Op("<").Id(n), jen.Id(i).Op("++")).BlockFunc(func(grp *jen.Group) {
				grp.Var().Id(k).Add(g.typeCode(t.key.goType))
				g.decode(grp, jen.Id(k), t.key, d+1, lvl+1, fail)
				grp.Var().Id(e).Add(g.typeCode(t.elem.goType))
				g.decode(grp, jen.Id(e), t.elem, d+1, lvl+1, fail)
				grp.Id(m).Index(jen.Id(k)).Op("=").Id(e)
			})
			grp.Add(lv).Op("=").Id(m)
		}),
	)
}

// enter is `if err := codec.Enter(depth+lvl); err != nil { fail }`, for an
// array or map that lvl-1 arrays and maps surround beyond the depth.
func (g *fileGen) enter(lvl int, fail failFunc) jen.Code {
	return jen.If(g.err().Op(":=").Add(g.codec("Enter")).Call(g.depth(lvl)), g.err().Op("!=").Nil()).Block(fail(g.err()))
}

// depth spells the nesting depth lvl levels below the current function's:
// depth+lvl in a decode method, a constant in DecodeField.
func (g *fileGen) depth(lvl int) jen.Code {
	if g.depthVar == "" {
		return jen.Lit(envelopeDepth + lvl)
	}
	if lvl == 0 {
		return jen.Id(g.depthVar)
	}
	return jen.Id(g.depthVar).Op("+").Lit(lvl)
}

// envelopeDepth is the depth DecodeField counts a field's value from. It is
// 0, as in the envelope's structure check (runtime/codec): a field's value
// may nest codec.MaxDepth levels, the envelope's own array and fields map
// not counted, so that whatever passes the check also decodes.
const envelopeDepth = 0
