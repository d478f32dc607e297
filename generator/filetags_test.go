package generator

import (
	"go/build"
	"io"
	"strings"
	"testing"
)

// TestFileNameConstraint checks the //go:build expression derived from a
// file's name against go/build's own reading of that name, on every
// platform the toolchain knows and a few that only the name lists know.
func TestFileNameConstraint(t *testing.T) {
	names := []string{
		"prefs.go", "linux.go", "prefs_linux.go", "prefs_linux_amd64.go", "prefs_amd64.go",
		"prefs_linux_test.go", "prefs_test.go", "prefs_windows_arm64_test.go", "a_b_darwin.go",
		"prefs_unix.go", "prefs_linux_x86.go", "prefs_amd64_linux.go", "prefs_solaris.go",
		"prefs_darwin.go", "prefs_wasm.go", "prefs_js_wasm.go", "prefs_linux.pb.go",
	}
	platforms := []struct{ goos, goarch string }{
		{"linux", "amd64"}, {"linux", "arm64"}, {"android", "arm64"}, {"darwin", "arm64"},
		{"ios", "arm64"}, {"windows", "amd64"}, {"windows", "arm64"}, {"illumos", "amd64"},
		{"solaris", "amd64"}, {"js", "wasm"}, {"wasip1", "wasm"}, {"freebsd", "386"},
	}
	for _, name := range names {
		x := fileNameConstraint("/some/dir/" + name)
		for _, p := range platforms {
			ctxt := build.Default
			ctxt.GOOS, ctxt.GOARCH = p.goos, p.goarch
			ctxt.OpenFile = func(string) (io.ReadCloser, error) {
				return io.NopCloser(strings.NewReader("package p\n")), nil
			}
			want, err := ctxt.MatchFile("/some/dir", name)
			if err != nil {
				t.Fatalf("MatchFile(%s): %v", name, err)
			}
			got := x == nil || x.Eval(func(tag string) bool { return matchTag(p.goos, p.goarch, tag) })
			if got != want {
				t.Errorf("%s on %s/%s: constraint %v says %v, go/build says %v", name, p.goos, p.goarch, x, got, want)
			}
		}
	}
}

// matchTag is how the go command satisfies a tag on goos/goarch (the
// subset of go/build's rules that file names can reach).
func matchTag(goos, goarch, tag string) bool {
	switch {
	case tag == goos || tag == goarch:
		return true
	case tag == "linux" && goos == "android",
		tag == "solaris" && goos == "illumos",
		tag == "darwin" && goos == "ios":
		return true
	}
	return false
}
