package generator

import (
	"fmt"
	"go/token"
	"strings"
)

// Error is a problem with the input, at a position in its source.
type Error struct {
	Pos token.Position
	Msg string
}

func (e *Error) Error() string {
	if !e.Pos.IsValid() {
		return e.Msg
	}
	return e.Pos.String() + ": " + e.Msg
}

// ErrorList is every problem sessiongen found in one run, in source order.
// Generation reports them all at once so a user can fix them in one pass.
type ErrorList []*Error

func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// errs collects Errors while the model is built.
type errs struct {
	list ErrorList
	seen map[string]bool
}

func (e *errs) add(pos token.Position, format string, args ...any) {
	err := &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}
	if e.seen == nil {
		e.seen = map[string]bool{}
	}
	// A nested struct reached from several fields is checked once, but be
	// safe against reporting the same problem twice.
	if s := err.Error(); !e.seen[s] {
		e.seen[s] = true
		e.list = append(e.list, err)
	}
}

func (e *errs) err() error {
	if len(e.list) == 0 {
		return nil
	}
	return e.list
}
