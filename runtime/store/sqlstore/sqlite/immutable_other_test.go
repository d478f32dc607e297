//go:build !linux

package sqlite

import "errors"

func setImmutable(path string, on bool) error {
	return errors.New("setting the immutable attribute is implemented for Linux only")
}
