package signing

import (
	"bytes"
	"testing"
)

// benchPayload is about the size of a signed session envelope.
var benchPayload = bytes.Repeat([]byte("session!"), 300/8)

func BenchmarkSign(b *testing.B) {
	s := keyring(b, current, retired).Signer("bench")
	buf := make([]byte, 0, len(benchPayload)+MACSize)
	b.ReportAllocs()
	b.SetBytes(int64(len(benchPayload)))
	for b.Loop() {
		buf = s.Sign(buf[:0], benchPayload)
	}
}

func BenchmarkVerify(b *testing.B) {
	for _, bc := range []struct {
		name   string
		signer string
	}{
		{"current", current},
		{"fallback", retired}, // one failed MAC before the match
	} {
		b.Run(bc.name, func(b *testing.B) {
			signed := keyring(b, bc.signer).Signer("bench").Sign(nil, benchPayload)
			s := keyring(b, current, retired).Signer("bench")
			b.ReportAllocs()
			b.SetBytes(int64(len(benchPayload)))
			for b.Loop() {
				if _, _, err := s.Verify(signed); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkSeal(b *testing.B) {
	s := sealer(b, "bench", current, retired)
	buf := make([]byte, 0, len(benchPayload)+SealOverhead)
	b.ReportAllocs()
	b.SetBytes(int64(len(benchPayload)))
	for b.Loop() {
		buf = s.Seal(buf[:0], benchPayload)
	}
}

func BenchmarkOpen(b *testing.B) {
	for _, bc := range []struct {
		name   string
		sealer string
	}{
		{"current", current},
		{"fallback", retired},
	} {
		b.Run(bc.name, func(b *testing.B) {
			sealed := sealer(b, "bench", bc.sealer).Seal(nil, benchPayload)
			s := sealer(b, "bench", current, retired)
			b.ReportAllocs()
			b.SetBytes(int64(len(benchPayload)))
			for b.Loop() {
				if _, _, err := s.Open(sealed); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkSealString(b *testing.B) {
	s := sealer(b, "bench", current, retired)
	b.ReportAllocs()
	b.SetBytes(int64(len(benchPayload)))
	for b.Loop() {
		_ = s.SealString(benchPayload)
	}
}

func BenchmarkOpenString(b *testing.B) {
	for _, bc := range []struct {
		name   string
		sealer string
	}{
		{"current", current},
		{"fallback", retired},
	} {
		b.Run(bc.name, func(b *testing.B) {
			text := sealer(b, "bench", bc.sealer).SealString(benchPayload)
			s := sealer(b, "bench", current, retired)
			b.ReportAllocs()
			b.SetBytes(int64(len(benchPayload)))
			for b.Loop() {
				if _, _, err := s.OpenString(text); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkEncode compares encode with encoding/base64 on a sealed session
// of about the size the cookie benchmarks carry.
func BenchmarkEncode(b *testing.B) {
	raw := bytes.Repeat([]byte{0x5a, 0xc3, 0x81}, (len(benchPayload)+SealOverhead+17)/3)
	dst := make([]byte, b64.EncodedLen(len(raw)))
	for _, bc := range []struct {
		name string
		f    func(dst, src []byte)
	}{
		{"stdlib", b64.Encode}, // encoding/base64
		{"pairs", encode},
	} {
		b.Run("impl="+bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(raw)))
			for b.Loop() {
				bc.f(dst, raw)
			}
		})
	}
}
