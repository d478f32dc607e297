package main

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/typedsession/typedsession/runtime/session"
)

// newServer returns the app: the gin router inside typedsession's
// middleware. The middleware goes around the whole engine, so every gin
// middleware and handler runs inside it and writes through the writer that
// saves the session before the header goes out, whatever gin helper writes
// it (c.JSON, c.String, c.Redirect, gin.Recovery's 500).
func newServer(m *session.Manager, r *gin.Engine) http.Handler {
	return m.Handler(r)
}

// newRouter returns the app's routes, behind gin's recovery.
func newRouter() *gin.Engine {
	r := gin.New()
	r.Use(gin.Recovery()) // inside the session middleware: a panic's 500 saves nothing
	r.GET("/visits", visits)
	r.GET("/hello", hello)
	r.GET("/me", me)
	r.POST("/signin", signin)
	r.POST("/signout", signout)
	return r
}

// visitor returns the request's typed session. It is the one call that can
// fail (the store is down); the error response is then written and false
// returned.
func visitor(c *gin.Context) (*VisitorSession, bool) {
	s, err := VisitorFrom(c.Request)
	if err != nil {
		c.AbortWithStatusJSON(http.StatusInternalServerError, gin.H{"error": "session unavailable"})
		return nil, false
	}
	return s, true
}

// visits counts this browser's visits: the change is made before c.JSON
// writes, so the middleware saves it.
func visits(c *gin.Context) {
	s, ok := visitor(c)
	if !ok {
		return
	}
	s.ModifyVisits(func(n *int64) { *n++ })
	c.JSON(http.StatusOK, gin.H{"visits": s.Visits()})
}

func hello(c *gin.Context) {
	s, ok := visitor(c)
	if !ok {
		return
	}
	s.ModifyVisits(func(n *int64) { *n++ })
	name := s.Name()
	if name == "" {
		name = "stranger"
	}
	c.String(http.StatusOK, "hello, %s: visit %d", name, s.Visits())
}

func me(c *gin.Context) {
	s, ok := visitor(c)
	if !ok {
		return
	}
	c.JSON(http.StatusOK, gin.H{"uid": s.UserID(), "name": s.Name(), "visits": s.Visits()})
}

// signin signs a demo user in: any name, no password. Cycle gives the
// session a new key first, so a key planted before sign-in is worthless.
func signin(c *gin.Context) {
	s, ok := visitor(c)
	if !ok {
		return
	}
	name := c.PostForm("name")
	if name == "" {
		c.String(http.StatusBadRequest, "name is required")
		return
	}
	if err := s.Cycle(c.Request.Context()); err != nil {
		c.AbortWithStatusJSON(http.StatusInternalServerError, gin.H{"error": "sign-in failed"})
		return
	}
	s.SetUserID(int64(len(name))) // a demo id
	s.SetName(name)
	c.Redirect(http.StatusSeeOther, "/me")
}

// signout deletes the session from the store; the middleware deletes the
// cookie.
func signout(c *gin.Context) {
	s, ok := visitor(c)
	if !ok {
		return
	}
	if err := s.Flush(c.Request.Context()); err != nil {
		c.AbortWithStatusJSON(http.StatusInternalServerError, gin.H{"error": "sign-out failed"})
		return
	}
	c.Redirect(http.StatusSeeOther, "/")
}
