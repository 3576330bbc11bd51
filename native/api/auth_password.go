package api

// Password hashing. etcd hashes with bcrypt (cost 10), which is not in
// Go's standard library; etcdlab uses PBKDF2 with HMAC-SHA256 (RFC 8018,
// crypto/pbkdf2), a random 16-byte salt per password and 600,000
// iterations (OWASP's 2023 figure for PBKDF2-HMAC-SHA256; about 100 ms
// here, near bcrypt cost 10). The core stores scheme, iterations, salt
// and hash as opaque bytes (core/auth Password), so a later change of the
// iteration count leaves stored passwords readable.
//
// Hashing happens here, before a user add or password change is proposed,
// and checking happens here, before Authenticate is proposed: neither
// holds up the member's loop, and the log never holds a clear password
// (etcd 3.5 does the same in its API layer).

import (
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"

	"github.com/etcdlab/etcdlab/core/auth"
)

const (
	passwordScheme     = "pbkdf2-sha256"
	passwordIterations = 600_000
	passwordSaltBytes  = 16
	passwordHashBytes  = sha256.Size
)

// hashPassword hashes a new password with a fresh salt.
func hashPassword(password string) (auth.Password, error) {
	salt := make([]byte, passwordSaltBytes)
	if _, err := rand.Read(salt); err != nil {
		return auth.Password{}, fmt.Errorf("etcdlab: no randomness for a password salt: %w", err)
	}
	hash, err := pbkdf2.Key(sha256.New, password, salt, passwordIterations, passwordHashBytes)
	if err != nil {
		return auth.Password{}, fmt.Errorf("etcdlab: hashing a password: %w", err)
	}
	return auth.Password{Scheme: passwordScheme, Iterations: passwordIterations, Salt: salt, Hash: hash}, nil
}

// checkPassword reports whether password matches stored, in constant time.
func checkPassword(stored auth.Password, password string) bool {
	if stored.Scheme != passwordScheme || stored.Iterations <= 0 || len(stored.Hash) == 0 {
		return false
	}
	hash, err := pbkdf2.Key(sha256.New, password, stored.Salt, stored.Iterations, len(stored.Hash))
	return err == nil && subtle.ConstantTimeCompare(hash, stored.Hash) == 1
}
