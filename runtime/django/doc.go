// Package django lets a Go service share sessions with a Django application
// (django.contrib.sessions with the JSON serializer), so a user signed in
// on one side is signed in on the other.
//
// Its stores keep sessions where and as Django does: CookieStore (the
// signed_cookies backend), DBStore (the db backend's django_session table
// on PostgreSQL, MySQL/MariaDB or SQLite) and CacheStore (the cache backend
// on Redis through django-redis's JSON serializer). A session.Manager whose
// store is one of them keeps Django's format instead of typedsession's
// envelope (the stores implement session.FormatStore), with Config.Secret
// as Django's SECRET_KEY, and leaves the session keys at rest in the clear,
// as Django looks them up (session.ClearKeyStore).
//
// In that format the generated type's session keys are the JSON keys,
// Django's metadata (_session_expiry, testcookie) is the Manager's expiry
// and test cookie, and keys the type does not declare, Django's auth keys
// among them, are kept and written back unchanged. SignedIn, SignIn and
// SignOut read and write the auth keys as django.contrib.auth does.
//
// Signer is django.core.signing's TimestampSigner. README.md's "Sharing
// sessions with Django" lists the settings on both sides and the
// differences that remain.
package django

// The salts Django signs sessions with.
const (
	// SaltSignedCookies is the salt of the signed_cookies backend.
	SaltSignedCookies = "django.contrib.sessions.backends.signed_cookies"
	// SaltSessionStore is the salt of the db, file and cached_db backends
	// (the key_salt of their SessionStore class).
	SaltSessionStore = "django.contrib.sessions.SessionStore"
)
