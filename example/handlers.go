package main

import (
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
)

// maxFormBytes bounds a form post; the shop's forms are a few dozen bytes.
const maxFormBytes = 4 << 10

// home shows the products, each with a form to add it to the cart.
func (sh *shop) home(w http.ResponseWriter, r *http.Request) {
	s, ok := sh.session(w, r)
	if !ok {
		return
	}
	sh.render(w, r, s, http.StatusOK, "home.html", pageData{Title: "Shop", Products: catalog})
}

// cartPage shows the cart with a form to remove each line.
func (sh *shop) cartPage(w http.ResponseWriter, r *http.Request) {
	s, ok := sh.session(w, r)
	if !ok {
		return
	}
	sh.render(w, r, s, http.StatusOK, "cart.html", pageData{Title: "Your cart"})
}

// signInPage shows the sign-in form.
func (sh *shop) signInPage(w http.ResponseWriter, r *http.Request) {
	s, ok := sh.session(w, r)
	if !ok {
		return
	}
	sh.render(w, r, s, http.StatusOK, "signin.html", pageData{Title: "Sign in"})
}

// form wraps a handler of a POSTed form: it bounds and parses the body,
// loads the session, and refuses with 403 a form without the session's
// CSRF token, before h sees it.
func (sh *shop) form(h func(http.ResponseWriter, *http.Request, *ShopperSession)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
		if err := r.ParseForm(); err != nil {
			sh.renderError(w, http.StatusBadRequest, "Bad request", "The form could not be read.")
			return
		}
		s, ok := sh.session(w, r)
		if !ok {
			return
		}
		if !csrfValid(s, r.PostForm.Get(csrfField)) {
			sh.security.LogAttrs(r.Context(), slog.LevelWarn, "form refused: CSRF token missing or wrong",
				slog.String("session", loadOutcome(r, s)))
			sh.renderError(w, http.StatusForbidden, "Form expired",
				"This form has expired or was not sent from this shop's pages. Go back, reload the page and try again.")
			return
		}
		h(w, r, s)
	}
}

// signIn checks the login and password. On success it gives the session a
// new key (so a key planted in the browser before sign-in is worthless
// after it) and keeps the cart; signing in as someone else starts afresh.
func (sh *shop) signIn(w http.ResponseWriter, r *http.Request, s *ShopperSession) {
	login := r.PostForm.Get("login")
	u, ok := authenticate(sh.users, login, r.PostForm.Get("password"))
	if !ok {
		sh.security.LogAttrs(r.Context(), slog.LevelWarn, "sign-in failed", slog.String("login", login))
		sh.render(w, r, s, http.StatusUnauthorized, "signin.html",
			pageData{Title: "Sign in", Message: "Unknown login or wrong password.", Login: login})
		return
	}
	ri := infoFrom(r.Context())
	var err error
	if s.HasUserID() && s.UserID() != u.ID {
		ri.event = "flushed"
		err = s.Flush(r.Context()) // another user's cart is not this one's
	} else {
		ri.event = "cycled"
		err = s.Cycle(r.Context())
	}
	if err != nil {
		sh.fail(w, r, err)
		return
	}
	s.SetUserID(u.ID)
	s.SetName(u.Name)
	s.SetSignedInAt(sh.now().UTC())
	s.SetCSRF(newCSRFToken()) // a token seen before sign-in is not good after it
	if err := s.Session().SetLabels(signInLabels(r)); err != nil {
		sh.fail(w, r, err)
		return
	}
	addFlash(s, "Welcome, "+u.Name+"!")
	ri.user = u.Name
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// signOut deletes the session from the store and the cookie from the
// browser; other tabs are signed out on their next request.
func (sh *shop) signOut(w http.ResponseWriter, r *http.Request, s *ShopperSession) {
	infoFrom(r.Context()).event = "flushed"
	if err := s.Flush(r.Context()); err != nil {
		sh.fail(w, r, err)
		return
	}
	// A new, anonymous session carries the message to the next page.
	addFlash(s, "You are signed out.")
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// addToCart adds 1 to maxQtyPerAdd of a product.
func (sh *shop) addToCart(w http.ResponseWriter, r *http.Request, s *ShopperSession) {
	p, ok := findProduct(r.PostForm.Get("sku"))
	qty, err := strconv.Atoi(r.PostForm.Get("qty"))
	if !ok || err != nil || qty < 1 || qty > maxQtyPerAdd {
		sh.renderError(w, http.StatusBadRequest, "Bad request",
			fmt.Sprintf("Choose a product from the list and a quantity from 1 to %d.", maxQtyPerAdd))
		return
	}
	// Several adds at once (a double click, two tabs) all end in the cart:
	// a concurrent save replays this change on the cart it finds.
	s.ModifyCart(func(cart *[]CartLine) { *cart = addLine(*cart, p.SKU, qty) })
	addFlash(s, fmt.Sprintf("Added %d × %s", qty, p.Name))
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// removeFromCart removes a product's line from the cart.
func (sh *shop) removeFromCart(w http.ResponseWriter, r *http.Request, s *ShopperSession) {
	p, ok := findProduct(r.PostForm.Get("sku"))
	if !ok {
		sh.renderError(w, http.StatusBadRequest, "Bad request", "That product is not in the shop.")
		return
	}
	if slices.ContainsFunc(s.Cart(), func(l CartLine) bool { return l.SKU == p.SKU }) {
		s.ModifyCart(func(cart *[]CartLine) { *cart, _ = removeLine(*cart, p.SKU) })
		addFlash(s, "Removed "+p.Name)
	}
	http.Redirect(w, r, "/cart", http.StatusSeeOther)
}

// addFlash queues a message for the next page rendered.
func addFlash(s *ShopperSession, msg string) {
	const maxFlash = 5 // a client that never renders a page cannot grow the session
	s.ModifyFlash(func(f *[]string) {
		if len(*f) >= maxFlash {
			*f = (*f)[len(*f)-maxFlash+1:]
		}
		*f = append(*f, msg)
	})
}
