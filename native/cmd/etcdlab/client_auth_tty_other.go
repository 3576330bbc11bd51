//go:build !linux

package main

// The terminal elsewhere than Linux: never recognised, so a password must
// come from the command line or from stdin with --interactive=false.

import (
	"errors"
	"io"
	"os"
)

func terminalOf(io.Reader) (*os.File, bool) { return nil, false }

func readHidden(*os.File, string, io.Writer) (string, error) {
	return "", errors.New("reading a password from the terminal is supported on Linux only")
}
