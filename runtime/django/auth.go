package django

// authHashSalt is the key_salt of Django's get_session_auth_hash.
const authHashSalt = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"

// SessionAuthHash returns what Django (3.1+, with its default
// DEFAULT_HASHING_ALGORITHM) stores as _auth_user_hash for a user:
// AbstractBaseUser.get_session_auth_hash(), the hex HMAC-SHA256 of the
// user's password field (the hash string as stored in auth_user.password,
// e.g. "pbkdf2_sha256$260000$..."), keyed with Django's salted_hmac of
// secret (SECRET_KEY). Django signs the user out when it no longer matches,
// so a password change ends the user's other sessions.
func SessionAuthHash(secret, passwordField string) string {
	return SaltedHMACHex(authHashSalt, passwordField, secret)
}
