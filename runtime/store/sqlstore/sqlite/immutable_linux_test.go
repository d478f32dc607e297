package sqlite

import (
	"os"
	"syscall"
	"unsafe"
)

// The ioctls and flag of linux/fs.h that read and set a file's attributes.
const (
	fsIocGetFlags = 0x80086601
	fsIocSetFlags = 0x40086602
	fsImmutableFl = 0x00000010
)

// setImmutable sets or clears the immutable attribute of the file at path
// (chattr +i / -i), which stops writes even by root.
func setImmutable(path string, on bool) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var flags int
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), fsIocGetFlags, uintptr(unsafe.Pointer(&flags))); e != 0 {
		return &os.PathError{Op: "get attributes", Path: path, Err: e}
	}
	if on {
		flags |= fsImmutableFl
	} else {
		flags &^= fsImmutableFl
	}
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), fsIocSetFlags, uintptr(unsafe.Pointer(&flags))); e != 0 {
		return &os.PathError{Op: "set attributes", Path: path, Err: e}
	}
	return nil
}
