package main

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
)

// secretEnv names the environment variable that holds the session secret.
const secretEnv = "TYPEDSESSION_SECRET"

// secretFile is the name of the generated secret's file, beside the
// database.
const secretFile = "example-secret"

// loadSecret returns the session secret: TYPEDSESSION_SECRET if set, else
// the one in dir/example-secret, generated there (mode 0600) on first
// start. Signed sessions need the same secret after a restart, so it
// cannot simply be made up on each start.
func loadSecret(getenv func(string) string, dir string, log *slog.Logger) (string, error) {
	if s := getenv(secretEnv); s != "" {
		return s, nil // session.NewManager checks its length
	}
	path := filepath.Join(dir, secretFile)
	s, err := readSecret(path)
	if errors.Is(err, fs.ErrNotExist) {
		s, err = createSecret(path)
		if err == nil {
			log.Warn(secretEnv+" is unset: generated a session secret and stored it beside the database; a real deployment sets "+secretEnv+" (openssl rand -base64 48)", "file", path)
		}
		return s, err
	}
	if err != nil {
		return "", err
	}
	log.Warn(secretEnv+" is unset: using the secret generated earlier; a real deployment sets "+secretEnv, "file", path)
	return s, nil
}

// readSecret reads the secret file, refusing one that others can read.
func readSecret(path string) (string, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return "", fmt.Errorf("secret file %s has mode %v: others can read it; run chmod 600 %s, or delete it to make a new secret (signing everyone out)", path, fi.Mode().Perm(), path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(b)), nil
}

// createSecret writes a new random secret to path, failing if the file
// appeared meanwhile rather than overwriting another process's secret.
func createSecret(path string) (string, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", fmt.Errorf("secret folder: %w", err)
	}
	var b [48]byte
	rand.Read(b[:]) // never fails: crypto/rand panics rather than return weak bytes
	s := base64.StdEncoding.EncodeToString(b[:])
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", fmt.Errorf("create secret file: %w", err)
	}
	if _, err := f.WriteString(s + "\n"); err != nil {
		f.Close()
		return "", fmt.Errorf("write secret file: %w", err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("write secret file: %w", err)
	}
	return s, nil
}
