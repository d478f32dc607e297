// Package session is typedsession's runtime: HTTP sessions with the
// semantics of Django's django.contrib.sessions, whose data is a Go struct
// of yours rather than a map.
//
// # Manager
//
// A Manager is made once, at start-up, by NewManager from a Config: a
// store (package store and its subpackages) and a secret, every other
// setting having a safe default. It signs what it stores, applies the
// expiry rules, and serves sessions to handlers through its middleware,
// Manager.Handler. It is safe for concurrent use.
//
// # Session
//
// A Session is one request's view of one stored session, found by the key
// in the session cookie. It is lazy: nothing is read from the store until
// the data is needed, so a request that does not touch its session costs
// no store call. It holds the whole-session operations: Key, Cycle (call
// it at login), Flush (at logout), Clear, SetExpiry and the expiry getters,
// and Django's test cookie. Like an http.ResponseWriter, it belongs to one
// request and is not safe for concurrent use.
//
// # Generated views
//
// The data lives in a struct of your own, for which the sessiongen
// command generates a typed view: for a struct Cart, a CartSession type
// with accessors per field (Items, SetItems, HasItems, DeleteItems,
// PopItems, SetDefaultItems, ModifyItems), the whole-session operations of
// the View it embeds, and a function CartFrom that returns the view of a
// request's session:
//
//	func addItem(w http.ResponseWriter, r *http.Request) {
//		cart, err := CartFrom(r) // loads the session: the one call that can fail
//		if err != nil {
//			http.Error(w, "session unavailable", http.StatusServiceUnavailable)
//			return
//		}
//		cart.ModifyItems(func(items *[]string) { *items = append(*items, r.FormValue("item")) })
//		fmt.Fprintln(w, len(cart.Items()), "items")
//	}
//
// Getters mark the session accessed and setters mark it modified; neither
// does I/O nor returns an error. A field is decoded when first used, and
// one the request does not change is saved as it was loaded. The view
// records what the request did with each field (read, set, deleted,
// changed through ModifyX), so that a save meeting a concurrent one can
// merge by field and replay ModifyX. The view's plumbing (Bind, Add,
// Field, Codec and the CloneX helpers) is for generated code only; a
// handler has no use for it. FromContext returns the
// untyped Session of a request, which is enough for the whole-session
// operations (call Session.Load before reading its expiry or test cookie:
// the generated XxxFrom functions load, FromContext does not); a view's
// Session method returns it too.
//
// # When a session is committed
//
// The middleware commits the session before the response header is
// written: on the handler's first WriteHeader, Write, Flush or Hijack, or
// when the handler returns without writing. Committing saves the session
// if it was modified (or must be re-written, see Config) and sets or
// deletes the cookie. Make every change before writing the response: a
// change made after the commit cannot reach the client, so it is not
// saved, and Session.Err reports ErrModifiedAfterCommit. When the store
// fails at commit, Config.ErrorHandler's response (by default a 500)
// replaces the handler's. Outside HTTP, Manager.Open, the generated XxxOf
// and Session.Save do by hand what the middleware does.
//
// # Keys at rest
//
// A session key is 160 bits from crypto/rand, drawn when a new session is
// first saved; a key a client presents that the store does not know is
// never adopted. A server-side store does not see the key: the Manager
// keeps each session under StoreKey(key), a SHA-256 hash, so whoever reads
// the store learns no key a browser could present. Client-side stores
// (store.ClientSide) hold the session in the cookie itself, sealed.
package session
