package main

import (
	"net/http"
	"net/netip"
	"strings"
)

// Labels recorded with each signed-in session (session.Session.SetLabels),
// shown on the "Your sessions" page.
const (
	labelDevice  = "device"
	labelNetwork = "net"
)

// signInLabels describes the browser and network of a sign-in request.
// Neither is proof of anything (a client says what it likes in its
// User-Agent); they help a person recognise their own devices.
func signInLabels(r *http.Request) map[string]string {
	labels := map[string]string{labelDevice: deviceName(r.UserAgent())}
	if n := network(r.RemoteAddr); n != "" {
		labels[labelNetwork] = n
	}
	return labels
}

// deviceName names the browser and system a User-Agent header announces,
// such as "Firefox on Linux". The result is always one of a few fixed
// words, never a piece of the header, so it is short whatever a client
// sends and shows nothing the client chose.
func deviceName(ua string) string {
	return browserName(ua) + " on " + systemName(ua)
}

// browserName checks the tokens from the most specific: Edge and Opera
// announce Chrome too, and Chrome announces Safari.
func browserName(ua string) string {
	switch {
	case strings.Contains(ua, "Edg/"):
		return "Edge"
	case strings.Contains(ua, "OPR/"):
		return "Opera"
	case strings.Contains(ua, "Firefox/"):
		return "Firefox"
	case strings.Contains(ua, "Chrome/"), strings.Contains(ua, "Chromium/"):
		return "Chrome"
	case strings.Contains(ua, "Safari/"):
		return "Safari"
	case strings.HasPrefix(ua, "curl/"):
		return "curl"
	}
	return "An unknown browser"
}

// systemName checks Android before Linux and iOS before macOS, whose
// tokens they also carry.
func systemName(ua string) string {
	switch {
	case strings.Contains(ua, "Android"):
		return "Android"
	case strings.Contains(ua, "iPhone"), strings.Contains(ua, "iPad"):
		return "iOS"
	case strings.Contains(ua, "Windows"):
		return "Windows"
	case strings.Contains(ua, "CrOS"):
		return "ChromeOS"
	case strings.Contains(ua, "Macintosh"), strings.Contains(ua, "Mac OS X"):
		return "macOS"
	case strings.Contains(ua, "Linux"):
		return "Linux"
	}
	return "an unknown system"
}

// network returns the network of the client address remoteAddr
// (http.Request.RemoteAddr): its /24 for IPv4, its /48 for IPv6, so that
// the page shows roughly where a sign-in came from without keeping the
// address itself. "" when remoteAddr is not an IP address and port.
//
// Behind a reverse proxy RemoteAddr is the proxy's; a deployment there
// takes the client address from the header its proxy sets, and only
// from a proxy it trusts.
func network(remoteAddr string) string {
	ap, err := netip.ParseAddrPort(remoteAddr)
	if err != nil {
		return ""
	}
	ip := ap.Addr().Unmap()
	bits := 48
	if ip.Is4() {
		bits = 24
	}
	p, err := ip.WithZone("").Prefix(bits)
	if err != nil {
		return ""
	}
	return p.String()
}
