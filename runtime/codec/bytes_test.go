package codec_test

import (
	"bytes"
	"errors"
	"io"
	"runtime"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/typedsession/typedsession/runtime/codec"
)

// bin returns a msgpack bin32 header declaring n bytes, followed by data.
func bin(n uint32, data []byte) []byte {
	return append([]byte{0xc6, byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}, data...)
}

func TestReadBytes(t *testing.T) {
	big := bytes.Repeat([]byte("0123456789abcdef"), 10_000) // 160 KB: more than one growStep
	tests := []struct {
		name    string
		in      []byte
		want    []byte
		wantErr error // nil: success, then next must decode
		anyErr  bool
	}{
		{name: "nil", in: []byte{0xc0}, want: nil},
		{name: "empty bin", in: []byte{0xc4, 0}, want: []byte{}},
		{name: "bin8", in: []byte("\xc4\x03abc"), want: []byte("abc")},
		{name: "str", in: []byte("\xa3abc"), want: []byte("abc")},
		{name: "big", in: bin(uint32(len(big)), big), want: big},
		{name: "truncated", in: []byte("\xc4\x05ab"), wantErr: io.ErrUnexpectedEOF},
		{name: "declared 4 GiB", in: bin(0xffffffff, []byte("abc")), wantErr: io.ErrUnexpectedEOF},
		{name: "big, truncated", in: bin(uint32(len(big)+1), big), wantErr: io.ErrUnexpectedEOF},
		{name: "not bytes", in: []byte{0x05}, anyErr: true},
		{name: "empty input", in: nil, anyErr: true},
	}
	for _, r := range readers {
		for _, tt := range tests {
			t.Run(r.name+"/"+tt.name, func(t *testing.T) {
				wantErr := tt.wantErr != nil || tt.anyErr
				in := tt.in
				if !wantErr {
					in = append(bytes.Clone(tt.in), next)
				}
				dec, release := r.open(in)
				defer release()
				got, err := codec.ReadBytes(dec)
				switch {
				case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
					t.Fatalf("ReadBytes: error %v, want %v", err, tt.wantErr)
				case tt.anyErr && err == nil:
					t.Fatalf("ReadBytes = %q, nil; want an error", got)
				case !wantErr && err != nil:
					t.Fatalf("ReadBytes: %v", err)
				}
				if wantErr {
					return
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("ReadBytes (-want +got):\n%s", diff)
				}
				if (tt.want == nil) != (got == nil) {
					t.Errorf("ReadBytes = %#v, want %#v (nil and empty differ)", got, tt.want)
				}
				if v, err := dec.DecodeInt(); err != nil || v != next {
					t.Errorf("value after the bytes = %d, %v; want %d: not consumed exactly", v, err, next)
				}
			})
		}
	}
}

// TestReadBytesAllocatesOnlyWhatIsThere is why ReadBytes exists: msgpack's
// DecodeBytes reserves the declared length up front, so a few bytes of
// input claiming 4 GiB cost 4 GiB. Bytes allocated are counted, not timed.
func TestReadBytesAllocatesOnlyWhatIsThere(t *testing.T) {
	in := bin(0xffffffff, []byte("abc"))
	const limit = 1 << 20
	for _, r := range readers {
		t.Run(r.name, func(t *testing.T) {
			dec, release := r.open(in)
			defer release()
			allocated := bytesAllocated(func() {
				if _, err := codec.ReadBytes(dec); !errors.Is(err, io.ErrUnexpectedEOF) {
					t.Errorf("ReadBytes: error %v, want io.ErrUnexpectedEOF", err)
				}
			})
			if allocated > limit {
				t.Errorf("ReadBytes allocated %d bytes for an %d-byte input, want at most %d", allocated, len(in), limit)
			}
		})
	}
}

// bytesAllocated returns how many bytes of heap f allocates.
func bytesAllocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestReadByteArray(t *testing.T) {
	tests := []struct {
		name    string
		in      []byte
		want    [4]byte
		wantNil bool
		wantErr bool
	}{
		{name: "exact", in: []byte("\xc4\x04abcd"), want: [4]byte{'a', 'b', 'c', 'd'}},
		{name: "str", in: []byte("\xa4abcd"), want: [4]byte{'a', 'b', 'c', 'd'}},
		{name: "nil", in: []byte{0xc0}, want: [4]byte{9, 9, 9, 9}, wantNil: true},
		{name: "short", in: []byte("\xc4\x03abc"), wantErr: true},
		{name: "long", in: []byte("\xc4\x05abcde"), wantErr: true},
		{name: "declared 4 GiB", in: bin(0xffffffff, []byte("abcd")), wantErr: true},
		{name: "truncated", in: []byte("\xc4\x04ab"), wantErr: true},
		{name: "not bytes", in: []byte{0x05}, wantErr: true},
	}
	for _, r := range readers {
		for _, tt := range tests {
			t.Run(r.name+"/"+tt.name, func(t *testing.T) {
				in := tt.in
				if !tt.wantErr {
					in = append(bytes.Clone(tt.in), next)
				}
				dec, release := r.open(in)
				defer release()
				dst := [4]byte{9, 9, 9, 9}
				isNil, err := codec.ReadByteArray(dec, dst[:])
				if tt.wantErr {
					if err == nil {
						t.Fatalf("ReadByteArray = %q, nil; want an error", dst)
					}
					return
				}
				if err != nil {
					t.Fatalf("ReadByteArray: %v", err)
				}
				if isNil != tt.wantNil || dst != tt.want {
					t.Errorf("ReadByteArray = %q, isNil %v; want %q, %v", dst, isNil, tt.want, tt.wantNil)
				}
				if v, err := dec.DecodeInt(); err != nil || v != next {
					t.Errorf("value after the bytes = %d, %v; want %d: not consumed exactly", v, err, next)
				}
			})
		}
	}
}

// TestReadByteArrayAllocs checks a [N]byte field decodes in place from a
// *bytes.Reader without allocating.
func TestReadByteArrayAllocs(t *testing.T) {
	in := []byte("\xc4\x04abcd")
	r := bytes.NewReader(in)
	dec := msgpack.NewDecoder(r)
	var err error
	allocs := testing.AllocsPerRun(100, func() {
		r.Reset(in)
		dec.Reset(r)
		var dst [4]byte
		_, err = codec.ReadByteArray(dec, dst[:])
	})
	if err != nil {
		t.Fatal(err)
	}
	if allocs != 0 {
		t.Errorf("ReadByteArray allocates %v times, want 0", allocs)
	}
}
