package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/typedsession/typedsession/runtime/codec"
	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/signing"
	"github.com/typedsession/typedsession/runtime/store"
	"github.com/typedsession/typedsession/runtime/store/storeurl"
)

const inspectHelp = `
inspect -store <url> -key <key>
       sessionctl inspect -store <url> -store-key <key>
       sessionctl inspect [-store cookie] -cookie <value>

Shows a session's metadata (created, last saved, expiry, format version,
which secret signed it) and its fields, each decoded from msgpack without
knowing the application's types. The signature is verified first, with the
secret in TYPEDSESSION_SECRET and the comma-separated fallbacks in
TYPEDSESSION_FALLBACK_SECRETS; a session that does not verify is reported
and nothing of it is shown.

-key is the session key: the value of the session cookie, for a
server-side store. The store keeps the session under a hash of it (see
-store-key), which sessionctl computes; a session stored in clear by a
version before hashed keys is found too, and reported as such.
-store-key is the key as the store holds it (the hash, as a Redis key
listing or a file name shows it). -cookie is the cookie value; with no
-store it is a cookie of the cookie store, opened with the same secrets.

Examples:
  export TYPEDSESSION_SECRET="$(cat /run/secrets/session_secret)"
  sessionctl inspect -store sqlite:///var/lib/myapp/sessions.db -key 3kq7x2...
  sessionctl inspect -store redis://localhost:6379/0 -key 3kq7x2...
  sessionctl inspect -store redis://localhost:6379/0 -store-key xj4bnp4pahh6...
  sessionctl inspect -cookie 'AbC...sealed-cookie-value...'
  TYPEDSESSION_FALLBACK_SECRETS="$OLD_SECRET" sessionctl inspect -store file:///var/lib/myapp/sessions -key 3kq7x2...
`

// inspectFlags are inspect's flags.
type inspectFlags struct {
	store, key, storeKey, cookie string
}

func runInspect(ctx context.Context, args []string, stdout, stderr io.Writer, getenv env) int {
	fs := newFlags("inspect", inspectHelp, stdout, stderr)
	var f inspectFlags
	fs.StringVar(&f.store, "store", getenv("TYPEDSESSION_STORE"), "store `URL` (default $TYPEDSESSION_STORE; cookie with -cookie)")
	fs.StringVar(&f.key, "key", "", "the session `key` to inspect, as the session cookie carries it")
	fs.StringVar(&f.storeKey, "store-key", "", "the `key` the store holds the session under (the hash of the cookie's key)")
	fs.StringVar(&f.cookie, "cookie", "", "the session cookie's `value` to inspect")
	if done, code := fs.parse(args); done {
		return code
	}
	key, code := f.check(fs)
	if code != exitOK {
		return code
	}
	secrets, keys, code := readSecrets(fs, getenv)
	if code != exitOK {
		return code
	}
	st, closer, err := storeurl.Open(ctx, f.store, storeurl.Options{Secret: secrets[0], FallbackSecrets: secrets[1:]})
	if err != nil {
		fmt.Fprintf(stderr, "sessionctl: %v\n", err)
		return exitFailed
	}
	defer closer.Close()
	_, clientSide := st.(store.ClientSide)
	switch {
	case clientSide && f.storeKey != "":
		return fs.usageError("the cookie store keeps no sessions by key: give the cookie's value with -cookie")
	case !clientSide && !store.ValidKey(key):
		return fs.usageError("%q is not a session key: keys are %d to %d characters of a-z and 0-9", key, store.MinKeyLen, store.MaxKeyLen)
	}
	return inspect(ctx, st, f.lookups(clientSide), keys, stdout, stderr)
}

// lookup is one store key a session may be kept under, with what to say
// when it is found there.
type lookup struct{ key, note string }

// lookups returns where to look for the session, in order: for a cookie's
// key its hash (session.StoreKey), then, for a session stored before keys
// were hashed, the key in clear, as the application looks.
func (f *inspectFlags) lookups(clientSide bool) []lookup {
	if clientSide || f.key == "" {
		return []lookup{{key: f.storeKey + f.cookie}}
	}
	ls := []lookup{{key: session.StoreKey(f.key), note: session.StoreKey(f.key)}}
	if session.IsCookieKey(f.key) {
		ls = append(ls, lookup{key: f.key, note: "the cookie's key, in clear (stored by a version before hashed keys; the application moves it to the hashed key when it next loads it)"})
	}
	return ls
}

// check validates the flag combination and returns the key to load.
func (f *inspectFlags) check(fs *flagSet) (string, int) {
	given := 0
	for _, v := range []string{f.key, f.storeKey, f.cookie} {
		if v != "" {
			given++
		}
	}
	switch {
	case given > 1:
		return "", fs.usageError("give one of -key, -store-key and -cookie, not several")
	case given == 0:
		return "", fs.usageError("-key, -store-key or -cookie is required")
	case f.cookie != "" && f.store == "":
		f.store = "cookie"
	case f.store == "":
		return "", fs.usageError("-store is required with -key and -store-key")
	}
	return f.key + f.storeKey + f.cookie, exitOK
}

// readSecrets returns the current secret and the fallbacks from the
// environment, and the keyring they make, checked as the application checks
// them.
func readSecrets(fs *flagSet, getenv env) ([]string, *signing.Keyring, int) {
	current := getenv("TYPEDSESSION_SECRET")
	if current == "" {
		return nil, nil, fs.usageError("set TYPEDSESSION_SECRET to the application's session secret (and TYPEDSESSION_FALLBACK_SECRETS, comma-separated, to its fallbacks)")
	}
	secrets := []string{current}
	for _, s := range strings.Split(getenv("TYPEDSESSION_FALLBACK_SECRETS"), ",") {
		if s = strings.TrimSpace(s); s != "" {
			secrets = append(secrets, s)
		}
	}
	raw := make([][]byte, len(secrets))
	for i, s := range secrets {
		raw[i] = []byte(s)
	}
	keys, err := signing.NewKeyring(raw...)
	if err != nil {
		// The error names the secret by index, never by value.
		return nil, nil, fs.usageError("TYPEDSESSION_SECRET / TYPEDSESSION_FALLBACK_SECRETS: %v", err)
	}
	return secrets, keys, exitOK
}

func inspect(ctx context.Context, st store.Store, lookups []lookup, keys *signing.Keyring, stdout, stderr io.Writer) int {
	var data []byte
	var stored time.Time
	var found bool
	var err error
	var where string
	var how store.Sealing
	unsealer, sealed := st.(store.Unsealer)
	for _, l := range lookups {
		ws, withExp := st.(store.ExpiryLoader)
		switch {
		case sealed:
			data, found, how, err = unsealer.Unseal(ctx, l.key)
		case withExp:
			data, stored, found, err = ws.LoadWithExpiry(ctx, l.key)
		default:
			data, found, err = st.Load(ctx, l.key)
		}
		if found || err != nil {
			where = l.note
			break
		}
	}
	_, clientSide := st.(store.ClientSide)
	switch {
	case clientSide && errors.Is(err, store.ErrCorrupt):
		fmt.Fprintf(stderr, "sessionctl: the cookie does not open with TYPEDSESSION_SECRET or any fallback: it was altered, or sealed with another secret (%v)\n", err)
		return exitFailed
	case err != nil:
		fmt.Fprintf(stderr, "sessionctl: %v\n", err)
		return exitFailed
	}
	if !found {
		if clientSide {
			fmt.Fprintln(stderr, "sessionctl: the cookie opens but the session in it has expired")
		} else {
			fmt.Fprintln(stderr, "sessionctl: no live session under that key (never existed, deleted, or expired; -key takes the cookie's value, -store-key the key as the store lists it)")
		}
		return exitFailed
	}
	if where != "" {
		fmt.Fprintf(stdout, "%-12s %s\n", "store key:", where)
	}
	// A sealing store authenticates the data itself; only cookies of
	// earlier releases carry a signature inside the seal.
	payload, secret := data, how.Secret
	if !sealed || how.Signed {
		payload, secret, err = session.VerifyRecord(keys.Signer(session.SignerSalt), data)
		if err != nil {
			fmt.Fprintf(stderr, "sessionctl: signature: DOES NOT VERIFY with TYPEDSESSION_SECRET or any of %d fallback secrets: the data was altered, or signed with another secret (%v)\n", keys.Len()-1, err)
			return exitFailed
		}
	}
	// A detached value that does not match its signed digest is dropped,
	// and said so.
	env, err := codec.Decode(payload, nil, func(key string, err error) {
		fmt.Fprintf(stderr, "sessionctl: field %q dropped: %v\n", key, err)
	})
	if err != nil {
		fmt.Fprintf(stdout, "signature:   %s\n", describeSecret(secret))
		fmt.Fprintf(stderr, "sessionctl: the signature verifies but the payload cannot be decoded: %v\n", err)
		return exitFailed
	}
	report(stdout, env, secret, stored)
	return exitOK
}
