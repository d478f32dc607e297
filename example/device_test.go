package main

import (
	"strings"
	"testing"

	"github.com/typedsession/typedsession/runtime/session"
)

func TestDeviceName(t *testing.T) {
	tests := []struct{ ua, want string }{
		{"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36", "Chrome on Linux"},
		{"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36", "Chrome on Linux"},
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0", "Edge on Windows"},
		{"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15", "Safari on macOS"},
		{"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1", "Safari on iOS"},
		{"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36", "Chrome on Android"},
		{"Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0", "Firefox on Linux"},
		{"Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 OPR/105.0", "Opera on ChromeOS"},
		{"curl/8.5.0", "curl on an unknown system"},
		{"", "An unknown browser on an unknown system"},
		{"<script>" + strings.Repeat("x", 10000), "An unknown browser on an unknown system"},
	}
	for _, tt := range tests {
		if got := deviceName(tt.ua); got != tt.want {
			t.Errorf("deviceName(%.60q) = %q, want %q", tt.ua, got, tt.want)
		}
		if len(deviceName(tt.ua)) > session.MaxLabelValueLen {
			t.Errorf("deviceName(%.60q) is longer than a label may be", tt.ua)
		}
	}
}

func TestNetwork(t *testing.T) {
	tests := []struct{ remoteAddr, want string }{
		{"192.0.2.77:51234", "192.0.2.0/24"},
		{"[2001:db8:1234:5678::1]:443", "2001:db8:1234::/48"},
		{"[::ffff:198.51.100.9]:80", "198.51.100.0/24"},
		{"[fe80::1%eth0]:80", "fe80::/48"},
		{"pipe", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := network(tt.remoteAddr); got != tt.want {
			t.Errorf("network(%q) = %q, want %q", tt.remoteAddr, got, tt.want)
		}
	}
}
