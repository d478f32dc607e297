package signing_test

import (
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/typedsession/typedsession/runtime/signing"
)

func ExampleNewKeyring() {
	_, err := signing.NewKeyring([]byte("too short"))
	fmt.Println(errors.Is(err, signing.ErrShortSecret))
	// Output: true
}

func ExampleKeyring_Signer() {
	// In production the secret comes from the environment or a secret
	// manager, never from source code.
	keys, err := signing.NewKeyring([]byte("example-secret-do-not-use-0123456789abcdef"))
	if err != nil {
		log.Fatal(err)
	}
	s := keys.Signer("example/unsubscribe-link")
	token := s.SignString([]byte("user=42"))

	payload, _, err := s.VerifyString(token)
	fmt.Println(string(payload), err)

	_, _, err = s.VerifyString(token[:len(token)-1] + "A")
	fmt.Println(errors.Is(err, signing.ErrInvalid))
	// Output:
	// user=42 <nil>
	// true
}

// Rotating a secret: the new one signs, the old one still verifies, and the
// index tells the caller to re-sign.
func ExampleKeyring_Signer_rotation() {
	oldSecret := []byte("example-old-secret-do-not-use-0123456789ab")
	newSecret := []byte("example-new-secret-do-not-use-0123456789ab")

	before, _ := signing.NewKeyring(oldSecret)
	signed := before.Signer("example").Sign(nil, []byte("data"))

	after, _ := signing.NewKeyring(newSecret, oldSecret)
	s := after.Signer("example")
	payload, secret, err := s.Verify(signed)
	if err == nil && secret > 0 {
		signed = s.Sign(nil, payload) // now made with the new secret
	}
	_, secret, _ = s.Verify(signed)
	fmt.Println(secret)
	// Output: 0
}

func ExampleSigner_VerifyTimestamped() {
	keys, _ := signing.NewKeyring([]byte("example-secret-do-not-use-0123456789abcdef"))
	s := keys.Signer("example/password-reset")
	issued := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	token := s.SignTimestamped(nil, []byte("user=42"), issued)

	payload, at, _, err := s.VerifyTimestamped(token, time.Hour, issued.Add(10*time.Minute))
	fmt.Println(string(payload), at.Format(time.RFC3339), err)

	_, _, _, err = s.VerifyTimestamped(token, time.Hour, issued.Add(2*time.Hour))
	fmt.Println(errors.Is(err, signing.ErrExpired))
	// Output:
	// user=42 2025-01-01T12:00:00Z <nil>
	// true
}

func ExampleKeyring_Sealer() {
	keys, _ := signing.NewKeyring([]byte("example-secret-do-not-use-0123456789abcdef"))
	s, err := keys.Sealer("example/cookie")
	if err != nil {
		log.Fatal(err)
	}
	cookie := s.SealString([]byte(`{"cart":[3,4]}`))

	plaintext, _, err := s.OpenString(cookie)
	fmt.Println(string(plaintext), err)
	// Output: {"cart":[3,4]} <nil>
}
