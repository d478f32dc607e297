package django

import (
	"bytes"
	"compress/zlib"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"io"
	"strings"
	"time"
)

// ErrBadSignature is wrapped by every error a Signer returns for a value it
// did not sign or cannot read, as Django's signing.BadSignature.
var ErrBadSignature = errors.New("django: bad signature")

// ErrSignatureExpired is wrapped (together with ErrBadSignature) when a
// value's timestamp is older than the maximum age, as Django's
// signing.SignatureExpired.
var ErrSignatureExpired = errors.New("django: signature expired")

// maxInflated bounds a decompressed value: Django's cookies and session rows
// are small, and a zip bomb must not take the process's memory.
const maxInflated = 4 << 20

// Signer signs and verifies values as django.core.signing's TimestampSigner
// with Django's default settings: HMAC-SHA256 keyed with
// SHA256(Salt + "signer" + secret) (Django's salted_hmac), ':' as separator,
// base62 timestamps. The zero value is not usable: set Secret and Salt.
type Signer struct {
	// Secret is Django's SECRET_KEY. It signs and verifies.
	Secret string
	// Fallbacks are Django's SECRET_KEY_FALLBACKS (4.1+): they verify only.
	Fallbacks []string
	// Salt namespaces the signatures, e.g. SaltSignedCookies.
	Salt string
	// Now returns the current time; nil means time.Now. Tests set it.
	Now func() time.Time
}

// timeNow is the clock of Signers without Now; tests set it.
var timeNow = time.Now

// Verified describes how a value passed verification.
type Verified struct {
	// Timestamp is when the value was signed.
	Timestamp time.Time
	// Stale is true when the value should be re-signed: it was signed with
	// a fallback secret, or with SHA-1 as Django before 3.1 (or 3.x with
	// DEFAULT_HASHING_ALGORITHM = "sha1") did.
	Stale bool
}

func (s *Signer) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return timeNow()
}

// saltedHMAC is Django's django.utils.crypto.salted_hmac: an HMAC keyed with
// the hash of keySalt + secret.
var sha256New = sha256.New

func saltedHMAC(newHash func() hash.Hash, keySalt, value, secret string) []byte {
	h := newHash()
	h.Write([]byte(keySalt))
	h.Write([]byte(secret))
	mac := hmac.New(newHash, h.Sum(nil))
	mac.Write([]byte(value))
	return mac.Sum(nil)
}

// SaltedHMACHex returns the hex digest of Django's
// salted_hmac(keySalt, value, secret, algorithm="sha256").
func SaltedHMACHex(keySalt, value, secret string) string {
	return fmt.Sprintf("%x", saltedHMAC(sha256.New, keySalt, value, secret))
}

func (s *Signer) signature(newHash func() hash.Hash, value, secret string) string {
	return base64.RawURLEncoding.EncodeToString(saltedHMAC(newHash, s.Salt+"signer", value, secret))
}

// Sign returns value + ":" + timestamp + ":" + signature, as
// TimestampSigner.sign.
func (s *Signer) Sign(value string) string {
	value = value + ":" + encodeBase62(s.now().Unix())
	return value + ":" + s.signature(sha256.New, value, s.Secret)
}

// Unsign verifies a value made by Sign (or by Django) and returns what was
// signed. maxAge > 0 also refuses values signed longer ago than that, with
// an error wrapping ErrSignatureExpired. Signatures are compared in
// constant time, against the secret and each fallback, with SHA-256 and,
// as Django 3.2 still does, SHA-1.
func (s *Signer) Unsign(signed string, maxAge time.Duration) (string, Verified, error) {
	var v Verified
	i := strings.LastIndexByte(signed, ':')
	if i < 0 {
		return "", v, fmt.Errorf("%w: no ':' in the value", ErrBadSignature)
	}
	value, sig := signed[:i], signed[i+1:]
	ok := false
	for n, secret := range append([]string{s.Secret}, s.Fallbacks...) {
		if s.matches(sha256.New, value, sig, secret) {
			ok, v.Stale = true, n > 0
			break
		}
		if s.matches(sha1.New, value, sig, secret) {
			ok, v.Stale = true, true
			break
		}
	}
	if !ok {
		return "", v, fmt.Errorf("%w: signature does not match", ErrBadSignature)
	}
	j := strings.LastIndexByte(value, ':')
	if j < 0 {
		return "", v, fmt.Errorf("%w: no timestamp in the value", ErrBadSignature)
	}
	ts, err := decodeBase62(value[j+1:])
	if err != nil {
		return "", v, fmt.Errorf("%w: timestamp: %w", ErrBadSignature, err)
	}
	v.Timestamp = time.Unix(ts, 0).UTC()
	// Django compares the age in float seconds: age > max_age expires.
	if maxAge > 0 && s.now().Sub(v.Timestamp) > maxAge {
		return "", v, fmt.Errorf("%w: %w: signed %s ago, more than %s", ErrBadSignature, ErrSignatureExpired,
			s.now().Sub(v.Timestamp).Truncate(time.Second), maxAge)
	}
	return value[:j], v, nil
}

func (s *Signer) matches(newHash func() hash.Hash, value, sig, secret string) bool {
	want := s.signature(newHash, value, secret)
	return subtle.ConstantTimeCompare([]byte(sig), []byte(want)) == 1
}

// Dumps signs a JSON document as django.core.signing.dumps(obj,
// compress=True) does: base64url without padding of the JSON, or of its
// zlib compression (marked by a leading '.') when that is shorter by more
// than one byte, then timestamped and signed.
func (s *Signer) Dumps(jsonDoc []byte) string {
	data, dot := jsonDoc, ""
	var z bytes.Buffer
	w := zlib.NewWriter(&z)
	w.Write(jsonDoc)
	w.Close()
	if z.Len() < len(jsonDoc)-1 {
		data, dot = z.Bytes(), "."
	}
	return s.Sign(dot + base64.RawURLEncoding.EncodeToString(data))
}

// Loads verifies a value made by Dumps (or by Django's signing.dumps) and
// returns the JSON document, decompressed. See Unsign for maxAge.
func (s *Signer) Loads(signed string, maxAge time.Duration) ([]byte, Verified, error) {
	b64, v, err := s.Unsign(signed, maxAge)
	if err != nil {
		return nil, v, err
	}
	compressed := strings.HasPrefix(b64, ".")
	data, err := decodeB64(strings.TrimPrefix(b64, "."))
	if err != nil {
		return nil, v, fmt.Errorf("%w: payload: %w", ErrBadSignature, err)
	}
	if compressed {
		if data, err = inflate(data); err != nil {
			return nil, v, fmt.Errorf("%w: payload: %w", ErrBadSignature, err)
		}
	}
	return data, v, nil
}

// decodeB64 reads base64url with or without padding, as Django's b64_decode.
func decodeB64(s string) ([]byte, error) {
	return base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
}

func inflate(data []byte) ([]byte, error) {
	r, err := zlib.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	defer r.Close()
	out, err := io.ReadAll(io.LimitReader(r, maxInflated+1))
	if err != nil {
		return nil, err
	}
	if len(out) > maxInflated {
		return nil, fmt.Errorf("decompressed value exceeds %d bytes", maxInflated)
	}
	return out, nil
}

const base62Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// encodeBase62 is Django's baseconv.base62.encode for the non-negative
// timestamps it is used for.
func encodeBase62(n int64) string {
	if n <= 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append(b, base62Alphabet[n%62])
		n /= 62
	}
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}

func decodeBase62(s string) (int64, error) {
	if s == "" || len(s) > 10 { // 62^10 > 2^59: far beyond any timestamp
		return 0, fmt.Errorf("bad base62 timestamp of %d characters", len(s))
	}
	var n int64
	for i := 0; i < len(s); i++ {
		d := strings.IndexByte(base62Alphabet, s[i])
		if d < 0 {
			return 0, fmt.Errorf("bad base62 digit %q", s[i])
		}
		n = n*62 + int64(d)
	}
	return n, nil
}
