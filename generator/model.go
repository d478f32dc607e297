package generator

import (
	"go/ast"
	"go/token"
	"go/types"
	"reflect"
	"strings"
)

// kind is how a Go type is encoded.
type kind int

const (
	kBool kind = iota
	kInt
	kUint
	kFloat32
	kFloat64
	kString
	kBytes     // []byte and named types over it
	kTime      // time.Time and named types over it
	kPointer   // *T
	kSlice     // []T
	kArray     // [N]T
	kByteArray // [N]byte
	kMap       // map[K]V, K a string or integer type
	kStruct    // a struct of this package: sessiongen generates its codec
	kCustom    // a type with its own EncodeMsgpack/DecodeMsgpack
)

// typ is a supported Go type and how to encode it.
type typ struct {
	kind kind
	// goType is the type as written in the package (a named type or alias
	// when the field used one); generated code spells it this way.
	goType types.Type
	// basic is the underlying basic type's name for the scalar kinds
	// ("int8", "uint", "string", ...).
	basic     string
	elem, key *typ
	n         int64        // kArray, kByteArray
	strct     *structModel // kStruct
}

// structModel is a struct type of the package whose codec sessiongen
// generates, or a session type.
type structModel struct {
	name   string
	named  *types.Named
	pos    token.Position
	doc    string
	file   *ast.File
	fields []*field
	// session is set for a session type of the package (of this run or
	// another): its keys follow the session rules.
	session bool
	// custom is set for a session type that has its own msgpack methods: no
	// codec is generated for the struct as a whole.
	custom bool
}

// field is one stored field.
type field struct {
	name string // Go field name
	key  string // map key
	typ  *typ
	doc  string
	pos  token.Position
}

// parseTag returns the key a field is stored under and whether it is
// stored at all. For a session type only the session tag counts; for a
// nested struct, the session tag, else the msgpack tag's name, else the
// field name. options is whatever followed a comma in the session tag.
func parseTag(tag, fieldName string, nested bool) (key, options string, skip bool) {
	st := reflect.StructTag(tag)
	if v, ok := st.Lookup("session"); ok {
		key, options, _ = strings.Cut(v, ",")
		if key == "-" && options == "" {
			return "", "", true
		}
		if key == "" {
			key = fieldName
		}
		return key, options, false
	}
	if nested {
		if v, ok := st.Lookup("msgpack"); ok {
			name, _, _ := strings.Cut(v, ",")
			if name == "-" {
				return "", "", true
			}
			if name != "" {
				return name, "", false
			}
		}
	}
	return fieldName, "", false
}

// maxKeyLen bounds a key, so generated decoders can read keys into a small
// stack buffer.
const maxKeyLen = 64

// validKey reports what is wrong with key, or "".
func validKey(key string, nested bool) string {
	if len(key) == 0 || len(key) > maxKeyLen {
		return "must be 1 to 64 bytes long"
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.') {
			return "may only use ASCII letters, digits, '_', '-' and '.'"
		}
	}
	if !nested && key[0] == '_' {
		return "must not start with '_': those keys are reserved for the session envelope"
	}
	return ""
}
