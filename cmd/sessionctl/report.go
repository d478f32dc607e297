package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/vmihailenco/msgpack/v5"

	"github.com/typedsession/typedsession/runtime/codec"
)

// report prints a verified, decoded session. stored is the expiry the store
// keeps for the record, zero when the store does not say.
func report(w io.Writer, env codec.Envelope, secret int, stored time.Time) {
	line := func(label, format string, args ...any) {
		fmt.Fprintf(w, "%-12s %s\n", label+":", fmt.Sprintf(format, args...))
	}
	line("signature", "%s", describeSecret(secret))
	line("format", "%s", describeVersion(env.Version))
	line("created", "%s", describeTime(env.Created))
	line("saved", "%s", describeTime(env.Saved))
	line("expiry", "%s", describeExpiry(env.Meta))
	if !stored.IsZero() {
		line("expires", "%s (as kept by the store)", stored.UTC().Format(time.RFC3339Nano))
	}
	if env.TestCookie {
		line("test cookie", "set")
	}
	fields := slices.Clone(env.Raw)
	slices.SortFunc(fields, func(a, b codec.RawField) int { return strings.Compare(a.Key, b.Key) })
	line("fields", "%d", len(fields))
	for _, f := range fields {
		fmt.Fprintf(w, "  %s = %s\n", f.Key, decodeValue(f.Value))
	}
}

func describeSecret(i int) string {
	if i == 0 {
		return "valid (TYPEDSESSION_SECRET)"
	}
	return fmt.Sprintf("valid (fallback secret %d of TYPEDSESSION_FALLBACK_SECRETS; the application re-signs it on the next save)", i)
}

func describeVersion(v int) string {
	if v < codec.MinVersion {
		return fmt.Sprintf("version %d (older than the current %d; re-written on the next save)", v, codec.MinVersion)
	}
	return fmt.Sprintf("version %d (current)", v)
}

func describeTime(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.UTC().Format(time.RFC3339)
}

func describeExpiry(m codec.Meta) string {
	switch m.Expiry {
	case codec.ExpiryIdle:
		if m.IdleSeconds == 0 {
			return "at browser close"
		}
		return fmt.Sprintf("after %v without a save", time.Duration(m.IdleSeconds)*time.Second)
	case codec.ExpiryAt:
		return "at " + m.ExpiresAt.UTC().Format(time.RFC3339Nano)
	}
	return "default (the application's configured session age)"
}

// decodeValue decodes one msgpack value without knowing its Go type and
// formats it.
func decodeValue(b []byte) string {
	var v any
	if err := msgpack.Unmarshal(b, &v); err != nil {
		return fmt.Sprintf("<cannot decode: %v> %x", err, b)
	}
	return formatValue(v)
}

// formatValue formats a generically decoded msgpack value: strings quoted,
// binary as hex, maps with sorted keys, so the output is stable.
func formatValue(v any) string {
	switch v := v.(type) {
	case nil:
		return "nil"
	case string:
		return fmt.Sprintf("%q", v)
	case []byte:
		return fmt.Sprintf("bytes(%d) %x", len(v), v)
	case time.Time:
		return v.UTC().Format(time.RFC3339Nano)
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = formatValue(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		parts := make([]string, 0, len(v))
		for k, e := range v {
			parts = append(parts, fmt.Sprintf("%q: %s", k, formatValue(e)))
		}
		slices.Sort(parts)
		return "{" + strings.Join(parts, ", ") + "}"
	case map[any]any:
		parts := make([]string, 0, len(v))
		for k, e := range v {
			parts = append(parts, formatValue(k)+": "+formatValue(e))
		}
		slices.Sort(parts)
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return fmt.Sprintf("%v", v)
}
