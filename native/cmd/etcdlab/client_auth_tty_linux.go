//go:build linux

package main

// The terminal, on Linux: whether stdin is one (it answers the TCGETS
// ioctl), and reading a line from it with echo turned off for the time of
// the read (termios ECHO cleared, then the old settings put back).

import (
	"fmt"
	"io"
	"os"
	"syscall"
	"unsafe"
)

// terminalOf returns in as a terminal, if it is one.
func terminalOf(in io.Reader) (*os.File, bool) {
	f, ok := in.(*os.File)
	if !ok {
		return nil, false
	}
	var t syscall.Termios
	return f, termios(f, syscall.TCGETS, &t) == nil
}

// readHidden prints prompt to out and reads a line from tty without echo.
func readHidden(tty *os.File, prompt string, out io.Writer) (string, error) {
	fmt.Fprint(out, prompt)
	var saved syscall.Termios
	if err := termios(tty, syscall.TCGETS, &saved); err != nil {
		return "", err
	}
	hidden := saved
	hidden.Lflag &^= syscall.ECHO
	if err := termios(tty, syscall.TCSETS, &hidden); err != nil {
		return "", err
	}
	defer termios(tty, syscall.TCSETS, &saved)
	line, err := readLine(tty)
	fmt.Fprintln(out) // the newline the user typed was not echoed
	return line, err
}

func termios(f *os.File, request uintptr, t *syscall.Termios) error {
	_, _, errno := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), request, uintptr(unsafe.Pointer(t)))
	if errno != 0 {
		return errno
	}
	return nil
}
