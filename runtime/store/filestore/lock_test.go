package filestore

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/typedsession/typedsession/runtime/store"
)

// keyOnStripe returns a random key whose stripe is i.
func keyOnStripe(t *testing.T, i int) string {
	t.Helper()
	for {
		if key := testKey(t); stripe(key) == i {
			return key
		}
	}
}

// lockNames lists the lock files in dir.
func lockNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), lockPrefix) {
			names = append(names, e.Name())
		}
	}
	return names
}

// TestLockFiles checks that New makes every stripe's lock file, private
// and empty, and that ClearExpired neither removes nor counts them however
// old they are.
func TestLockFiles(t *testing.T) {
	s := newStore(t)
	var want []string
	if crossProcess {
		for i := range stripes {
			want = append(want, lockName(i))
		}
	}
	if diff := cmp.Diff(want, lockNames(t, s.dir)); diff != "" {
		t.Fatalf("lock files after New (-want +got):\n%s", diff)
	}
	old := time.Now().Add(-2 * UnreadableAge)
	for _, name := range want {
		p := filepath.Join(s.dir, name)
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != 0o600 || fi.Size() != 0 {
			t.Errorf("%s: mode %v, size %d; want -rw------- and empty", name, fi.Mode(), fi.Size())
		}
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	if err := s.Save(ctx, testKey(t), []byte("x"), time.Now().Add(-time.Hour), true); err != nil {
		t.Fatal(err)
	}
	if n, err := s.ClearExpired(ctx); n != 1 || err != nil {
		t.Errorf("ClearExpired = %d, %v; want 1", n, err)
	}
	if diff := cmp.Diff(want, lockNames(t, s.dir)); diff != "" {
		t.Errorf("lock files after ClearExpired (-want +got):\n%s", diff)
	}
}

// TestLockErrors breaks one stripe's lock file (a directory cannot be
// opened for writing, even by root): New must refuse the directory, and on
// a running Store every write to a key on that stripe must fail naming the
// lock, while a read, which takes no lock, still works.
func TestLockErrors(t *testing.T) {
	if !crossProcess {
		t.Skip("no lock files on " + runtime.GOOS)
	}
	const broken = 5
	breakLock := func(t *testing.T, dir string) {
		t.Helper()
		p := filepath.Join(dir, lockName(broken))
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			t.Fatal(err)
		}
		if err := os.Mkdir(p, 0o700); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("New", func(t *testing.T) {
		dir := t.TempDir()
		breakLock(t, dir)
		_, err := New(dir)
		if want := "lock: open " + filepath.Join(dir, lockName(broken)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("New = %v, want an error containing %q", err, want)
		}
	})

	t.Run("running store", func(t *testing.T) {
		s := newStore(t)
		ctx := context.Background()
		exp := time.Now().Add(time.Hour)
		key, other := keyOnStripe(t, broken), keyOnStripe(t, broken+1)
		for _, k := range []string{key, other} {
			if err := s.Save(ctx, k, []byte("x"), exp, true); err != nil {
				t.Fatal(err)
			}
		}
		breakLock(t, s.dir)
		ops := map[string]func() error{
			"save":   func() error { return s.Save(ctx, key, []byte("y"), exp, false) },
			"delete": func() error { return s.Delete(ctx, key) },
			"cycle":  func() error { return s.Cycle(ctx, other, key, []byte("y"), exp) },
		}
		for op, call := range ops {
			err := call()
			want := "filestore: " + op + ": lock: open " + filepath.Join(s.dir, lockName(broken)) + ": "
			if err == nil || !strings.HasPrefix(err.Error(), want) {
				t.Errorf("%s = %v, want an error starting %q", op, err, want)
			}
		}
		if data, found, err := s.Load(ctx, key); string(data) != "x" || !found || err != nil {
			t.Errorf("Load = %q, %v, %v; want the session as saved", data, found, err)
		}
		if err := s.Save(ctx, other, []byte("y"), exp, false); err != nil {
			t.Errorf("update on another stripe: %v", err)
		}
	})
}

// TestConcurrentCycleTwoStores cycles keys between two stripes both ways
// at once through two Stores over one directory, which share no mutex and
// so meet only at the lock files: locking the pair out of order would
// deadlock (and hang the test).
func TestConcurrentCycleTwoStores(t *testing.T) {
	s := newStore(t)
	s2, err := New(s.dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	exp := time.Now().Add(time.Hour)
	var wg sync.WaitGroup
	for w, st := range []*Store{s, s2, s, s2} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			from, to := 3, 40
			if w%2 == 1 {
				from, to = to, from
			}
			key := keyOnStripe(t, from)
			if err := st.Save(ctx, key, []byte("x"), exp, true); err != nil {
				t.Error(err)
				return
			}
			for i := range 20 {
				next := keyOnStripe(t, [2]int{to, from}[i%2])
				if err := st.Cycle(ctx, key, next, []byte("x"), exp); err != nil {
					t.Error(err)
					return
				}
				key = next
			}
		}()
	}
	wg.Wait()
}

// Environment of the helper processes that TestCrossProcessUpdateDelete
// starts.
const (
	helperDirEnv = "FILESTORE_TEST_HELPER_DIR"
	helperKeyEnv = "FILESTORE_TEST_HELPER_KEY"
)

const (
	// inWindow is the line a helper prints when its update has found the
	// session live and is holding off the rename.
	inWindow = "in-window"
	// windowBound is the longest a helper holds its window open. Without
	// locks between processes the delete arrives within it (the parent
	// deletes as soon as it reads inWindow) and ends it; with them, the
	// delete waits for the helper, and each helper's first update costs
	// this much.
	windowBound = 500 * time.Millisecond
	// helperUpdates bounds a helper's updates once the session was (wrongly)
	// brought back.
	helperUpdates = 20
)

// TestCrossProcessUpdateDelete is C33 between processes sharing a
// directory: helper processes (this test binary, running
// TestCrossProcessHelper) update a key in a loop while this process
// deletes it, and once Delete returned the key must stay deleted. Each
// helper's first update pauses between finding the session live and
// renaming its new file into place, until the file is gone, so that
// without a lock shared between processes the delete lands in that window
// every time and the rename resurrects the session.
func TestCrossProcessUpdateDelete(t *testing.T) {
	if !crossProcess {
		t.Skip("no file locks on " + runtime.GOOS + ": filestore serialises within one process only (see the package documentation)")
	}
	s := newStore(t)
	ctx := context.Background()
	key := testKey(t)
	if err := s.Save(ctx, key, []byte("parent"), time.Now().Add(time.Hour), true); err != nil {
		t.Fatal(err)
	}

	const helpers = 2
	windows := make(chan int, helpers)
	var wg sync.WaitGroup
	results := make([]string, helpers)
	for i := range helpers {
		cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestCrossProcessHelper$")
		cmd.Env = append(os.Environ(), helperDirEnv+"="+s.dir, helperKeyEnv+"="+key)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			var out strings.Builder
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				if sc.Text() == inWindow {
					windows <- i
				}
				fmt.Fprintln(&out, sc.Text())
			}
			if err := cmd.Wait(); err != nil {
				results[i] = fmt.Sprintf("helper %d: %v\nstdout:\n%s\nstderr:\n%s", i, err, &out, &stderr)
			}
		}()
	}
	go func() { wg.Wait(); close(windows) }()

	// Delete while a helper is inside its window.
	if _, ok := <-windows; !ok {
		t.Fatalf("no helper reached the window:\n%s", strings.Join(results, "\n"))
	}
	if err := s.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	for _, r := range results {
		if r != "" {
			t.Error(r)
		}
	}

	if ok, err := s.Exists(ctx, key); ok || err != nil {
		t.Errorf("after Delete returned, Exists = %v, %v: a helper's update brought the session back", ok, err)
	}
	if _, err := os.Stat(filepath.Join(s.dir, key+suffix)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("session file after Delete returned: %v", err)
	}
	if err := s.Save(ctx, key, []byte("late"), time.Now().Add(time.Hour), false); !errors.Is(err, store.ErrUpdate) {
		t.Errorf("update after delete = %v, want ErrUpdate", err)
	}
}

// TestCrossProcessHelper is the helper process of
// TestCrossProcessUpdateDelete, and does nothing unless started by it: it
// updates the key until the update fails with store.ErrUpdate, the
// session having been deleted, or helperUpdates times.
func TestCrossProcessHelper(t *testing.T) {
	dir, key := os.Getenv(helperDirEnv), os.Getenv(helperKeyEnv)
	if dir == "" {
		return
	}
	s, err := New(dir)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, key+suffix)
	first := true
	testHookBeforeReplace = func() {
		if !first {
			return
		}
		first = false
		fmt.Println(inWindow)
		for end := time.Now().Add(windowBound); time.Now().Before(end); time.Sleep(time.Millisecond) {
			if _, err := os.Lstat(p); errors.Is(err, fs.ErrNotExist) {
				return
			}
		}
	}
	ctx := context.Background()
	for range helperUpdates {
		err := s.Save(ctx, key, fmt.Appendf(nil, "helper %d", os.Getpid()), time.Now().Add(time.Hour), false)
		if errors.Is(err, store.ErrUpdate) {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}
