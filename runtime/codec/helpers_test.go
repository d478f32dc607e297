package codec_test

import "runtime"

// bin returns a msgpack bin32 header declaring n bytes, followed by data.
func bin(n uint32, data []byte) []byte {
	return append([]byte{0xc6, byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}, data...)
}

// bytesAllocated returns how many bytes of heap f allocates.
func bytesAllocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}
