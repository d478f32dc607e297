package generator

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"strings"
	"text/template"
)

// structTemplate is the codec of a struct: append and read functions, which
// every value holding the struct uses, and the msgpack methods over them
// (EncodeMsgpack, DecodeMsgpack; for a session type also AppendMsgpack,
// MarshalMsgpack and UnmarshalMsgpack). The struct is a map keyed by field keys, every
// field included.
var structTemplate = template.Must(template.New("struct.go.tmpl").Option("missingkey=error").
	Funcs(template.FuncMap{"L": noLocal, "C": noLocal, "M": noLocal}).ParseFS(code, "code/struct.go.tmpl"))

// structData is what struct.go.tmpl receives.
type structData struct {
	Type, Append, Read string
	Session            bool // a session type of this file: its fields go through its view's codecs
	Fields             []structField
}

// structField is one field's key, the key as a Go constant of its msgpack
// encoding (keyLit), and the statements that write and read the field.
type structField struct{ Key, KeyLit, AppendStmt, ReadStmt string }

// structCodec writes the codec of m. A session type's fields are written
// and read by their codecs (viewCodecs), which its view uses too.
func (g *fileGen) structCodec(m *structModel, session bool) error {
	w, r, v, depth := g.local("w"), g.local("r"), g.local("v"), g.local("depth")
	data := structData{Type: m.name, Append: g.structFunc("append", m), Read: g.structFunc("read", m), Session: session}
	for _, f := range m.fields {
		x := v + "." + f.name
		sf := structField{Key: f.key, KeyLit: keyLit(f.key)}
		if session {
			codec := viewCodecs(m) + "." + f.name
			sf.AppendStmt = fmt.Sprintf("%s.Append(%s, %s)", codec, w, x)
			sf.ReadStmt = fmt.Sprintf("%s = %s.Read(%s, %s+1)", x, codec, r, depth)
		} else {
			sf.AppendStmt, sf.ReadStmt = g.appendStmt(f.typ, x), g.readStmt(f.typ, x, depth+"+1")
		}
		data.Fields = append(data.Fields, sf)
	}
	t, err := structTemplate.Clone()
	if err != nil {
		return err
	}
	t.Funcs(template.FuncMap{"L": g.local, "C": g.codec, "M": g.msgpack})
	if err := t.Execute(&g.b, data); err != nil {
		return fmt.Errorf("template %s: %w", t.Name(), err)
	}
	return nil
}

// keyLit spells key encoded as a msgpack string, as Go source for
// codec.Writer.Lit: the header's bytes, escaped, then the key quoted, so
// that the key stays readable ("\xa3" + "sku"). Writing the constant costs
// a copy of a few bytes, where Writer.Key works the header out each time.
func keyLit(key string) string {
	var h []byte
	switch n := len(key); {
	case n < 32:
		h = []byte{0xa0 | byte(n)}
	case n <= math.MaxUint8:
		h = []byte{0xd9, byte(n)}
	case n <= math.MaxUint16:
		h = binary.BigEndian.AppendUint16([]byte{0xda}, uint16(n))
	default:
		h = binary.BigEndian.AppendUint32([]byte{0xdb}, uint32(n))
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, c := range h {
		fmt.Fprintf(&b, "\\x%02x", c)
	}
	b.WriteString(`" + `)
	b.WriteString(strconv.Quote(key))
	return b.String()
}
