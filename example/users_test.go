package main

import (
	"testing"

	"golang.org/x/crypto/bcrypt"
)

func TestDemoUsers(t *testing.T) {
	users := demoUsers()
	if len(users) != len(demoPasswords) {
		t.Fatalf("%d demo users, %d demo passwords", len(users), len(demoPasswords))
	}
	tests := []struct {
		login, password string
		ok              bool
	}{
		{"alice", "wonderland", true},
		{"bob", "builder", true},
		{"alice", "builder", false},
		{"bob", "Builder", false},
		{"carol", "wonderland", false},
		{"", "", false},
	}
	for _, tt := range tests {
		u, ok := authenticate(users, tt.login, tt.password)
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
	hashes := map[string][]byte{"dummyHash": dummyHash}
	for login, u := range users {
		hashes[login] = u.Hash
	}
	for name, h := range hashes {
		if cost, err := bcrypt.Cost(h); err != nil || cost != bcrypt.DefaultCost {
			t.Errorf("%s: cost %d, %v; want %d", name, cost, err, bcrypt.DefaultCost)
		}
	}
}
