package main

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/typedsession/typedsession/runtime/session"
)

// sessions mounts m as echo middleware: e.Use(sessions(m)).
//
// It is echo.WrapMiddleware(m.Handler) plus one thing: a handler's error
// is turned into its response (c.Error) inside the session middleware, not
// after it. The middleware commits the session when the response header
// goes out; echo writes an error response only after the whole chain has
// returned, by which time the middleware would have committed with a 200,
// saving the session of a request that then fails with a 500.
func sessions(m *session.Manager) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			var err error
			m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				c.SetRequest(r)         // carries the session
				c.Response().Writer = w // commits it before the header goes out
				if err = next(c); err != nil {
					c.Error(err)
				}
			})).ServeHTTP(c.Response().Writer, c.Request())
			return err // for outer middleware (loggers); the response is already written
		}
	}
}
