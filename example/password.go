package main

import (
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
)

// Passwords are hashed with PBKDF2-HMAC-SHA256 from the standard library
// (crypto/pbkdf2, Go 1.24), written the way Django writes its default
// hasher's output:
//
//	pbkdf2_sha256$<iterations>$<salt>$<base64 of the 32-byte key>
//
// so a hash made by either checks in the other. PBKDF2 with a high count
// is a sound password hash (NIST SP 800-132, FIPS 140 approved); bcrypt or
// argon2 would mean a dependency outside the standard library for the
// example alone.
const (
	passwordAlgorithm = "pbkdf2_sha256"
	// passwordIterations is OWASP's recommendation (2023) for
	// PBKDF2-HMAC-SHA256: about a quarter of a second per check here.
	passwordIterations = 600_000
	// maxIterations bounds the count read from a stored hash, so a
	// corrupt one cannot make a sign-in run for minutes.
	maxIterations   = 10_000_000
	passwordKeyLen  = sha256.Size
	passwordSaltLen = 16 // random bytes, written as 22 base64url characters
)

// hashPassword hashes password with a new random salt.
func hashPassword(password string, iterations int) (string, error) {
	raw := make([]byte, passwordSaltLen)
	rand.Read(raw) // never fails (crypto/rand, Go 1.24)
	salt := base64.RawURLEncoding.EncodeToString(raw)
	key, err := pbkdf2.Key(sha256.New, password, []byte(salt), iterations, passwordKeyLen)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return fmt.Sprintf("%s$%d$%s$%s", passwordAlgorithm, iterations, salt, base64.StdEncoding.EncodeToString(key)), nil
}

// parsedHash is a stored hash taken apart.
type parsedHash struct {
	iterations int
	salt       string
	key        []byte
}

// parseHash takes apart a hash written by hashPassword (or Django).
func parseHash(encoded string) (parsedHash, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 4 || parts[0] != passwordAlgorithm {
		return parsedHash{}, fmt.Errorf("password hash: want %s$iterations$salt$key", passwordAlgorithm)
	}
	n, err := strconv.Atoi(parts[1])
	if err != nil || n < 1 || n > maxIterations {
		return parsedHash{}, fmt.Errorf("password hash: iteration count %q is not between 1 and %d", parts[1], maxIterations)
	}
	key, err := base64.StdEncoding.DecodeString(parts[3])
	if err != nil || len(key) != passwordKeyLen {
		return parsedHash{}, fmt.Errorf("password hash: the key is not %d bytes of base64", passwordKeyLen)
	}
	return parsedHash{iterations: n, salt: parts[2], key: key}, nil
}

// checkPassword reports whether password is the one encoded was made
// from. A malformed hash matches no password.
func checkPassword(encoded, password string) bool {
	h, err := parseHash(encoded)
	if err != nil {
		return false
	}
	key, err := pbkdf2.Key(sha256.New, password, []byte(h.salt), h.iterations, len(h.key))
	return err == nil && subtle.ConstantTimeCompare(key, h.key) == 1
}
