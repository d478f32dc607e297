package generator

import (
	"go/build/constraint"
	"path/filepath"
	"slices"
	"sort"
)

// The plan decides which file declares the methods of each struct, so that
// every run of sessiongen in a package agrees without seeing the others'
// output:
//
//   - a session type's methods are in its own output file;
//   - a struct that only other structs store (a nested struct) goes into
//     the first output file, by path, of the session types that reach it
//     (through nested structs, not through other session types) whose
//     build constraint is the struct's own; there its methods build
//     exactly when the struct exists;
//   - when no such file exists, the nested struct gets a file of its own,
//     <struct>_session.go, under its own constraint. Its content does not
//     depend on the run, so every run that reaches it writes the same bytes.

// sessionFile is the output file of one or more session types.
type sessionFile struct {
	path     string
	sessions []*structModel
	cons     string // canonical build constraint, "" for none
	mine     bool   // written by this run
}

// otherSessions lists the session types of the package that this run does
// not generate: those of the package's other //go:generate sessiongen lines
// and those that sessiongen files other than this run's outputs hold.
func (r *run) otherSessions(names []string, l *loaded) []knownSession {
	mine := map[string]bool{}
	for _, n := range names {
		mine[n] = true
	}
	seen := map[string]bool{}
	var out []knownSession
	add := func(name, path string) {
		if mine[name] || seen[name] {
			return
		}
		seen[name] = true
		out = append(out, knownSession{name: name, path: path})
	}
	for _, g := range l.lines {
		types := g.types
		if len(types) == 0 {
			types = r.b.directiveTypes()
		}
		for _, t := range types {
			p := defaultOutput(t)
			if g.output != "" {
				p = g.output
			}
			add(t, r.abs(p))
		}
	}
	for _, k := range l.known {
		add(k.name, k.path)
	}
	return out
}

// plan assigns the session types of this run, and the nested structs they
// reach, to output files. others are the package's other session types,
// with their output paths.
func (r *run) plan(sessions []*structModel, others map[*structModel]string) []*outFile {
	byPath := map[string]*sessionFile{}
	add := func(m *structModel, path string, mine bool) {
		sf := byPath[path]
		if sf == nil {
			sf = &sessionFile{path: path, cons: r.consKey(m), mine: mine}
			byPath[path] = sf
		}
		sf.sessions = append(sf.sessions, m)
	}
	for _, m := range sessions {
		add(m, r.outputFor(m), true)
	}
	var rest []*structModel
	for m := range others {
		rest = append(rest, m)
	}
	sort.Slice(rest, func(i, j int) bool { return rest[i].name < rest[j].name })
	for _, m := range rest {
		if path := others[m]; byPath[path] == nil || !byPath[path].mine {
			add(m, path, false)
		}
	}
	var all []*sessionFile
	for _, sf := range byPath {
		all = append(all, sf)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].path < all[j].path })

	// home maps each nested struct to the file that declares its methods,
	// "" for a file of its own.
	home := map[*structModel]string{}
	for _, sf := range all {
		for _, n := range reachedNested(sf.sessions) {
			if _, ok := home[n]; !ok {
				home[n] = ""
			}
			if home[n] == "" && r.consKey(n) == sf.cons {
				home[n] = sf.path
			}
		}
	}
	// This run writes its session files, with the nested structs homed in
	// them, and the files of their own of the nested structs they reach,
	// each in the order its fields reach them.
	var files []*outFile
	out := map[string]*outFile{}
	for _, sf := range all {
		if sf.mine {
			of := &outFile{path: sf.path, sessions: sf.sessions}
			out[sf.path] = of
			files = append(files, of)
		}
	}
	for _, sf := range all {
		if !sf.mine {
			continue
		}
		for _, n := range reachedNested(sf.sessions) {
			path := home[n]
			if path == "" {
				path = r.abs(defaultOutput(n.name))
				if other := byPath[path]; other != nil {
					r.b.errs.add(n.pos, "struct %s needs a file of its own, %s, because no session type that stores it is declared under its build constraint (%s), but that is the output file of %s: choose another -output for it",
						n.name, filepath.Base(path), consWord(r.consKey(n)), other.sessions[0].name)
					continue
				}
				if out[path] == nil {
					of := &outFile{path: path}
					out[path] = of
					files = append(files, of)
				}
			}
			of := out[path]
			if of != nil && !slices.Contains(of.nested, n) {
				of.nested = append(of.nested, n)
			}
		}
	}
	return files
}

// outputFor is the output file of a session type of this run.
func (r *run) outputFor(m *structModel) string {
	if r.cfg.Output != "" {
		return r.abs(r.cfg.Output)
	}
	return r.abs(defaultOutput(m.name))
}

// reachedNested lists the structs the sessions store, other than session
// types, at any depth through other such structs, in the order the fields
// reach them.
func reachedNested(sessions []*structModel) []*structModel {
	seen := map[*structModel]bool{}
	var out []*structModel
	var visit func(m *structModel)
	visit = func(m *structModel) {
		for _, f := range m.fields {
			for t := f.typ; t != nil; t = t.elem {
				if t.kind == kStruct && !t.strct.session && !seen[t.strct] {
					seen[t.strct] = true
					out = append(out, t.strct)
					visit(t.strct)
				}
			}
		}
	}
	for _, m := range sessions {
		visit(m)
	}
	return out
}

// declConstraint is the build constraint of the file that declares m: its
// //go:build line and the constraint its name implies, or nil.
func (r *run) declConstraint(m *structModel) constraint.Expr {
	return and(r.fileConstraints(m))
}

// fileConstraints lists the build constraints of the file that declares m:
// the one its name implies, then its //go:build lines.
func (r *run) fileConstraints(m *structModel) []constraint.Expr {
	if m.file == nil {
		return nil
	}
	var exprs []constraint.Expr
	if x := fileNameConstraint(r.b.fset.Position(m.file.Package).Filename); x != nil {
		exprs = append(exprs, x)
	}
	for _, cg := range m.file.Comments {
		if cg.Pos() >= m.file.Package {
			break
		}
		for _, c := range cg.List {
			if !constraint.IsGoBuild(c.Text) {
				continue
			}
			if x, err := constraint.Parse(c.Text); err == nil {
				exprs = append(exprs, x)
			}
		}
	}
	return exprs
}

// and returns the conjunction of exprs, each repeat left out, or nil for
// none.
func and(exprs []constraint.Expr) constraint.Expr {
	var x constraint.Expr
	seen := map[string]bool{}
	for _, y := range exprs {
		if seen[y.String()] {
			continue
		}
		seen[y.String()] = true
		if x == nil {
			x = y
		} else {
			x = &constraint.AndExpr{X: x, Y: y}
		}
	}
	return x
}

// consKey spells m's declaring file's constraint for comparison.
func (r *run) consKey(m *structModel) string {
	if x := r.declConstraint(m); x != nil {
		return x.String()
	}
	return ""
}

// checkPlan refuses session types of this run that one -output file would
// hold under different build constraints.
func (r *run) checkPlan(sessions []*structModel) {
	if r.cfg.Output != "" && len(sessions) > 1 {
		first := sessions[0]
		for _, m := range sessions[1:] {
			if r.consKey(m) != r.consKey(first) {
				r.b.errs.add(m.pos, "-output %s: session types %s and %s are declared under different build constraints (%s and %s), so one file cannot build exactly when each of them does: generate them into separate files",
					r.cfg.Output, first.name, m.name, consWord(r.consKey(first)), consWord(r.consKey(m)))
			}
		}
	}
}

func consWord(c string) string {
	if c == "" {
		return "none"
	}
	return c
}
