package generator

import (
	"go/build/constraint"
	"path/filepath"
	"strings"
)

// The operating systems and architectures that go/build recognises in
// file-name suffixes (its syslist, which it does not export). A suffix that
// is not in these lists is not a constraint, as in go/build.
var (
	knownOS = wordSet("aix android darwin dragonfly freebsd hurd illumos ios js linux nacl netbsd " +
		"openbsd plan9 solaris wasip1 windows zos")
	knownArch = wordSet("386 amd64 amd64p32 arm armbe arm64 arm64be loong64 mips mipsle mips64 " +
		"mips64le mips64p32 mips64p32le ppc ppc64 ppc64le riscv riscv64 s390 s390x sparc sparc64 wasm")
)

func wordSet(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// fileNameConstraint returns the constraint that go/build reads from a Go
// file's name (name_GOOS_GOARCH.go, name_GOOS.go, name_GOARCH.go), or nil.
// The generated file has a name of its own, so a type declared in
// cart_linux.go needs the constraint spelled out as //go:build linux.
// A bare tag is enough: the go command also satisfies "linux" on android,
// "solaris" on illumos and "darwin" on ios, exactly as it matches the
// suffixes.
func fileNameConstraint(path string) constraint.Expr {
	name, _, _ := strings.Cut(filepath.Base(path), ".")
	name = strings.TrimSuffix(name, "_test")
	i := strings.Index(name, "_")
	if i < 0 {
		return nil // go/build ignores the first element: "linux.go" has no constraint
	}
	parts := strings.Split(name[i:], "_")
	n := len(parts)
	if n >= 2 && knownOS[parts[n-2]] && knownArch[parts[n-1]] {
		return &constraint.AndExpr{X: tag(parts[n-2]), Y: tag(parts[n-1])}
	}
	if n >= 1 && knownOS[parts[n-1]] {
		return tag(parts[n-1])
	}
	if n >= 1 && knownArch[parts[n-1]] {
		return tag(parts[n-1])
	}
	return nil
}

func tag(name string) constraint.Expr { return &constraint.TagExpr{Tag: name} }
