// Package filestore keeps each session in its own file under a directory.
//
// Use it for a single server without a database, or in development: there
// is nothing to run, and sessions survive restarts. Several processes on
// one host may share the directory (see Concurrency for the platforms where
// they exclude each other fully), but a network file system is not
// recommended, and for several hosts a database or Redis serves better.
//
//	st, err := filestore.New("/var/lib/myapp/sessions")
//
// New fails at start if the directory is missing or not writable. Create it
// readable by the application's user only (mode 0700); files are written
// with mode 0600.
//
// # Files
//
// A session lives in <dir>/<key>.session: a 12-byte header (the magic
// "TSF", a version byte, the expiry as big-endian Unix microseconds)
// followed by the signed payload. Writes go to a temporary file
// (<dir>/.tmp-*) that is synced and then renamed or linked into place, so a
// file is never seen half written. The lock files <dir>/.lock-00 to
// <dir>/.lock-63 (see Concurrency) are empty and stay for good.
//
// A session saved with an owner (store.Owners) also has <dir>/<key>.owner,
// holding the owner id, and an empty marker <dir>/owners/<h>/<key> in its
// owner's index directory (<h> is a hash of the owner id); the session file
// itself is unchanged, so earlier releases still read it. Delete and
// ClearExpired remove both with the session (see owner.go).
//
// Keys are checked against the key alphabet (store.ValidKey) before any
// path is built, and the path is checked again to lie in the directory: a
// key with "/", "\", ".." or any other character loads as not found and
// cannot be saved, and nothing outside the directory is ever read or
// written.
//
// # Expiry and clean-up
//
// An expired file is never returned. ClearExpired (run it from cron, or
// `sessionctl clear-expired -store file:///var/lib/myapp/sessions`) removes
// expired files, temporary files left by crashed writes, and files whose
// header this release cannot read once their modification time is
// UnreadableAge old.
//
// # Concurrency
//
// Every Save, Swap, Delete and Cycle of a key, and ClearExpired's removal of it,
// is serialised with every other, so an update never resurrects a session
// that a concurrent Delete removed. Loads take no lock: a file is replaced
// whole, by a rename.
//
// Keys are spread over 64 stripes. Within a process a stripe is a mutex;
// between processes sharing the directory it is an flock(2) lock on the
// stripe's lock file, <dir>/.lock-NN, which New creates (mode 0600) and
// nothing removes. The kernel releases such a lock when its process exits,
// so a crash never leaves a key locked. Every process sharing the
// directory must be able to open the lock files for writing: run them as
// one user.
//
// This holds on Linux, macOS and the BSDs. Elsewhere (Windows, Solaris,
// illumos, AIX, Plan 9) the standard library has no file lock, there are
// no lock files, and the serialisation is within one process only: two
// processes sharing the directory still get atomic creation, but an update
// in one racing a delete in the other can, rarely, bring the session back.
// There, let one process at a time use a directory, or use a SQL or Redis
// store.
package filestore
