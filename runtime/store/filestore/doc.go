// Package filestore keeps each session in its own file under a directory.
//
// Use it for a single server without a database, or in development: there
// is nothing to run, and sessions survive restarts. Several processes on
// one host may share the directory (creation is atomic between them), but
// a network file system is not recommended, and for several hosts a
// database or Redis serves better.
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
// file is never seen half written.
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
// Within one process, every Save, Delete and Cycle of a key is serialised,
// so an update never resurrects a session a concurrent Delete removed. Two
// processes sharing the directory get atomic creation, but an update in one
// racing a delete in the other can, rarely, bring the session back.
package filestore
