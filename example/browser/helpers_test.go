package browser

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// What the test knows of the shop from outside: the names it uses.
const (
	shopPackage   = "github.com/typedsession/typedsession/example"
	sessionCookie = "session"             // the shop's session cookie
	secretEnv     = "TYPEDSESSION_SECRET" // the shop's secret, when set
)

// listeningRE finds the shop's URL in its log.
var listeningRE = regexp.MustCompile(`msg=listening url=(http://\S+/)`)

// buildShop builds the example shop into dir and returns the binary's path.
// The go.mod beside this file names the shop as a tool, so its go.sum
// covers everything the build needs.
func buildShop(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "shop")
	out, err := exec.Command("go", "build", "-o", bin, shopPackage).CombinedOutput()
	if err != nil {
		t.Fatalf("go build %s: %v\n%s", shopPackage, err, out)
	}
	return bin
}

// logBuffer collects a process's log output for assertions.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// lines returns the log lines that contain every one of parts.
func (l *logBuffer) lines(parts ...string) []string {
	var out []string
	for _, line := range strings.Split(l.String(), "\n") {
		if line != "" && containsAll(line, parts...) {
			out = append(out, line)
		}
	}
	return out
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// flip changes the last character of a cookie value, as an attacker
// guessing keys would.
func flip(v string) string {
	last := v[len(v)-1]
	repl := byte('a')
	if last == 'a' {
		repl = 'b'
	}
	return v[:len(v)-1] + string(repl)
}
