package main

import (
	"strings"
	"testing"
	"time"

	"github.com/typedsession/typedsession/runtime/codec"
	"github.com/typedsession/typedsession/runtime/session"
)

// TestInspectHashedKeys: -key takes the cookie's key and looks under its
// hash, then (for a session an older version stored) in clear; -store-key
// takes the key as the store holds it.
func TestInspectHashedKeys(t *testing.T) {
	const (
		hashed = "abcdefghijklmnopqrstuvwxyz234567" // a cookie key, stored under its hash
		clear  = "zyxwvutsrqponmlkjihgfedcba765432" // a cookie key stored in clear
		odd    = "clearkey00000000"                 // not a cookie key's form, stored in clear
	)
	env := map[string]string{"TYPEDSESSION_SECRET": secret}
	expiry := time.Now().Add(time.Hour)
	for name, url := range testStores(t) {
		t.Run(name, func(t *testing.T) {
			st := openStore(t, url)
			save(t, st, session.StoreKey(hashed), payload(t, secret, codec.Meta{}, map[string]any{"name": "Ada"}), expiry)
			save(t, st, clear, payload(t, secret, codec.Meta{}, map[string]any{"name": "Bob"}), expiry)
			save(t, st, odd, payload(t, secret, codec.Meta{}, map[string]any{"name": "Eve"}), expiry)
			tests := []struct {
				name  string
				args  []string
				code  int
				wants []string
			}{
				{"cookie key, hashed record", []string{"-key", hashed}, exitOK, []string{
					"store key:   " + session.StoreKey(hashed) + "\n", "  name = \"Ada\"\n"}},
				{"store key", []string{"-store-key", session.StoreKey(hashed)}, exitOK, []string{"  name = \"Ada\"\n"}},
				{"cookie key, clear record", []string{"-key", clear}, exitOK, []string{
					"store key:   the cookie's key, in clear", "  name = \"Bob\"\n"}},
				{"store key given as -key", []string{"-key", session.StoreKey(hashed)}, exitFailed, []string{
					"stderr:no live session", "stderr:-store-key the key as the store lists it"}},
				{"clear record of no cookie key's form", []string{"-key", odd}, exitFailed, []string{"stderr:no live session"}},
				{"invalid store key", []string{"-store-key", "../etc/passwd"}, exitUsage, []string{"stderr:is not a session key"}},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					r := runT(t, env, append([]string{"inspect", "-store", url}, tt.args...)...)
					r.check(t, tt.code, tt.wants...)
					if tt.code != exitOK && strings.Contains(r.stdout, "name =") {
						t.Errorf("a session was shown:\n%s", r.stdout)
					}
				})
			}
		})
	}
	r := runT(t, env, "inspect", "-store", "cookie", "-store-key", session.StoreKey(hashed))
	r.check(t, exitUsage, "stderr:give the cookie's value with -cookie")
}
