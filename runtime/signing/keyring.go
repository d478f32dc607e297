// Package signing authenticates and seals the bytes typedsession stores or
// hands to clients.
//
// A Keyring holds the application secret and its fallbacks, as Django's
// SECRET_KEY and SECRET_KEY_FALLBACKS: the first secret signs, every secret
// verifies, and verification reports which one matched so callers can
// re-sign data made with a retired secret. Keys are derived per purpose
// (the salt) with HKDF-SHA256, so a signature made for one purpose is
// worthless for another.
//
// A Signer authenticates, with HMAC-SHA256: the session manager signs each
// record it gives a store. A Sealer also encrypts, with AES-256-GCM, for
// data a client carries but must not read (the cookie store). Every
// comparison of a MAC runs in constant time, and the sealed text form
// (unpadded base64url) accepts only the one spelling this package writes.
//
// Rotating a secret: put the new secret first and keep the old one after it
// for as long as values made with it may still arrive (the session age).
// Verify and Open report the index of the secret that matched, and callers
// re-sign or re-seal what a fallback secret made; then drop the old secret.
package signing

import (
	"crypto/hkdf"
	"crypto/sha256"
	"errors"
	"fmt"
)

// MinSecretLen is the shortest secret a Keyring accepts, in bytes.
const MinSecretLen = 32

// ErrShortSecret is returned (wrapped) by NewKeyring for a missing or short
// secret.
var ErrShortSecret = errors.New("signing: secret too short")

// MinDistinctBytes is the fewest distinct byte values a secret must
// contain. A random secret of MinSecretLen bytes has about 30; fewer than 8
// means a placeholder ("xxxx…", "changeme" repeated), not a secret.
const MinDistinctBytes = 8

// ErrWeakSecret is returned (wrapped) by NewKeyring for a secret with
// obviously no entropy: long enough, but made of a handful of repeated
// bytes.
var ErrWeakSecret = errors.New("signing: secret is not random")

// Keyring holds the secrets that signers and sealers derive their keys from.
// It is immutable and safe for concurrent use.
type Keyring struct {
	secrets [][]byte
}

// NewKeyring returns a Keyring that signs with secrets[0] and verifies with
// any of secrets. Each secret must be at least MinSecretLen bytes and hold at
// least MinDistinctBytes distinct bytes; the error for one that does not
// says how to make a good one.
func NewKeyring(secrets ...[]byte) (*Keyring, error) {
	if len(secrets) == 0 {
		return nil, fmt.Errorf("%w: no secret given; %s", ErrShortSecret, howToMakeSecret)
	}
	k := &Keyring{secrets: make([][]byte, len(secrets))}
	for i, s := range secrets {
		if len(s) < MinSecretLen {
			return nil, fmt.Errorf("%w: secret %d is %d bytes, need at least %d; %s",
				ErrShortSecret, i, len(s), MinSecretLen, howToMakeSecret)
		}
		if n := distinctBytes(s); n < MinDistinctBytes {
			return nil, fmt.Errorf("%w: secret %d has only %d distinct bytes (a placeholder or a repeated character), need at least %d; %s",
				ErrWeakSecret, i, n, MinDistinctBytes, howToMakeSecret)
		}
		k.secrets[i] = append([]byte(nil), s...)
	}
	return k, nil
}

const howToMakeSecret = "make one with `openssl rand -base64 48` (or `head -c 48 /dev/urandom | base64`) and keep it out of source control"

// distinctBytes counts the distinct byte values in s. It is no entropy
// estimate, only a guard against secrets that have none.
func distinctBytes(s []byte) int {
	var seen [256]bool
	n := 0
	for _, b := range s {
		if !seen[b] {
			seen[b] = true
			n++
		}
	}
	return n
}

// Len reports how many secrets the Keyring holds.
func (k *Keyring) Len() int { return len(k.secrets) }

// derive returns one 32-byte key per secret for the given purpose and salt.
func (k *Keyring) derive(purpose, salt string) [][]byte {
	keys := make([][]byte, len(k.secrets))
	info := "typedsession/v1/" + purpose + "/" + salt
	for i, s := range k.secrets {
		key, err := hkdf.Key(sha256.New, s, nil, info, 32)
		if err != nil {
			// Only possible for an output length HKDF cannot produce; 32
			// bytes of SHA-256 always works.
			panic("signing: hkdf: " + err.Error())
		}
		keys[i] = key
	}
	return keys
}
