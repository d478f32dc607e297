package signing

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// fuzzSeeds is where the seed inputs live, one per file, shared with the
// fuzz targets of other packages' signed data. The files named valid-*
// were made with the secrets current and retired and salt fuzzSalt.
var fuzzSeeds = filepath.Join("..", "..", "testdata", "fuzz", "signing")

const fuzzSalt = "typedsession/fuzz"

// addSeeds adds every file in dir to f's corpus and returns their contents.
func addSeeds(f *testing.F, dir string) [][]byte {
	f.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		f.Fatal(err)
	}
	var seeds [][]byte
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		seeds = append(seeds, b)
	}
	if len(seeds) == 0 {
		f.Fatalf("no seeds in %s", dir)
	}
	return seeds
}

// FuzzVerify feeds arbitrary bytes to every verifying and opening function.
// None may panic, and none may accept what this package did not produce:
// a signature that verifies must be byte for byte what Sign makes for its
// payload with the secret that matched; a sealed value that opens must be one of the seed files, sealed
// when they were made (sealing is randomized, so there is no way to
// recompute it).
func FuzzVerify(f *testing.F) {
	ring := keyring(f, current, retired)
	signer := ring.Signer(fuzzSalt)
	alone := []*Signer{keyring(f, current).Signer(fuzzSalt), keyring(f, retired).Signer(fuzzSalt)}
	sealer, err := ring.Sealer(fuzzSalt)
	if err != nil {
		f.Fatal(err)
	}
	sealed := map[string]bool{} // inputs allowed to open
	for _, seed := range addSeeds(f, fuzzSeeds) {
		if _, _, err := sealer.Open(seed); err == nil {
			sealed[string(seed)] = true
		}
		if _, _, err := sealer.OpenString(string(seed)); err == nil {
			sealed[string(seed)] = true
		}
	}
	// Sealing is randomized and the fuzzing engine runs this set-up again
	// in each worker process, so sealed seeds come only from files.
	for _, p := range [][]byte{nil, []byte("payload"), bytes.Repeat([]byte{0xa5}, 300)} {
		f.Add(signer.Sign(nil, p))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if p, i, err := signer.Verify(data); err == nil {
			if want := alone[i].Sign(nil, p); !bytes.Equal(data, want) {
				t.Errorf("Verify accepted %x, which Sign does not make", data)
			}
		}
		if _, _, err := sealer.Open(data); err == nil && !sealed[string(data)] {
			t.Errorf("Open accepted %x, which was never sealed", data)
		}
		if _, _, err := sealer.OpenString(string(data)); err == nil && !sealed[string(data)] {
			t.Errorf("OpenString accepted %q, which was never sealed", data)
		}
	})
}
