//go:build !(linux || darwin || dragonfly || freebsd || netbsd || openbsd)

package filestore

// crossProcess reports whether keyLocks exclude other processes sharing
// the directory. The standard library offers no file lock on these
// platforms, so they do not: see the package documentation.
const crossProcess = false

// fileLock stands in for a lock file, which these platforms do without.
type fileLock struct{}

// lockFile takes no lock: keyLocks' mutexes are the only exclusion here.
func lockFile(string) (fileLock, error) { return fileLock{}, nil }

func (fileLock) unlock() {}
