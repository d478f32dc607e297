package signing

import (
	"errors"
	"strings"
	"testing"
)

// Test secrets: long enough, and distinct.
const (
	current = "signing-test-secret-current-0123456789"
	retired = "signing-test-secret-retired-0123456789"
	other   = "signing-test-secret-unrelated-01234567"
)

// keyring returns a Keyring over secrets, failing the test if it cannot.
func keyring(t testing.TB, secrets ...string) *Keyring {
	t.Helper()
	bs := make([][]byte, len(secrets))
	for i, s := range secrets {
		bs[i] = []byte(s)
	}
	k, err := NewKeyring(bs...)
	if err != nil {
		t.Fatalf("NewKeyring: %v", err)
	}
	return k
}

func TestNewKeyringRefusesShortSecrets(t *testing.T) {
	long := []byte(current)
	tests := []struct {
		name    string
		secrets [][]byte
		want    []string // substrings of the error
	}{
		{"none", nil, []string{"no secret given", "openssl rand"}},
		{"empty", [][]byte{{}}, []string{"secret 0 is 0 bytes", "at least 32", "openssl rand"}},
		{"one short", [][]byte{[]byte(current[:MinSecretLen-1])}, []string{"secret 0 is 31 bytes"}},
		{"short fallback", [][]byte{long, []byte("hunter2")}, []string{"secret 1 is 7 bytes"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := NewKeyring(tt.secrets...)
			if !errors.Is(err, ErrShortSecret) {
				t.Fatalf("NewKeyring = %v, %v; want an error wrapping ErrShortSecret", k, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

func TestNewKeyringRefusesWeakSecrets(t *testing.T) {
	tests := []struct {
		name    string
		secrets [][]byte
		want    []string // substrings of the error
	}{
		{"32 identical bytes", [][]byte{[]byte(strings.Repeat("k", MinSecretLen))},
			[]string{"secret 0 has only 1 distinct bytes", "at least 8", "openssl rand -base64 48"}},
		{"repeated placeholder", [][]byte{[]byte(strings.Repeat("change", 8))}, []string{"secret 0 has only 6 distinct bytes"}},
		{"weak fallback", [][]byte{[]byte(current), make([]byte, 64)}, []string{"secret 1 has only 1 distinct bytes"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := NewKeyring(tt.secrets...)
			if !errors.Is(err, ErrWeakSecret) {
				t.Fatalf("NewKeyring = %v, %v; want an error wrapping ErrWeakSecret", k, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if strings.Contains(err.Error(), string(tt.secrets[len(tt.secrets)-1])) {
				t.Errorf("error %q shows the secret", err)
			}
		})
	}
}

func TestNewKeyringAcceptsLongSecrets(t *testing.T) {
	// Exactly MinDistinctBytes distinct bytes is enough.
	eight := strings.Repeat("abcdefgh", MinSecretLen/8)
	k := keyring(t, eight, current, retired)
	if k.Len() != 3 {
		t.Errorf("Len() = %d, want 3", k.Len())
	}
}

// The Keyring keeps its own copy: a caller that reuses or wipes its buffer
// must not change the keys.
func TestNewKeyringCopiesSecrets(t *testing.T) {
	secret := []byte(current)
	k, err := NewKeyring(secret)
	if err != nil {
		t.Fatal(err)
	}
	signed := k.Signer("salt").Sign(nil, []byte("payload"))
	for i := range secret {
		secret[i] = 0
	}
	if _, _, err := k.Signer("salt").Verify(signed); err != nil {
		t.Errorf("changing the caller's secret changed the Keyring: %v", err)
	}
}
