package main

import (
	"crypto/sha256"
	"strconv"
)

func itoa(n int) string { return strconv.Itoa(n) }

func sha256Sum(b []byte) []byte {
	s := sha256.Sum256(b)
	return s[:]
}
