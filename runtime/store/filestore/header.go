package filestore

import (
	"encoding/binary"
	"errors"
	"time"
)

// A session file is a 12-byte header followed by the payload. The header is
// the magic "TSF", a format version byte, and the expiry as big-endian Unix
// microseconds.
const (
	magic       = "TSF"
	fileVersion = 1
	headerLen   = len(magic) + 1 + 8
)

// errHeader marks a file whose header this release cannot read: not a
// session file, or one written by a newer release.
var errHeader = errors.New("unreadable session file header")

func appendHeader(dst []byte, expiry time.Time) []byte {
	dst = append(dst, magic...)
	dst = append(dst, fileVersion)
	return binary.BigEndian.AppendUint64(dst, uint64(expiry.UnixMicro()))
}

// parseHeader returns the expiry recorded in b, which must hold at least
// the header.
func parseHeader(b []byte) (time.Time, error) {
	if len(b) < headerLen || string(b[:len(magic)]) != magic || b[len(magic)] != fileVersion {
		return time.Time{}, errHeader
	}
	return time.UnixMicro(int64(binary.BigEndian.Uint64(b[len(magic)+1:]))), nil
}
