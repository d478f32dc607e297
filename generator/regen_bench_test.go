package generator

import (
	"fmt"
	"strings"
	"testing"
)

// wideSource declares types session types of fields fields each, with
// -type lines for all of them.
func wideSource(types, fields int) string {
	var b strings.Builder
	b.WriteString("package wide\n\nimport \"time\"\n\n")
	var names []string
	for i := range types {
		names = append(names, fmt.Sprintf("S%d", i))
	}
	fmt.Fprintf(&b, "//go:generate go tool sessiongen -type %s\n\n", strings.Join(names, ","))
	for i := range types {
		fmt.Fprintf(&b, "type S%d struct {\n", i)
		for j := range fields {
			typ := []string{"int", "string", "[]string", "map[string]int", "time.Time"}[j%5]
			fmt.Fprintf(&b, "\tF%d %s `session:\"f%d\"`\n", j, typ, j)
		}
		b.WriteString("}\n\n")
	}
	return b.String()
}

// BenchmarkGenerate compares a run into a package without generated files
// (fresh) with one into the same package after a first run (regenerate), as
// go generate does on every run after the first: regenerating must cost no
// more than generating fresh. Run it with
//
//	go test ./generator -run '^$' -bench Generate -benchmem -benchtime 3x
func BenchmarkGenerate(b *testing.B) {
	for _, size := range []struct{ types, fields int }{{1, 10}, {20, 10}} {
		var names []string
		for i := range size.types {
			names = append(names, fmt.Sprintf("S%d", i))
		}
		src := wideSource(size.types, size.fields)
		for _, existing := range []bool{false, true} {
			name := fmt.Sprintf("%dx%d/fresh", size.types, size.fields)
			if existing {
				name = fmt.Sprintf("%dx%d/regenerate", size.types, size.fields)
			}
			b.Run(name, func(b *testing.B) {
				dir := tempCase(b, map[string]string{"wide.go": src})
				cfg := Config{Dir: dir, Types: names}
				if existing {
					files, err := Generate(cfg)
					if err != nil {
						b.Fatal(err)
					}
					if err := Write(files); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportAllocs()
				b.ResetTimer()
				for range b.N {
					if _, err := Generate(cfg); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
