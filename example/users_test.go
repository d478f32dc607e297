package main

import (
	"strings"
	"testing"
)

func TestDemoUsers(t *testing.T) {
	users := demoUsers()
	if len(users) != len(demoPasswords) {
		t.Fatalf("%d demo users, %d demo passwords", len(users), len(demoPasswords))
	}
	// Each check of a real hash costs a quarter of a second, ten times that
	// under the race detector: the real hashes are checked with the right
	// password only, the wrong ones against cheapUsers.
	for login, password := range demoPasswords {
		if u, ok := authenticate(users, login, password); !ok || u.Login != login {
			t.Errorf("authenticate(%q, %q) = %+v, %v; want the user", login, password, u, ok)
		}
	}
	tests := []struct {
		login, password string
		ok              bool
	}{
		{"alice", "wonderland", true},
		{"bob", "builder", true},
		{"alice", "builder", false},
		{"bob", "Builder", false},
		{"carol", "wonderland", false}, // checked against dummyHash
	}
	cheap := cheapUsers(t)
	for _, tt := range tests {
		u, ok := authenticate(cheap, tt.login, tt.password)
		if ok != tt.ok {
			t.Errorf("authenticate(%q, %q) = %v, want %v", tt.login, tt.password, ok, tt.ok)
		}
		if ok && u.Login != tt.login {
			t.Errorf("authenticate(%q, ...) returned user %q", tt.login, u.Login)
		}
		if !ok && u.ID != 0 {
			t.Errorf("authenticate(%q, %q) refused but returned %+v", tt.login, tt.password, u)
		}
	}
	// An unknown login must cost as much as a wrong password, or response
	// times would tell which logins exist.
	hashes := map[string]string{"dummyHash": dummyHash}
	for login, u := range users {
		hashes[login] = u.Hash
	}
	for name, h := range hashes {
		if p, err := parseHash(h); err != nil || p.iterations != passwordIterations {
			t.Errorf("%s: %d iterations, %v; want %d", name, p.iterations, err, passwordIterations)
		}
	}
}

// TestPasswordHash checks the hash format against a hash made elsewhere
// (Python's hashlib.pbkdf2_hmac, which Django's hasher calls), a fresh
// round trip, and malformed hashes, which match nothing.
func TestPasswordHash(t *testing.T) {
	// base64(hashlib.pbkdf2_hmac("sha256", "lètmein".encode(), b"seasalt", 1000))
	const django = "pbkdf2_sha256$1000$seasalt$JgZryXe2Ga8ysg6XbzkLpTdyPQrHqsinbL9BnnhgX4A="
	if !checkPassword(django, "lètmein") {
		t.Errorf("the reference hash does not check")
	}
	if checkPassword(django, "letmein") {
		t.Errorf("the reference hash checks a wrong password")
	}

	fresh, err := hashPassword("correct horse", 1000)
	if err != nil {
		t.Fatal(err)
	}
	if !checkPassword(fresh, "correct horse") || checkPassword(fresh, "correct horse ") {
		t.Errorf("round trip of %q failed", fresh)
	}
	again, err := hashPassword("correct horse", 1000)
	if err != nil {
		t.Fatal(err)
	}
	if again == fresh {
		t.Errorf("two hashes of one password are equal: the salt is not random")
	}

	key := "JgZryXe2Ga8ysg6XbzkLpTdyPQrHqsinbL9BnnhgX4A="
	for _, bad := range []string{
		"",
		"lètmein",
		"pbkdf2_sha1$1000$seasalt$" + key,
		"pbkdf2_sha256$0$seasalt$" + key,
		"pbkdf2_sha256$-1$seasalt$" + key,
		"pbkdf2_sha256$99999999999$seasalt$" + key, // would run for minutes
		"pbkdf2_sha256$x$seasalt$" + key,
		"pbkdf2_sha256$1000$seasalt$" + key[:20],
		"pbkdf2_sha256$1000$seasalt$not base64!",
		"pbkdf2_sha256$1000$seasalt$" + key + "$extra",
		strings.Replace(django, "$seasalt$", "$seasalt2$", 1),
	} {
		if checkPassword(bad, "lètmein") {
			t.Errorf("checkPassword(%q) matched", bad)
		}
	}
}
