package main

// user is an account that can sign in.
type user struct {
	ID    int64
	Login string
	Name  string
	Hash  string // see password.go
}

// demoUsers are the accounts the example ships with; the sign-in page lists
// their passwords. The hashes were made once (with passwordIterations), so
// starting the shop does not spend a second hashing them. A real
// application keeps users in its database.
func demoUsers() map[string]user {
	return map[string]user{
		"alice": {ID: 1, Login: "alice", Name: "Alice", // password: wonderland
			Hash: "pbkdf2_sha256$600000$BKCg1D_RGlWiXB-KzU9G9g$rofkrL9iv/7dnTwB4UCBb+/ncUg2IfUw18EsQW2Wbjo="},
		"bob": {ID: 2, Login: "bob", Name: "Bob", // password: builder
			Hash: "pbkdf2_sha256$600000$OSxjA5lC-zv5MhD-q3mMXA$9787Nm45EVEap6zffGk0GDHxPKInBDwi2zR3JpivNyk="},
	}
}

// dummyHash is compared against when the login is unknown, so an unknown
// login takes as long to refuse as a wrong password, and response times do
// not tell which logins exist. Its password was random and thrown away.
const dummyHash = "pbkdf2_sha256$600000$2MTV6OA9oBLF7zRzHB7N2Q$7/F2KzoP3YIjtJg7VANsjqP30AbmFnOfK8EdRp/Pi/Q="

// authenticate returns the user whose login and password these are.
func authenticate(users map[string]user, login, password string) (user, bool) {
	u, known := users[login]
	hash := u.Hash
	if !known {
		hash = dummyHash
	}
	ok := checkPassword(hash, password)
	if !known || !ok {
		return user{}, false
	}
	return u, true
}
