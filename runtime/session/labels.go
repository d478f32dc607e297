package session

import (
	"fmt"
	"maps"
	"unicode/utf8"
)

// Limits on Session.SetLabels: labels travel in every save of the session,
// so they are kept small.
const (
	MaxLabels        = 8
	MaxLabelKeyLen   = 32
	MaxLabelValueLen = 256
)

// SetLabels replaces the session's labels: short notes the application
// records about the session, typically at sign-in, that Manager.Sessions
// reports with it, such as the device ("Firefox on Linux") or the network
// ("192.0.2.0/24"). nil or an empty map removes them. Keys are 1 to
// MaxLabelKeyLen characters of a-z, 0-9, '_', '-' and '.'; values at most
// MaxLabelValueLen bytes of UTF-8 without control characters; at most
// MaxLabels labels. SetLabels refuses anything else with an error and
// changes nothing. It marks the session modified.
//
// Labels are stored with the session (in its signed payload), so they
// cost nothing extra to read and vanish with it. Do not put secrets in
// them: whoever lists the owner's sessions sees them.
func (s *Session) SetLabels(labels map[string]string) error {
	if err := checkLabels(labels); err != nil {
		return fmt.Errorf("session: set labels: %w", err)
	}
	s.ensureLoadedForWrite()
	s.noteEdit(editLabels)
	s.meta.Labels = nil
	if len(labels) > 0 {
		s.meta.Labels = maps.Clone(labels)
	}
	s.markModified()
	return nil
}

// Labels returns a copy of the labels set with SetLabels, nil for none. It
// reads the labels the session was loaded with: call it on a loaded
// session.
func (s *Session) Labels() map[string]string {
	s.accessed = true
	return maps.Clone(s.meta.Labels)
}

func checkLabels(labels map[string]string) error {
	if len(labels) > MaxLabels {
		return fmt.Errorf("%d labels; at most %d", len(labels), MaxLabels)
	}
	for k, v := range labels {
		if k == "" || len(k) > MaxLabelKeyLen {
			return fmt.Errorf("label key %q: want 1 to %d characters", k, MaxLabelKeyLen)
		}
		for i := 0; i < len(k); i++ {
			c := k[i]
			if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' && c != '-' && c != '.' {
				return fmt.Errorf("label key %q: use only a-z, 0-9, '_', '-' and '.'", k)
			}
		}
		if len(v) > MaxLabelValueLen || !utf8.ValidString(v) {
			return fmt.Errorf("label %q: value must be at most %d bytes of UTF-8", k, MaxLabelValueLen)
		}
		for _, r := range v {
			if r < 0x20 || r == 0x7f {
				return fmt.Errorf("label %q: value contains a control character", k)
			}
		}
	}
	return nil
}
