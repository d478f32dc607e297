package session

import "errors"

// ErrNoSession is returned by FromContext when the context carries no
// session: the handler is not wrapped by Manager.Handler.
var ErrNoSession = errors.New("session: no session in context: wrap the handler with Manager.Handler")

// ErrBoundType is returned (wrapped) when a session already bound to one
// generated type is asked for another in the same request.
var ErrBoundType = errors.New("session: already bound to another session type")

// ErrModifiedAfterCommit is reported when a session changes after the
// response header, and with it the session cookie, was written: the change
// cannot be saved. Call the setters before writing the response.
var ErrModifiedAfterCommit = errors.New("session: modified after the response header was written; the change was not saved")

// ErrInterrupted is the commit error when the session was deleted while the
// request ran, typically by a logout in another tab. Saving would have
// resurrected it; the middleware answers 400 instead.
var ErrInterrupted = errors.New("session: the session was deleted before the request completed, e.g. by a logout in another tab")

// ErrConflict is the commit error when a concurrent request's save cannot
// be merged with this request's (see Session.Save): this request read a
// field and then set it while the other request changed it, or concurrent
// requests kept saving the session through a bounded number of merges.
// This request's changes are not saved, none of them. The middleware
// answers 409; the client may simply retry. Config.LastWriterWins turns
// the first kind into an overwrite.
var ErrConflict = errors.New("session: a concurrent request changed the session; this request's change was not saved")

// ErrCookieTooLarge is returned (wrapped, with the sizes) when the
// Set-Cookie header for a session would exceed what browsers accept.
var ErrCookieTooLarge = errors.New("session: cookie too large")
