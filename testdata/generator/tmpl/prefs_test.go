package tmpl

import (
	"os"
	"strings"
	"testing"
)

func TestCustomHeader(t *testing.T) {
	src, err := os.ReadFile("prefs_session.go")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(src), "// Copyright Example Corp.") {
		t.Error("the custom header template was not used")
	}
}

func TestCustomDocument(t *testing.T) {
	src, err := os.ReadFile("prefs_session.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(src), "# Example Corp session keys: tmpl") {
		t.Error("the custom document template was not used")
	}
}
