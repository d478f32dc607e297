package main

import "golang.org/x/crypto/bcrypt"

// user is an account that can sign in.
type user struct {
	ID    int64
	Login string
	Name  string
	Hash  []byte // bcrypt
}

// demoUsers are the accounts the example ships with; the sign-in page lists
// their passwords. The hashes were made with bcrypt.DefaultCost once, so
// starting the shop does not spend a second hashing them. A real
// application keeps users in its database.
func demoUsers() map[string]user {
	return map[string]user{
		"alice": {ID: 1, Login: "alice", Name: "Alice", // password: wonderland
			Hash: []byte("$2a$10$nDeqgPdv22F9SqfEmC0bz.Bv44yvyGzwsAZz2uqzci9vVmLNFC0Xi")},
		"bob": {ID: 2, Login: "bob", Name: "Bob", // password: builder
			Hash: []byte("$2a$10$Z5tVJ8XlvVaOMSN4bM4Cs.dVCSNIpE458MYRdq9uZe3gBwkigkK6m")},
	}
}

// dummyHash is compared against when the login is unknown, so an unknown
// login takes as long to refuse as a wrong password, and response times do
// not tell which logins exist.
var dummyHash = []byte("$2a$10$PXPbXIAjSA5r5jzVeCfcXumergouTBlQpAZ7PSiuOy6Z4K.AI3A36")

// authenticate returns the user whose login and password these are.
func authenticate(users map[string]user, login, password string) (user, bool) {
	u, known := users[login]
	hash := u.Hash
	if !known {
		hash = dummyHash
	}
	ok := bcrypt.CompareHashAndPassword(hash, []byte(password)) == nil
	if !known || !ok {
		return user{}, false
	}
	return u, true
}
