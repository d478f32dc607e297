package filestore

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/typedsession/typedsession/runtime/store"
)

func newStore(t *testing.T) *Store {
	t.Helper()
	s, err := New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func testKey(t testing.TB) string {
	t.Helper()
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// files lists the names in dir but for the lock files, which New makes
// and TestLockFiles checks.
func files(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), lockPrefix) {
			names = append(names, e.Name())
		}
	}
	return names
}

// TestNewChecksDirectory is S05: a missing, non-directory or unwritable
// path is a configuration error at construction, naming the problem.
func TestNewChecksDirectory(t *testing.T) {
	base := t.TempDir()
	file := filepath.Join(base, "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, dir, want string
	}{
		{"empty", "", "no directory"},
		{"missing", filepath.Join(base, "missing"), "does not exist"},
		{"not a directory", file, "not a directory"},
		{"unwritable", unwritableDir(t), "not usable"},
	}
	for _, tt := range tests {
		_, err := New(tt.dir)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "filestore: ") {
			t.Errorf("%s: New(%q) = %v, want an error saying %q", tt.name, tt.dir, err, tt.want)
		}
	}
	s, err := New(base)
	if err != nil {
		t.Fatalf("New on a good directory: %v", err)
	}
	if diff := cmp.Diff([]string{"file"}, files(t, base)); diff != "" {
		t.Errorf("New left files behind (-want +got):\n%s", diff)
	}
	if s.Dir() != base {
		t.Errorf("Dir() = %q, want %q", s.Dir(), base)
	}
}

// unwritableDir returns a directory the test process cannot create files
// in. Root can write any directory whatever its mode, so for root it is
// /proc, which refuses new files to everyone.
func unwritableDir(t *testing.T) string {
	t.Helper()
	if os.Geteuid() == 0 {
		if runtime.GOOS != "linux" {
			t.Skip("running as root, which can write any directory, and there is no /proc: run the tests as another user")
		}
		return "/proc"
	}
	dir := filepath.Join(t.TempDir(), "ro")
	if err := os.Mkdir(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o700) })
	return dir
}

// TestKeysCannotEscape is S04: keys with path syntax or characters outside
// the alphabet are rejected, and nothing outside the directory is read,
// written or removed.
func TestKeysCannotEscape(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "sessions")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	s, err := New(dir)
	if err != nil {
		t.Fatal(err)
	}
	// A well-formed session file just outside the directory: a key that
	// escaped would find it.
	victim := filepath.Join(root, "victim0000.session")
	if err := os.WriteFile(victim, appendHeader(nil, time.Now().Add(time.Hour)), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	exp := time.Now().Add(time.Hour)
	bad := []string{
		"", "short", "../victim0000", "..%2fvictim0000", "sessions/../../victim0000",
		"abc/defghij", `abc\defghij`, "..........", "abcdefgh.session", "ABCDEFGHIJ",
		"abcdefgh\x00ij", "abcdéfghij", " abcdefghij", strings.Repeat("a", store.MaxKeyLen+1),
		strings.Repeat("a", 1240),
	}
	for _, key := range bad {
		if data, found, err := s.Load(ctx, key); found || err != nil || data != nil {
			t.Errorf("Load(%q) = %q, %v, %v; want not found", key, data, found, err)
		}
		if ok, err := s.Exists(ctx, key); ok || err != nil {
			t.Errorf("Exists(%q) = %v, %v", key, ok, err)
		}
		for _, create := range []bool{true, false} {
			if err := s.Save(ctx, key, []byte("x"), exp, create); err == nil || !strings.HasPrefix(err.Error(), "filestore: save: ") {
				t.Errorf("Save(%q, mustCreate %v) = %v, want an invalid key error", key, create, err)
			}
		}
		if err := s.Delete(ctx, key); err != nil {
			t.Errorf("Delete(%q) = %v", key, err)
		}
		if err := s.Cycle(ctx, testKey(t), key, []byte("x"), exp); err == nil {
			t.Errorf("Cycle to %q succeeded", key)
		}
	}
	if got := files(t, dir); len(got) != 0 {
		t.Errorf("files created in the directory: %q", got)
	}
	if diff := cmp.Diff([]string{"sessions", "victim0000.session"}, files(t, root)); diff != "" {
		t.Errorf("files outside the directory changed (-want +got):\n%s", diff)
	}
}

// TestSaveSemantics checks create and update against live, expired and
// missing files.
func TestSaveSemantics(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	hour := time.Now().Add(time.Hour)
	past := time.Now().Add(-time.Hour)
	tests := []struct {
		name       string
		before     *time.Time // expiry of an existing file; nil for none
		mustCreate bool
		wantErr    error
		wantData   bool
	}{
		{"create new", nil, true, nil, true},
		{"create over live", &hour, true, store.ErrCreate, false},
		{"create over expired", &past, true, nil, true},
		{"update missing", nil, false, store.ErrUpdate, false},
		{"update expired", &past, false, store.ErrUpdate, false},
		{"update live", &hour, false, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key := testKey(t)
			if tt.before != nil {
				if err := s.Save(ctx, key, []byte("old"), *tt.before, true); err != nil {
					t.Fatal(err)
				}
			}
			err := s.Save(ctx, key, []byte("new"), hour, tt.mustCreate)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Save = %v, want %v", err, tt.wantErr)
			}
			data, found, err := s.Load(ctx, key)
			if err != nil {
				t.Fatal(err)
			}
			if got := found && string(data) == "new"; got != tt.wantData {
				t.Errorf("after Save, Load = %q, %v; want new data: %v", data, found, tt.wantData)
			}
		})
	}
	for _, name := range files(t, s.dir) {
		if strings.HasPrefix(name, tempPrefix) {
			t.Errorf("temporary file %s left behind", name)
		}
	}
}

// TestFileFormat checks the documented layout and the file mode.
func TestFileFormat(t *testing.T) {
	s := newStore(t)
	key := testKey(t)
	exp := time.Date(2040, 1, 2, 3, 4, 5, 6000, time.UTC)
	if err := s.Save(context.Background(), key, []byte("payload"), exp, true); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(s.dir, key+".session")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	want := []byte("TSF\x01")
	want = append(want, 0x00, 0x07, 0xd9, 0x26, 0xf8, 0xe9, 0x53, 0x46) // 2209086245000006 µs
	want = append(want, "payload"...)
	if !bytes.Equal(b, want) {
		t.Errorf("file = %x, want %x", b, want)
	}
	if runtime.GOOS != "windows" {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("mode %v, want 0600", fi.Mode().Perm())
		}
	}
}

// TestLoadWithExpiry checks the expiry reported alongside the data.
func TestLoadWithExpiry(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	for _, exp := range []time.Time{time.Date(2040, 1, 2, 3, 4, 5, 6000, time.UTC), time.Now().Add(-time.Second)} {
		key := testKey(t)
		if err := s.Save(ctx, key, []byte("data"), exp, true); err != nil {
			t.Fatal(err)
		}
		data, got, found, err := s.LoadWithExpiry(ctx, key)
		wantFound := exp.After(time.Now())
		if err != nil || found != wantFound {
			t.Fatalf("LoadWithExpiry(expiry %v) = found %v, %v; want found %v", exp, found, err, wantFound)
		}
		if found && (string(data) != "data" || !got.Equal(exp)) {
			t.Errorf("LoadWithExpiry = %q, %v; want %q, %v", data, got, "data", exp)
		}
	}
}

// TestUnreadableFile checks that a file that is not a session (or is from
// a newer format) loads as not found and never panics.
func TestUnreadableFile(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	for _, content := range []string{"", "TS", "TSF\x02" + "12345678payload", "garbage-garbage-garbage"} {
		key := testKey(t)
		if err := os.WriteFile(filepath.Join(s.dir, key+suffix), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, found, err := s.Load(ctx, key); found || err != nil {
			t.Errorf("Load of %q = %v, %v; want not found", content, found, err)
		}
		if ok, err := s.Exists(ctx, key); ok || err != nil {
			t.Errorf("Exists of %q = %v, %v", content, ok, err)
		}
		if err := s.Save(ctx, key, []byte("x"), time.Now().Add(time.Hour), false); !errors.Is(err, store.ErrUpdate) {
			t.Errorf("update of %q = %v, want ErrUpdate", content, err)
		}
	}
}

// TestClearExpired is S06: sessions at +1h, at -1h, and one whose default
// expiry already elapsed (saved with a cookie age of 0) leave one.
func TestClearExpired(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	live := testKey(t)
	for key, exp := range map[string]time.Time{
		live:       time.Now().Add(time.Hour),
		testKey(t): time.Now().Add(-time.Hour),
		testKey(t): time.Now(), // default expiry, cookie age 0: already elapsed
	} {
		if err := s.Save(ctx, key, []byte("x"), exp, true); err != nil {
			t.Fatal(err)
		}
	}
	n, err := s.ClearExpired(ctx)
	if err != nil || n != 2 {
		t.Errorf("ClearExpired = %d, %v; want 2", n, err)
	}
	if diff := cmp.Diff([]string{live + suffix}, files(t, s.dir)); diff != "" {
		t.Errorf("files left (-want +got):\n%s", diff)
	}
}

// TestClearExpiredOtherFiles checks what ClearExpired does with files that
// are not live sessions.
func TestClearExpiredOtherFiles(t *testing.T) {
	s := newStore(t)
	old := time.Now().Add(-2 * UnreadableAge)
	put := func(name, content string, mtime time.Time) {
		t.Helper()
		p := filepath.Join(s.dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
	put(".tmp-123", "crashed write", old)                   // stale temporary: removed
	put(".tmp-456", "write in progress", time.Now())        // fresh temporary: kept
	put("notes.txt", "not ours", old)                       // unrelated: kept
	put("UPPERCASE0.session", "not a valid key", old)       // unrelated: kept
	put("unreadable0.session", "TSF\x09future", old)        // unreadable and old: removed, counted
	put("unreadable1.session", "TSF\x09future", time.Now()) // unreadable but recent: kept
	n, err := s.ClearExpired(context.Background())
	if err != nil || n != 1 {
		t.Errorf("ClearExpired = %d, %v; want 1", n, err)
	}
	want := []string{".tmp-456", "UPPERCASE0.session", "notes.txt", "unreadable1.session"}
	got := files(t, s.dir)
	slices.Sort(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("files left (-want +got):\n%s", diff)
	}
}

// TestDelete checks that Delete removes a file and ignores a missing one.
func TestDelete(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	key := testKey(t)
	if err := s.Save(ctx, key, []byte("x"), time.Now().Add(time.Hour), true); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if err := s.Delete(ctx, key); err != nil {
			t.Fatalf("Delete %d: %v", i, err)
		}
	}
	if _, err := os.Stat(filepath.Join(s.dir, key+suffix)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("file still there: %v", err)
	}
}

// TestCancelledContext checks that every call fails at once, naming the
// operation, when its context is done.
func TestCancelledContext(t *testing.T) {
	s := newStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	exp := time.Now().Add(time.Hour)
	ops := map[string]func() error{
		"load":          func() error { _, _, err := s.Load(ctx, testKey(t)); return err },
		"exists":        func() error { _, err := s.Exists(ctx, testKey(t)); return err },
		"save":          func() error { return s.Save(ctx, testKey(t), nil, exp, true) },
		"delete":        func() error { return s.Delete(ctx, testKey(t)) },
		"cycle":         func() error { return s.Cycle(ctx, testKey(t), testKey(t), nil, exp) },
		"clear expired": func() error { _, err := s.ClearExpired(ctx); return err },
	}
	for op, call := range ops {
		err := call()
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s = %v, want context.Canceled", op, err)
		} else if want := "filestore: " + op + ": "; !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s error %q does not start with %q", op, err, want)
		}
	}
	if got := files(t, s.dir); len(got) != 0 {
		t.Errorf("files written despite the cancelled context: %q", got)
	}
}

// TestDirectoryRemoved is the fault test: with the directory gone, every
// operation fails with an error (a read that found "no session" would sign
// everyone out; a delete that succeeded would claim a revocation that never
// happened), and nothing panics.
func TestDirectoryRemoved(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	key := testKey(t)
	if err := s.Save(ctx, key, []byte("x"), time.Now().Add(time.Hour), true); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(s.dir); err != nil {
		t.Fatal(err)
	}
	exp := time.Now().Add(time.Hour)
	if err := s.Save(ctx, testKey(t), []byte("y"), exp, true); err == nil || errors.Is(err, store.ErrCreate) {
		t.Errorf("create = %v, want a file system error", err)
	}
	if err := s.Cycle(ctx, key, testKey(t), []byte("y"), exp); err == nil {
		t.Error("Cycle succeeded without a directory")
	}
	if _, err := s.ClearExpired(ctx); err == nil {
		t.Error("ClearExpired succeeded without a directory")
	}
	if _, found, err := s.Load(ctx, key); found || err == nil {
		t.Errorf("Load = %v, %v; want an error", found, err)
	}
	if ok, err := s.Exists(ctx, key); ok || err == nil {
		t.Errorf("Exists = %v, %v; want an error", ok, err)
	}
	if err := s.Delete(ctx, key); err == nil {
		t.Error("Delete succeeded without a directory")
	}
}
