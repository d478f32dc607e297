package generator

import (
	"flag"
	"fmt"
	"go/scanner"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/generator")

// caseRoot holds one directory per golden case. A case is a package with
// an "args" file holding sessiongen's arguments, one run per line (as the
// package's //go:generate lines would run it; the runs go in order). A case with an
// "error.golden" file must fail with exactly that error (positions
// relative to the case directory); any other case must succeed, and its
// generated files are the goldens, compiled and tested by TestGoldenBuild.
// A case with a "goos" file runs only on that operating system (its input
// is limited to it by a file name such as prefs_linux.go).
const caseRoot = "../testdata/generator"

type goldenCase struct {
	name, dir string
	runs      []Config // one per line of args
	goos      string   // the only GOOS the case can load on, or ""
}

// skip says why the case cannot run here, or "".
func (c goldenCase) skip() string {
	if c.goos != "" && c.goos != runtime.GOOS {
		return fmt.Sprintf("case %s declares its types only on %s (see its goos file); this is %s", c.name, c.goos, runtime.GOOS)
	}
	return ""
}

func cases(t *testing.T) []goldenCase {
	t.Helper()
	entries, err := os.ReadDir(caseRoot)
	if err != nil {
		t.Fatal(err)
	}
	var out []goldenCase
	for _, e := range entries {
		dir := filepath.Join(caseRoot, e.Name())
		raw, err := os.ReadFile(filepath.Join(dir, "args"))
		if err != nil {
			continue
		}
		c := goldenCase{name: e.Name(), dir: dir}
		for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
			c.runs = append(c.runs, parseArgs(t, dir, strings.Fields(line)))
		}
		if goos, err := os.ReadFile(filepath.Join(dir, "goos")); err == nil {
			c.goos = strings.TrimSpace(string(goos))
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		t.Fatalf("no golden cases under %s", caseRoot)
	}
	return out
}

// parseArgs reads the subset of sessiongen's flags the cases use.
func parseArgs(t *testing.T, dir string, args []string) Config {
	t.Helper()
	cfg := Config{Dir: dir, Command: strings.Join(append([]string{"sessiongen"}, args...), " ")}
	for i := 0; i < len(args); i++ {
		name := args[i]
		if name == "-doc" {
			cfg.Doc = true
			continue
		}
		if i+1 >= len(args) {
			t.Fatalf("%s/args: flag %s without a value", dir, name)
		}
		i++
		v := args[i]
		switch name {
		case "-type":
			cfg.Types = strings.Split(v, ",")
		case "-output":
			cfg.Output = v
		case "-tags":
			cfg.Tags = strings.Split(v, ",")
		default:
			t.Fatalf("%s/args: unknown flag %s", dir, name)
		}
	}
	return cfg
}

func TestGolden(t *testing.T) {
	for _, c := range cases(t) {
		t.Run(c.name, func(t *testing.T) {
			if why := c.skip(); why != "" {
				t.Skip(why)
			}
			wantErrFile := filepath.Join(c.dir, "error.golden")
			if want, rerr := os.ReadFile(wantErrFile); rerr == nil {
				_, err := Generate(c.runs[0])
				checkError(t, c, err, string(want), wantErrFile)
				return
			}
			var all []File
			for _, cfg := range c.runs {
				files, err := Generate(cfg)
				if err != nil {
					t.Fatalf("Generate (%s): %v", cfg.Command, err)
				}
				for _, f := range files {
					checkFile(t, f)
				}
				all = append(all, files...)
			}
			checkNoStale(t, c.dir, all)
		})
	}
}

func checkError(t *testing.T, c goldenCase, err error, want, file string) {
	t.Helper()
	if err == nil {
		t.Fatalf("Generate succeeded; want the error in %s", file)
	}
	abs, aerr := filepath.Abs(c.dir)
	if aerr != nil {
		t.Fatal(aerr)
	}
	var b strings.Builder
	scanner.PrintError(&b, err) // one line per problem, as sessiongen prints them
	got := strings.TrimSuffix(b.String(), "\n")
	for _, prefix := range []string{abs + string(filepath.Separator), c.dir + string(filepath.Separator)} {
		got = strings.ReplaceAll(got, prefix, "")
	}
	got += "\n"
	if *update {
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("error mismatch (-want +got):\n%s", diff)
	}
}

func checkFile(t *testing.T, f File) {
	t.Helper()
	if *update {
		if err := Write([]File{f}); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(f.Path)
	if err != nil {
		t.Fatalf("%v (run go test ./generator -update)", err)
	}
	if diff := cmp.Diff(string(want), string(f.Content)); diff != "" {
		t.Errorf("%s differs from the golden (-golden +generated); if intended, run go test ./generator -update:\n%s", f.Path, diff)
	}
}

// checkNoStale fails for a file of dir that sessiongen wrote but this run
// did not produce, such as the document of a case whose -doc was dropped:
// it would otherwise sit there unchecked.
func checkNoStale(t *testing.T, dir string, files []File) {
	t.Helper()
	produced := map[string]bool{}
	for _, f := range files {
		produced[f.Path] = true
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		path, err := filepath.Abs(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if e.IsDir() || produced[path] {
			continue
		}
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(path, ".go") && isGenerated(src) || strings.HasSuffix(path, ".md") && hasDocLine(src) {
			t.Errorf("%s was generated by sessiongen but this case no longer produces it: delete it", path)
		}
	}
}

// TestGoldenBuild compiles, vets and tests each successful case's package
// with its generated files: each case holds round-trip tests of its own.
func TestGoldenBuild(t *testing.T) {
	if *update {
		t.Skip("not checking the build while -update rewrites the goldens; run again without -update")
	}
	var pkgs []string
	for _, c := range cases(t) {
		if _, err := os.Stat(filepath.Join(c.dir, "error.golden")); err == nil {
			continue
		}
		if why := c.skip(); why != "" {
			t.Logf("not building: %s", why)
			continue
		}
		pkgs = append(pkgs, "./"+filepath.ToSlash(c.dir)+"/...")
	}
	for _, args := range [][]string{
		append([]string{"vet"}, pkgs...),
		append([]string{"test", "-count=1"}, pkgs...),
	} {
		cmd := exec.Command("go", args...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

// TestDeterministic checks two runs give identical bytes.
func TestDeterministic(t *testing.T) {
	c := Config{Dir: filepath.Join(caseRoot, "basic"), Types: []string{"Visitor"}, Command: "sessiongen -type Visitor -doc", Doc: true}
	a, err := Generate(c)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Generate(c)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("second run differs (-first +second):\n%s", diff)
	}
}
