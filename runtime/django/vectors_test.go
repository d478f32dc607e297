package django

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// vectorFile holds values made by a real Django 3.2 with
// testdata/django/djangosessions.py (its "vectors" op).
type vectorFile struct {
	DjangoVersion string `json:"django_version"`
	SecretKey     string `json:"secret_key"`
	Timestamp     int64  `json:"timestamp"`
	Sessions      []struct {
		Session  json.RawMessage `json:"session"`
		JSON     string          `json:"json"`
		Cookie   string          `json:"cookie"`
		DB       string          `json:"db"`
		DBSHA1   string          `json:"db_sha1"`
		DBLegacy string          `json:"db_legacy"`
		Cache    string          `json:"cache"`
	} `json:"sessions"`
	AuthHash struct {
		Password string `json:"password"`
		SHA256   string `json:"sha256"`
	} `json:"auth_hash"`
	CacheKey struct {
		Prefix  string `json:"prefix"`
		Version int    `json:"version"`
		Key     string `json:"key"`
		Made    string `json:"made"`
	} `json:"cache_key"`
}

var testdataDir = filepath.Join("..", "..", "testdata", "django")

func loadVectors(t testing.TB) *vectorFile {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testdataDir, "vectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	var v vectorFile
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Sessions) == 0 {
		t.Fatal("vectors.json has no sessions")
	}
	return &v
}

func (v *vectorFile) signer(salt string) *Signer {
	return &Signer{Secret: v.SecretKey, Salt: salt, Now: func() time.Time { return time.Unix(v.Timestamp, 0) }}
}

// sameJSON reports whether two JSON documents hold the same value, numbers
// compared by their text.
func sameJSON(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	for _, p := range []struct {
		doc []byte
		v   *any
	}{{a, &x}, {b, &y}} {
		d := json.NewDecoder(bytes.NewReader(p.doc))
		d.UseNumber()
		if err := d.Decode(p.v); err != nil {
			t.Fatalf("%s: %v", p.doc, err)
		}
	}
	xb, _ := json.Marshal(x)
	yb, _ := json.Marshal(y)
	return bytes.Equal(xb, yb)
}
