// Package basic is sessiongen's main golden case: the session struct from
// the README, with every supported kind of field.
package basic

import (
	"time"

	"github.com/typedsession/typedsession/testdata/generator/basic/ext"
)

//go:generate go run github.com/typedsession/typedsession/cmd/sessiongen -type Visitor

// Visitor is what the application keeps about a visitor.
type Visitor struct {
	// UserID is the logged-in user, 0 for anonymous.
	UserID    int64             `session:"uid"`
	Name      string            `session:"name"` // display name
	Roles     []string          `session:"roles"`
	Cart      []CartLine        `session:"cart"`
	Prefs     map[string]string `session:"prefs"`
	LastLogin time.Time         `session:"ll"`
	Theme     *Theme            `session:"theme"`
	internal  int               // unexported: ignored
	Skip      string            `session:"-"`

	Flag     bool                  `session:"flag"`
	I        int                   `session:"i"`
	I8       int8                  `session:"i8"`
	I16      int16                 `session:"i16"`
	I32      int32                 `session:"i32"`
	U        uint                  `session:"u"`
	U8       uint8                 `session:"u8"`
	U16      uint16                `session:"u16"`
	U32      uint32                `session:"u32"`
	U64      uint64                `session:"u64"`
	F32      float32               `session:"f32"`
	F64      float64               `session:"f64"`
	Raw      []byte                `session:"raw"`
	Timeout  time.Duration         `session:"timeout"`
	Role     Role                  `session:"role"` // "admin" | "staff"; <empty> for *none*
	Stamp    Stamp                 `session:"stamp"`
	Token    Token                 `session:"token"`
	Digest   [4]byte               `session:"digest"`
	Grid     [2][2]int             `session:"grid"`
	Counts   map[int64]uint16      `session:"counts"`
	ByID     map[uint32]*Theme     `session:"by_id"`
	Nested   map[string][]CartLine `session:"nested"`
	PtrPtr   **string              `session:"pp"`
	Lines    [2]CartLine           `session:"lines"`
	Money    ext.Money             `session:"money"`
	Alias    Alias                 `session:"alias"`
	ExtAlias ext.Cents             `session:"cents"`
	Tree     *Node                 `session:"tree"`
	NoTag    string
	Level    Level `session:"level"`
}

// CartLine is one line of the shopping cart.
type CartLine struct {
	SKU   string  `msgpack:"sku"`
	Qty   int     `msgpack:"qty,omitempty"`
	Price float64 `session:"price"`
	Tags  []string
	Hide  string `msgpack:"-"`
	note  string
}

// Theme is the visitor's display theme.
type Theme struct {
	Name  string
	Dark  bool
	Extra map[string]int
}

// Role is a named string.
type Role string

// Level is a named int with its own codec.
type Level int

// Stamp is a defined type over time.Time.
type Stamp time.Time

// Token is a named byte slice.
type Token []byte

// Alias is an alias of a slice of a named type.
type Alias = []Role

// Node is a recursive struct.
type Node struct {
	Value    int
	Children []*Node
	Next     *Node
}
