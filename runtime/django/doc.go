// Package django lets a Go service share sessions with a Django application:
// it reads and writes Django's session formats (django.contrib.sessions with
// the JSON serializer) through typedsession's Manager, in Django's own
// stores: the signed cookie, the django_session table and the cache.
//
// Django's sessions are JSON objects signed with SECRET_KEY. A Manager whose
// store comes from this package keeps its sessions in that form instead of
// typedsession's envelope: the struct's session keys are the JSON keys,
// Django's metadata (_session_expiry, testcookie) maps to the Manager's
// expiry and test cookie, keys the struct does not declare (Django's auth
// keys among them) are kept and written back unchanged, and the session keys
// at rest are the clear keys Django looks sessions up by.
package django

// The salts Django signs sessions with.
const (
	// SaltSignedCookies is the salt of the signed_cookies backend.
	SaltSignedCookies = "django.contrib.sessions.backends.signed_cookies"
	// SaltSessionStore is the salt of the db, file and cached_db backends
	// (the key_salt of their SessionStore class).
	SaltSessionStore = "django.contrib.sessions.SessionStore"
)
