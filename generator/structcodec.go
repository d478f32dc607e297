package generator

// structCodec writes the codec of a struct: append and read functions,
// which every value holding the struct uses, and the msgpack methods over
// them (EncodeMsgpack, DecodeMsgpack; for a session type also
// MarshalMsgpack and UnmarshalMsgpack). The struct is a map keyed by field
// keys, every field included. A session type's fields are written and read
// by their codecs (viewCodecs), which its view uses too.
func (g *fileGen) structCodec(m *structModel, session bool) {
	w, r, v, depth := g.local("w"), g.local("r"), g.local("v"), g.local("depth")
	appendName, readName := g.structFunc("append", m), g.structFunc("read", m)
	codecs := ""
	if session {
		codecs = viewCodecs(m)
	}

	g.printf("// %s writes %s as a msgpack map from field keys to values.\n", appendName, v)
	g.printf("func %s(%s *%s, %s %s) {\n", appendName, w, g.codec("Writer"), v, m.name)
	g.printf("\t%s.MapLen(%d)\n", w, len(m.fields))
	for _, f := range m.fields {
		x := v + "." + f.name
		g.printf("\t%s.Key(%q)\n", w, f.key)
		if session {
			g.printf("\t%s.%s.Append(%s, %s)\n", codecs, f.name, w, x)
		} else {
			g.printf("\t%s\n", g.appendStmt(f.typ, x))
		}
	}
	g.printf("}\n\n")

	g.printf("// %s reads a %s that %s arrays and maps surround. Keys it does not know\n", readName, m.name, depth)
	g.printf("// are skipped; a missing key leaves its field zero.\n")
	g.printf("func %s(%s *%s, %s int) (%s %s) {\n", readName, r, g.codec("Reader"), depth, v, m.name)
	n := g.local("n")
	g.printf("\tfor %s := %s.MapLen(%s); %s > 0; %s-- {\n", n, r, depth, n, n)
	g.printf("\t\tswitch string(%s.Key()) {\n", r)
	for _, f := range m.fields {
		x := v + "." + f.name
		g.printf("\t\tcase %q:\n", f.key)
		if session {
			g.printf("\t\t\t%s = %s.%s.Read(%s, %s+1)\n", x, codecs, f.name, r, depth)
		} else {
			g.printf("\t\t\t%s\n", g.readStmt(f.typ, x, depth+"+1"))
		}
	}
	g.printf("\t\tdefault:\n\t\t\t%s.Skip(%s + 1)\n\t\t}\n\t}\n\treturn %s\n}\n\n", r, depth, v)

	enc, dec := g.local("enc"), g.local("dec")
	g.printf("// EncodeMsgpack implements msgpack.CustomEncoder with %s, without reflection.\n", appendName)
	g.printf("func (%s %s) EncodeMsgpack(%s *%s) error { return %s(%s, %s, %s) }\n\n",
		v, m.name, enc, g.msgpack("Encoder"), g.codec("EncodeWith"), enc, v, appendName)
	g.printf("// DecodeMsgpack implements msgpack.CustomDecoder with %s: it replaces *%s.\n", readName, v)
	g.printf("// Arrays and maps nested deeper than codec.MaxDepth are refused with codec.ErrTooDeep.\n")
	g.printf("func (%s *%s) DecodeMsgpack(%s *%s) error { return %s(%s, %s, %s) }\n\n",
		v, m.name, dec, g.msgpack("Decoder"), g.codec("DecodeWith"), dec, v, readName)
	if !session {
		return
	}
	data := g.local("data")
	g.printf("// MarshalMsgpack returns %s encoded as by EncodeMsgpack.\n", v)
	g.printf("func (%s *%s) MarshalMsgpack() ([]byte, error) { return %s(*%s, %s) }\n\n",
		v, m.name, g.codec("MarshalWith"), v, appendName)
	g.printf("// UnmarshalMsgpack replaces *%s with the struct encoded in %s. It never panics on malformed data.\n", v, data)
	g.printf("func (%s *%s) UnmarshalMsgpack(%s []byte) error { return %s(%s, %s, %s) }\n\n",
		v, m.name, data, g.codec("UnmarshalWith"), data, v, readName)
}
