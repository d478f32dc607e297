package session

import (
	"reflect"
	"runtime"
	"strings"
)

// changeSite names the call that changed the session after it was
// committed, for the "change lost" log line: the method the handler called
// (SetName, Update, SetExpiry, Cycle, ...). The field, if any, is known
// where the change is recorded (Field's methods pass their key).
//
// Rather than have every generated accessor pass its name on every call,
// this error path, taken at most once per request, reads the call stack.
// That is fragile, and acceptable only because it feeds one log line on an
// error path. It relies on the runtime's spelling of method symbols
// ("path.(*T).M", "path.(*Field[...]).M"), which the runtime package does
// not promise. If that changes, the line loses detail, never more: it names
// an inner call or none; nothing fails or panics.
// TestChangeLostNamesPathAndField, which goes through a generated view, is
// the test that notices.
func (s *Session) changeSite() (method string) {
	var pcs [16]uintptr
	n := runtime.Callers(3, pcs[:]) // skip Callers, changeSite and failAt
	frames := runtime.CallersFrames(pcs[:n])
	view := viewType(s.bound)
	// Walk out through the session API (Session's, View's and Field's
	// methods, and the generated view's) to the outermost of its calls: the
	// one the handler made.
	for {
		f, more := frames.Next()
		name, ok := methodOf(f.Function, sessionType)
		if !ok {
			name, ok = methodOf(f.Function, viewBase)
		}
		if !ok && view != nil {
			name, ok = methodOf(f.Function, view)
		}
		if !ok && isFieldMethod(f.Function) {
			name, ok = method, true // inside the API: keep the outer name found so far
		}
		if !ok {
			break
		}
		method = name
		if !more {
			break
		}
	}
	return method
}

var (
	sessionType = reflect.TypeFor[Session]()
	viewBase    = reflect.TypeFor[View]()
	fieldPrefix = symbolPath(sessionType.PkgPath()) + ".(*Field["
)

// isFieldMethod reports whether fn is a method of a Field instance.
func isFieldMethod(fn string) bool { return strings.HasPrefix(fn, fieldPrefix) }

// viewType returns the struct type of a generated view, or nil.
func viewType(v any) reflect.Type {
	t := reflect.TypeOf(v)
	if t == nil || t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
		return nil
	}
	return t.Elem()
}

// methodOf returns the method name when fn, a function name as the runtime
// reports it ("example.com/app.(*VisitorSession).SetName"), is a method of
// *t.
func methodOf(fn string, t reflect.Type) (string, bool) {
	name, ok := strings.CutPrefix(fn, symbolPath(t.PkgPath())+".(*"+t.Name()+").")
	if !ok || strings.Contains(name, ".") { // a closure inside the method
		return "", false
	}
	return name, true
}

// symbolPath returns a package path as it appears in function names: the
// linker escapes '%' and, after the last slash, '.' ("gopkg.in/yaml%2ev3").
func symbolPath(pkg string) string {
	pkg = strings.ReplaceAll(pkg, "%", "%25")
	dir, last := "", pkg
	if i := strings.LastIndexByte(pkg, '/'); i >= 0 {
		dir, last = pkg[:i+1], pkg[i+1:]
	}
	return dir + strings.ReplaceAll(last, ".", "%2e")
}
