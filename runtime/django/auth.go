package django

import (
	"context"
	"crypto/sha1"
	"crypto/subtle"
	"fmt"
	"strconv"

	"github.com/typedsession/typedsession/runtime/session"
	"github.com/vmihailenco/msgpack/v5"
)

// The session keys of django.contrib.auth.
const (
	KeyUserID  = "_auth_user_id"      // SESSION_KEY
	KeyBackend = "_auth_user_backend" // BACKEND_SESSION_KEY
	KeyHash    = "_auth_user_hash"    // HASH_SESSION_KEY
)

// ModelBackend is Django's default authentication backend.
const ModelBackend = "django.contrib.auth.backends.ModelBackend"

// authHashSalt is the key_salt of Django's get_session_auth_hash.
const authHashSalt = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"

// User is who django.contrib.auth records as signed in to a session.
type User struct {
	// ID is the user's primary key as text, as Django stores it
	// (user._meta.pk.value_to_string(user)): "42" for an integer id.
	ID string
	// Backend is the dotted path of the authentication backend that signed
	// the user in. Django signs the user out unless it is listed in
	// AUTHENTICATION_BACKENDS; ModelBackend is the default.
	Backend string
	// Hash is SessionAuthHash of the user's password field.
	Hash string
}

// SessionAuthHash returns what Django 3.1+ (with its default
// DEFAULT_HASHING_ALGORITHM, "sha256") stores as _auth_user_hash:
// AbstractBaseUser.get_session_auth_hash(), the hex HMAC-SHA256 of the
// user's password field, keyed with Django's salted_hmac of secret
// (SECRET_KEY) and the key salt
// "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash".
// passwordField is the hash string as stored in auth_user.password (e.g.
// "pbkdf2_sha256$260000$salt$..."), not the password. Django signs the user
// out when the hash no longer matches, so a password change ends the user's
// other sessions.
func SessionAuthHash(secret, passwordField string) string {
	return SaltedHMACHex(authHashSalt, passwordField, secret)
}

// Verify reports whether u.Hash matches the user's current password field
// under secret or one of the fallbacks, compared in constant time, as
// Django's get_user checks it (3.2 also accepts the SHA-1 hash of Django
// before 3.1). A Go handler that trusts a Django sign-in must check this
// against the user's row, and that the user is still active, as Django's
// ModelBackend does.
func (u User) Verify(passwordField, secret string, fallbacks ...string) bool {
	if u.Hash == "" {
		return false
	}
	ok := 0
	for _, s := range append([]string{secret}, fallbacks...) {
		ok |= subtle.ConstantTimeCompare([]byte(u.Hash), []byte(SessionAuthHash(s, passwordField)))
		legacy := fmt.Sprintf("%x", saltedHMAC(sha1.New, authHashSalt, passwordField, s))
		ok |= subtle.ConstantTimeCompare([]byte(u.Hash), []byte(legacy))
	}
	return ok == 1
}

// SignedIn returns the user s records as signed in, and whether there is
// one. It reads the keys only: see User.Verify for what else Django checks.
func SignedIn(ctx context.Context, s *session.Session) (User, bool, error) {
	var u User
	id, ok, err := rawText(ctx, s, KeyUserID)
	if err != nil || !ok {
		return u, false, err
	}
	u.ID = id
	if u.Backend, _, err = rawText(ctx, s, KeyBackend); err != nil {
		return u, false, err
	}
	if u.Hash, _, err = rawText(ctx, s, KeyHash); err != nil {
		return u, false, err
	}
	return u, u.ID != "" && u.Backend != "", nil
}

// rawText reads a string key (an integer, as some old sessions hold user
// ids, reads as its decimal text).
func rawText(ctx context.Context, s *session.Session, key string) (string, bool, error) {
	v, ok, err := s.RawField(ctx, key)
	if err != nil || !ok {
		return "", false, err
	}
	var x any
	if err := msgpack.Unmarshal(v, &x); err != nil {
		return "", false, nil
	}
	switch x := x.(type) {
	case string:
		return x, true, nil
	case int64:
		return strconv.FormatInt(x, 10), true, nil
	case uint64:
		return strconv.FormatUint(x, 10), true, nil
	case int8, int16, int32, uint8, uint16, uint32:
		return fmt.Sprint(x), true, nil
	}
	return "", false, nil
}

// SignIn records u as signed in to s, as django.contrib.auth.login does:
// a session that records another user (or the same user with another
// hash) is flushed first, any other session gets a new key (against
// session fixation), and then the three keys are set. Compute u.Hash with
// SessionAuthHash; u.Backend defaults to ModelBackend.
func SignIn(ctx context.Context, s *session.Session, u User) error {
	if u.ID == "" {
		return fmt.Errorf("django: SignIn: the user has no ID")
	}
	if u.Backend == "" {
		u.Backend = ModelBackend
	}
	cur, ok, err := SignedIn(ctx, s)
	if err != nil {
		return err
	}
	if _, present, _ := s.RawField(ctx, KeyUserID); present {
		if !ok || cur.ID != u.ID || u.Hash != "" && subtle.ConstantTimeCompare([]byte(cur.Hash), []byte(u.Hash)) != 1 {
			if err := s.Flush(ctx); err != nil {
				return err
			}
		}
	} else if err := s.Cycle(ctx); err != nil {
		return err
	}
	for _, kv := range [][2]string{{KeyUserID, u.ID}, {KeyBackend, u.Backend}, {KeyHash, u.Hash}} {
		b, err := msgpack.Marshal(kv[1])
		if err != nil {
			return err
		}
		if err := s.SetRawField(ctx, kv[0], b); err != nil {
			return err
		}
	}
	return nil
}

// SignOut ends the session as django.contrib.auth.logout does: it is
// flushed (deleted, emptied, and given no key).
func SignOut(ctx context.Context, s *session.Session) error {
	return s.Flush(ctx)
}
