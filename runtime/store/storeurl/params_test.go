package storeurl

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestUnknownParameterValuesHidden puts a secret into a parameter no store
// reads, on every scheme: the error may name the parameter but must never
// show its value, which could be a password put in the wrong place. Where
// typedsession reads the parameters itself, the error names the parameter.
func TestUnknownParameterValuesHidden(t *testing.T) {
	const value = "hunter2-value"
	dir := t.TempDir()
	dead := deadAddr(t)
	host := map[string]string{ // what follows scheme://
		"cookie": "",
		"file":   dir,
		"memory": "",
		"sqlite": filepath.Join(dir, "s.db"),
		"mysql":  "user@" + dead + "/db",
	}
	named := map[string]bool{"cookie": true, "file": true, "memory": true, "sqlite": true}
	for _, scheme := range Schemes() {
		t.Run(scheme, func(t *testing.T) {
			h, ok := host[scheme]
			if !ok {
				h = dead + "/0" // Redis and PostgreSQL
			}
			raw := scheme + "://" + h + "?secret=" + value
			if strings.HasSuffix(scheme, "+sentinel") {
				raw += "&master_name=m"
			}
			_, c, err := Open(context.Background(), raw, Options{Secret: "storeurl-test-secret-0123456789abcdef", CreateTable: true})
			if err == nil {
				c.Close()
				t.Fatalf("Open(%s) succeeded", raw)
			}
			t.Log(err)
			if strings.Contains(err.Error(), value) {
				t.Errorf("the error shows the parameter's value: %v", err)
			}
			if named[scheme] && !strings.Contains(err.Error(), "unknown parameter secret (") {
				t.Errorf("the error does not name the parameter: %v", err)
			}
		})
	}
}

// TestBareSchemeParameters: "memory?x=1" names a known store with a
// parameter, not an unknown scheme.
func TestBareSchemeParameters(t *testing.T) {
	tests := []struct{ url, want string }{
		{"memory?x=1", "storeurl: open memory: unknown parameter x (none are read)"},
		{"memory?b=1&a=2", "unknown parameters a, b (none are read)"},
		{"cookie?max_age=1h&x=1", "unknown parameter x (only max_age= is read)"},
	}
	for _, tt := range tests {
		_, c, err := Open(context.Background(), tt.url, Options{Secret: "storeurl-test-secret-0123456789abcdef"})
		if err == nil {
			c.Close()
			t.Errorf("Open(%s) succeeded", tt.url)
		} else if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Open(%s) = %v, want %q", tt.url, err, tt.want)
		}
	}
}
