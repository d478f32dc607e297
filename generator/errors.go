package generator

import (
	"fmt"
	"go/scanner"
	"go/token"
)

// errs collects the problems with the input while the model is built, so
// that a run reports them all at once and a user can fix them in one pass.
type errs struct {
	list scanner.ErrorList
	seen map[string]bool
}

func (e *errs) add(pos token.Position, format string, args ...any) {
	err := &scanner.Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}
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
