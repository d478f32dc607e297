package main

// Visitor is what the app keeps about one browser between requests.
//
//go:generate go tool sessiongen -type Visitor
type Visitor struct {
	// UserID is the signed-in user's id; absent when nobody is signed in.
	UserID int64 `session:"uid"`
	// Name is the signed-in user's name.
	Name string `session:"name"`
	// Visits counts the requests this browser made to /visits and /hello.
	Visits int64 `session:"visits"`
}
