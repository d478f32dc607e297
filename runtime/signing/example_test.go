package signing_test

import (
	"errors"
	"fmt"
	"log"

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
	s := keys.Signer("example/record")
	signed := s.Sign(nil, []byte("user=42"))

	payload, _, err := s.Verify(signed)
	fmt.Println(string(payload), err)

	signed[0] ^= 1 // tampered with
	_, _, err = s.Verify(signed)
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
