package browser

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestKeepArtifactCreatesFolder checks that a TYPEDSESSION_ARTIFACTS folder
// that does not exist yet is created, not an error that fails the browser
// test.
func TestKeepArtifactCreatesFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "not", "there", "yet")
	t.Setenv(artifactsEnv, dir)
	png := []byte("\x89PNG fake")
	keep, err := keepArtifact("shop.png", png)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "shop.png"); keep != want {
		t.Errorf("kept at %q, want %q", keep, want)
	}
	got, err := os.ReadFile(keep)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, png) {
		t.Errorf("kept %q, want %q", got, png)
	}
}

func TestKeepArtifactUnset(t *testing.T) {
	t.Setenv(artifactsEnv, "")
	if keep, err := keepArtifact("shop.png", []byte("x")); keep != "" || err != nil {
		t.Errorf("keepArtifact with %s unset = %q, %v; want \"\", nil", artifactsEnv, keep, err)
	}
}
