//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package filestore

import (
	"os"
	"syscall"
)

// crossProcess reports whether keyLocks exclude other processes sharing
// the directory, not just this process's goroutines.
const crossProcess = true

// fileLock is an open lock file on which this process holds flock(2)'s
// exclusive lock.
type fileLock int

// lockFile opens the lock file at path, creating it if need be, and waits
// for an exclusive flock on it.
//
// flock rather than fcntl's record locks: an flock belongs to the open
// file, so it is not dropped when some other code in the process closes
// the same file, and two Stores in one process exclude each other as two
// processes do. Either kind is released by the kernel when its process
// dies, so a crash never leaves a key locked.
//
// The file is opened for writing because Linux emulates flock with record
// locks on NFS, where an exclusive lock needs a writable file.
// O_NOFOLLOW keeps a symbolic link planted in the directory from making
// the store create or open a file elsewhere.
func lockFile(path string) (fileLock, error) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(path, syscall.O_RDWR|syscall.O_CREAT|syscall.O_CLOEXEC|syscall.O_NOFOLLOW, 0o600)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return -1, &os.PathError{Op: "open", Path: path, Err: err}
	}
	for {
		err = syscall.Flock(fd, syscall.LOCK_EX)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		syscall.Close(fd)
		return -1, &os.PathError{Op: "flock", Path: path, Err: err}
	}
	return fileLock(fd), nil
}

// unlock releases the lock by closing the file. A close error is of no
// use: closing releases the lock whatever it reports.
func (f fileLock) unlock() { syscall.Close(int(f)) }
