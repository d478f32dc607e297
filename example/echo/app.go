package main

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/typedsession/typedsession/runtime/session"
)

// newServer returns the app's routes with their middleware. The order of
// e.Use is outermost first:
//
//   - Recover outside the sessions, so that even a panic in the session
//     middleware becomes a 500; a handler's panic becomes a 500 that saves
//     nothing (Recover writes it through the session's writer).
//   - Gzip outside the sessions: the error response that replaces a
//     handler's when the store fails is compressed like any other. Inside
//     works as well (TestGzipKeepsTheSession tries both).
func newServer(m *session.Manager) *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.Use(middleware.Recover())
	e.Use(middleware.Gzip())
	e.Use(sessions(m))
	e.GET("/visits", visits)
	e.GET("/hello", hello)
	e.GET("/me", me)
	e.POST("/signin", signin)
	e.POST("/signout", signout)
	return e
}

// visits counts this browser's visits: the change is made before c.JSON
// writes, so the middleware saves it. VisitorFrom is the one call that can
// fail (the store is down); echo turns the error into a 500.
func visits(c echo.Context) error {
	s, err := VisitorFrom(c.Request())
	if err != nil {
		return err
	}
	s.ModifyVisits(func(n *int64) { *n++ })
	return c.JSON(http.StatusOK, map[string]int64{"visits": s.Visits()})
}

func hello(c echo.Context) error {
	s, err := VisitorFrom(c.Request())
	if err != nil {
		return err
	}
	s.ModifyVisits(func(n *int64) { *n++ })
	name := s.Name()
	if name == "" {
		name = "stranger"
	}
	return c.String(http.StatusOK, fmt.Sprintf("hello, %s: visit %d", name, s.Visits()))
}

func me(c echo.Context) error {
	s, err := VisitorFrom(c.Request())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"uid": s.UserID(), "name": s.Name(), "visits": s.Visits()})
}

// signin signs a demo user in: any name, no password. Cycle gives the
// session a new key first, so a key planted before sign-in is worthless.
func signin(c echo.Context) error {
	s, err := VisitorFrom(c.Request())
	if err != nil {
		return err
	}
	name := c.FormValue("name")
	if name == "" {
		return echo.NewHTTPError(http.StatusBadRequest, "name is required")
	}
	if err := s.Cycle(c.Request().Context()); err != nil {
		return err
	}
	s.SetUserID(int64(len(name))) // a demo id
	s.SetName(name)
	return c.Redirect(http.StatusSeeOther, "/me")
}

// signout deletes the session from the store; the middleware deletes the
// cookie.
func signout(c echo.Context) error {
	s, err := VisitorFrom(c.Request())
	if err != nil {
		return err
	}
	if err := s.Flush(c.Request().Context()); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/")
}
