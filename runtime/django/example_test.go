package django_test

import (
	"database/sql"
	"fmt"
	"log"
	"net/http"
	"os"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/typedsession/typedsession/runtime/django"
	"github.com/typedsession/typedsession/runtime/session"
)

// A Go service beside a Django application, on Django's database: a
// request signed in on the Django side is signed in here. README.md's
// "Sharing sessions with Django" shows this program.
func Example() {
	db, err := sql.Open("pgx", os.Getenv("DATABASE_URL")) // Django's database
	if err != nil {
		log.Fatal(err)
	}
	st, err := django.NewDBStore(db, django.DBConfig{Dialect: django.Postgres})
	if err != nil {
		log.Fatal(err)
	}
	secret := os.Getenv("DJANGO_SECRET_KEY") // Django's SECRET_KEY
	mgr, err := session.NewManager(session.Config{
		Store:  st,
		Secret: secret,
		Cookie: session.Cookie{Name: "sessionid", Secure: true}, // SESSION_COOKIE_NAME, _SECURE
	})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/me", func(w http.ResponseWriter, r *http.Request) {
		s, err := session.FromContext(r.Context())
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		u, ok, err := django.SignedIn(r.Context(), s)
		if err != nil {
			http.Error(w, "session store unavailable", http.StatusServiceUnavailable)
			return
		}
		// As Django's get_user: the user must exist and be active, and the
		// session's hash must match the current password field.
		var password string
		if ok {
			err = db.QueryRowContext(r.Context(),
				"SELECT password FROM auth_user WHERE id = $1 AND is_active", u.ID).Scan(&password)
		}
		if !ok || err != nil || !u.Verify(password, secret) {
			http.Error(w, "sign in first", http.StatusUnauthorized)
			return
		}
		fmt.Fprintf(w, "signed in as user %s\n", u.ID)
	})
	log.Fatal(http.ListenAndServe(":8080", mgr.Handler(mux)))
}
