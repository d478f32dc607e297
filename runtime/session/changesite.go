package session

import (
	"reflect"
	"runtime"
	"strings"
)

// changeSite names the call that changed the session after it was
// committed, for the "change lost" log line: the method the handler called
// (SetName, Update, SetExpiry, Cycle, ...) and, when that method belongs to
// one field of the generated view, the field's key.
//
// Generated accessors report a change with MarkModified, which does not say
// which field changed. Rather than have every generated setter pass its key
// on every call, this error path, taken at most once per request, reads the
// call stack and the view type's struct tags.
//
// That is fragile, and acceptable only because it feeds one log line on an
// error path. It relies on three things no compiler checks: the runtime's
// spelling of method symbols ("path.(*T).M", which the runtime package does
// not promise), the generated accessor names (SetX, SetDefaultX, DeleteX,
// PopX, see accessorPrefixes) and the view keeping its data in a
// non-embedded struct field. If one of them changes, the line loses detail,
// never more: it names an inner call (MarkModified) or none, and no field;
// nothing fails or panics. TestChangeLostNamesPathAndField, which goes
// through a generated view, is the test that notices.
func (s *Session) changeSite() (method, key string) {
	var pcs [16]uintptr
	n := runtime.Callers(3, pcs[:]) // skip Callers, changeSite and fail
	frames := runtime.CallersFrames(pcs[:n])
	view := viewType(s.fields)
	inView := false
	// Walk out through the session API (Session's methods and the view's)
	// to the outermost of its calls: the one the handler made.
	for {
		f, more := frames.Next()
		name, ok := methodOf(f.Function, sessionType)
		isView := false
		if !ok && view != nil {
			name, ok = methodOf(f.Function, view)
			isView = ok
		}
		if !ok {
			break
		}
		method, inView = name, isView
		if !more {
			break
		}
	}
	if inView {
		key = fieldKey(view, method)
	}
	return method, key
}

var sessionType = reflect.TypeFor[Session]()

// viewType returns the struct type of a generated view, or nil.
func viewType(f any) reflect.Type {
	t := reflect.TypeOf(f)
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

// accessorPrefixes are the generated methods of one field, longest first.
var accessorPrefixes = []string{"SetDefault", "Set", "Delete", "Pop"}

// fieldKey returns the stored key of the field that method (SetName,
// DeleteName, ...) of a view changes, or "" when method is not one field's.
// The data struct is the view's non-embedded struct field; its Go field's
// session tag, or its name when untagged, is the key.
func fieldKey(view reflect.Type, method string) string {
	for _, p := range accessorPrefixes {
		goName, ok := strings.CutPrefix(method, p)
		if !ok || goName == "" {
			continue
		}
		for i := range view.NumField() {
			data := view.Field(i)
			if data.Anonymous || data.Type.Kind() != reflect.Struct {
				continue
			}
			if f, ok := data.Type.FieldByName(goName); ok && f.IsExported() {
				if tag := f.Tag.Get("session"); tag != "" {
					return tag
				}
				return goName
			}
		}
	}
	return ""
}
