// Package generator is sessiongen's engine: it loads a package with
// go/packages, builds a model of its annotated session structs, and writes
// typed session accessors and reflection-free msgpack codecs for them. The
// fixed-shape code comes from text/templates: a view from code/view.go.tmpl,
// a struct's append and read functions and msgpack methods from
// code/struct.go.tmpl. What varies with a field's type, its codec and deep
// copy, is composed as Go expressions (codec.go, clone.go).
//
// A generated view embeds session.View, so a field whose accessors would
// take one of View's method names is refused: a field named Key, Cycle,
// Flush, Clear, Err, IsEmpty, Session, ExpiryAge, ExpiryDate,
// ExpireAtBrowserClose or SetExpiry, or Expiry (whose SetExpiry would
// collide), and fields named Values, Update or View. View's method set is
// closed, so the list does not grow with the runtime.
//
// Its API is what cmd/sessiongen, a thin command over it, needs: a Config
// says what to generate; Generate returns the Files to write, or an error
// and no files (the problems in the session structs' source come all at
// once as a [go/scanner.ErrorList], one per position); Write writes the
// files. Nothing is written until Generate has succeeded, so a
// failed run leaves the package as it was.
package generator

import (
	"bytes"
	"errors"
	"fmt"
	"go/types"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/template"

	"github.com/typedsession/typedsession/templates"
)

// Config says what to generate. The zero value generates, for the package
// in the working directory, every struct marked with a //sessiongen:session
// directive.
type Config struct {
	// Dir is the directory of the package; "" means the working directory.
	Dir string
	// Types names the session structs. Empty means every struct whose doc
	// comment holds the line //sessiongen:session.
	Types []string
	// Output is the file to write, relative to Dir; "" means one file per
	// type named <type>_session.go in lower snake case.
	Output string
	// Tags are build tags for loading the package.
	Tags []string
	// Command is the command line recorded in the generated header, on
	// one line.
	Command string
	// Doc also writes, next to each generated Go file, a Markdown schema
	// document of the same name ending in .md (visitor_session.md),
	// rendered from schema.md.tmpl.
	Doc bool
}

// File is one generated file.
type File struct {
	Path    string // absolute
	Content []byte
}

// run is the state of one Generate call.
type run struct {
	cfg     Config
	dir     string
	pkg     *types.Package
	b       *builder
	headerT *template.Template
	schemaT *template.Template
	docT    *template.Template // nil unless Config.Doc
	// taken are the names generated locals avoid; declared the
	// package-level names of all the package's files (see collectTaken).
	taken, declared map[string]bool
}

// Generate loads the package and returns the files to write. For the
// problems in the session structs' source it returns a
// [go/scanner.ErrorList] naming each offending file:line:column, in source
// order, and no files; other failures (a package that does not load, a bad
// Output name) are a plain error.
func Generate(cfg Config) ([]File, error) {
	dir, err := filepath.Abs(cfg.Dir)
	if err != nil {
		return nil, err
	}
	cwd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	r := &run{cfg: cfg, dir: dir}
	if err := r.parseTemplates(); err != nil {
		return nil, err
	}
	if err := checkOutput(cfg.Output); err != nil {
		return nil, err
	}
	if strings.ContainsAny(cfg.Command, "\r\n") {
		return nil, fmt.Errorf("command %q: the command line recorded in the header must be one line; quote arguments holding line breaks", cfg.Command)
	}
	outputs := map[string]bool{}
	if cfg.Output != "" {
		outputs[r.abs(cfg.Output)] = true
	}
	for _, t := range cfg.Types {
		outputs[r.abs(defaultOutput(t))] = true
	}
	l, err := load(dir, cfg.Tags, outputs)
	if err != nil {
		return nil, err
	}
	r.pkg = l.pkg.Types
	r.b = newBuilder(l, cwd)
	r.collectTaken(l.decls)
	names := cfg.Types
	if len(names) == 0 {
		names = r.b.directiveTypes()
		if len(names) == 0 {
			return nil, fmt.Errorf("%s: no session types: name them with -type, or mark a struct with a %s line in its doc comment", dir, directive)
		}
	}
	known := r.otherSessions(names, l)
	for _, n := range names {
		r.b.sessions[n] = true
	}
	for _, k := range known {
		r.b.sessions[k.name] = true
	}
	var sessions []*structModel
	for _, name := range names {
		if m := r.b.sessionType(name); m != nil {
			sessions = append(sessions, m)
		}
	}
	r.check(sessions)
	r.checkPlan(sessions)
	if err := r.b.errs.err(); err != nil {
		return nil, r.b.sortedErrs()
	}
	others := r.b.quietly(known)
	plan := r.plan(sessions, others)
	if err := r.b.errs.err(); err != nil {
		return nil, r.b.sortedErrs()
	}
	var files []File
	for _, of := range plan {
		src, err := r.render(of)
		if err != nil {
			return nil, err
		}
		if err := checkReplaceable(of.path); err != nil {
			return nil, err
		}
		files = append(files, File{Path: of.path, Content: src})
		if cfg.Doc && len(of.sessions) > 0 {
			doc, err := r.document(of)
			if err != nil {
				return nil, err
			}
			files = append(files, doc)
		}
	}
	return files, nil
}

// checkOutput refuses an -output name that would put the file in another
// directory, or change when it builds, through its name.
func checkOutput(name string) error {
	switch {
	case name == "":
		return nil
	case filepath.Base(name) != name || strings.ContainsAny(name, `/\`):
		return fmt.Errorf("-output %s: name a file in the package directory, without a directory part (e.g. -output sessions_gen.go)", name)
	case !strings.HasSuffix(name, ".go"):
		return fmt.Errorf("-output %s: the file name must end in .go", name)
	case strings.HasSuffix(name, "_test.go"):
		return fmt.Errorf("-output %s: a _test.go file is compiled only into tests; choose a name that does not end in _test.go", name)
	case strings.HasPrefix(name, "_") || strings.HasPrefix(name, "."):
		return fmt.Errorf("-output %s: the go command ignores files whose names start with _ or .; choose another name", name)
	case fileNameConstraint(name) != nil:
		return fmt.Errorf("-output %s: the name limits the file to %s builds; choose a name without a GOOS or GOARCH suffix (the input files' build constraints are carried into the file anyway)", name, fileNameConstraint(name))
	}
	return nil
}

// checkReplaceable refuses to replace a Go file that sessiongen did not
// write, such as a hand-written file that happens to have the name of an
// output.
func checkReplaceable(path string) error {
	old, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("output %s: %w", path, err)
	case !isGenerated(old):
		return fmt.Errorf("output %s: the file exists and was not written by sessiongen (it lacks the line %q before its package clause): move it away, or choose another -output name", path, generatedLine)
	}
	return nil
}

func (r *run) abs(name string) string {
	if filepath.IsAbs(name) {
		return name
	}
	return filepath.Join(r.dir, name)
}

func defaultOutput(typeName string) string { return snakeCase(typeName) + "_session.go" }

// Write writes files, each atomically (a temporary file renamed over the
// old one), leaving a file whose content is unchanged untouched.
func Write(files []File) error {
	for _, f := range files {
		if old, err := os.ReadFile(f.Path); err == nil && bytes.Equal(old, f.Content) {
			continue
		}
		if err := writeAtomic(f.Path, f.Content); err != nil {
			return err
		}
	}
	return nil
}

func writeAtomic(path string, data []byte) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// parseTemplates parses the embedded templates this run renders.
func (r *run) parseTemplates() error {
	read := func(name string) (*template.Template, error) {
		return template.New(name).Option("missingkey=error").Funcs(templateFuncs).ParseFS(templates.FS, name)
	}
	var err error
	if r.headerT, err = read(templates.HeaderName); err != nil {
		return err
	}
	if r.schemaT, err = read(templates.SchemaName); err != nil {
		return err
	}
	if r.cfg.Doc {
		r.docT, err = read(templates.DocumentName)
	}
	return err
}

// header renders the file header: comment lines only, among them the
// generated-code line (Generate keeps Config.Command to one line).
func (r *run) header(of *outFile) (string, error) {
	data := templates.Header{Command: r.cfg.Command, Package: r.pkg.Name()}
	for _, m := range of.sessions {
		data.Types = append(data.Types, m.name)
	}
	if len(of.sessions) == 0 {
		// Any run may write this file: nothing in it may depend on the run.
		data.Command = ""
		for _, m := range of.nested {
			data.Structs = append(data.Structs, m.name)
		}
	}
	var b strings.Builder
	if err := r.headerT.Execute(&b, data); err != nil {
		return "", fmt.Errorf("template %s: %w", templates.HeaderName, err)
	}
	return strings.TrimRight(b.String(), "\n") + "\n", nil
}

// schema renders the schema of a session type for its view's doc comment.
func (r *run) schema(m *structModel) (string, error) {
	var b strings.Builder
	if err := r.schemaT.Execute(&b, r.schemaData(m, true)); err != nil {
		return "", fmt.Errorf("template %s: %w", templates.SchemaName, err)
	}
	return wrapLines(strings.TrimRight(b.String(), "\n"), commentWidth, commentWidth+20), nil
}

// commentWidth is the width wrapLines brings a view's doc comment to: a
// struct's doc, and each field's, travel in it as one line, which would
// otherwise run to hundreds of columns.
const commentWidth = 80

// wrapLines breaks each line of text longer than limit at spaces, into
// lines of at most width. A list item ("  - ...") continues indented under
// its text, as gofmt lays out doc comment lists; a word longer than width
// stays whole. Lines up to limit are kept as they are: the template's own,
// which long type names stretch a little past width.
func wrapLines(text string, width, limit int) string {
	var b strings.Builder
	for i, line := range strings.Split(text, "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		if len(line) <= limit {
			b.WriteString(line)
			continue
		}
		indent := ""
		if strings.HasPrefix(line, "  - ") {
			indent = "    "
		}
		for len(line) > width {
			cut := strings.LastIndexByte(line[:width+1], ' ')
			if cut <= len(indent) { // a word longer than width: cut after it
				next := strings.IndexByte(line[width:], ' ')
				if next < 0 {
					break
				}
				cut = width + next
			}
			b.WriteString(strings.TrimRight(line[:cut], " "))
			b.WriteByte('\n')
			line = indent + strings.TrimLeft(line[cut:], " ")
		}
		b.WriteString(line)
	}
	return b.String()
}

// schemaData describes a struct to the templates; session adds the names
// of its generated view.
func (r *run) schemaData(m *structModel, session bool) templates.Schema {
	data := templates.Schema{Type: m.name, Doc: m.doc}
	if session {
		n := namesFor(m.name, r.pkg.Name())
		data.Session, data.From, data.FromContext, data.Of = n.view, n.from, n.fromCtx, n.of
	}
	for _, f := range m.fields {
		sf := templates.SchemaField{Key: f.key, Field: f.name, GoType: r.b.typeString(f.typ.goType), Doc: f.doc}
		sf.Struct, sf.Custom = r.holds(f.typ)
		data.Fields = append(data.Fields, sf)
	}
	return data
}

// holds names the struct of the package or the self-encoding type that t
// is or contains, if any. Map keys are strings or integers, so only the
// element chain matters, and it ends at the first struct or custom type.
func (r *run) holds(t *typ) (strct, custom string) {
	for ; t != nil; t = t.elem {
		switch t.kind {
		case kStruct:
			return t.strct.name, ""
		case kCustom:
			return "", r.b.typeString(t.goType)
		}
	}
	return "", ""
}
