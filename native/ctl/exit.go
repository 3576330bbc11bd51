package ctl

// etcdctl's exit codes (etcd: pkg/cobrautl/error.go) and the error type
// that carries one from a command to the single place that exits.

import (
	"errors"
	"fmt"
)

// Exit codes, as etcdctl uses them.
const (
	ExitSuccess       = 0
	ExitError         = 1   // the request failed at the server or in transit
	ExitBadConnection = 2   // no connection to the cluster could be made
	ExitInvalidInput  = 3   // malformed input read from stdin (txn)
	ExitBadFeature    = 4   // an output format or option this verb lacks
	ExitInterrupted   = 5   // a stream ended early (watch, snapshot save)
	ExitBadArgs       = 128 // wrong arguments or flags on the command line
)

// CodedError is an error that knows its exit code. The command runner prints
// "Error: " + Err and exits with Code.
type CodedError struct {
	Code int
	Err  error
}

// Error is the message; a CodedError without Err is a silent exit (the
// command has already said what went wrong).
func (e *CodedError) Error() string {
	if e.Err == nil {
		return ""
	}
	return e.Err.Error()
}
func (e *CodedError) Unwrap() error { return e.Err }

// Exitf builds an *CodedError from a format, like fmt.Errorf.
func Exitf(code int, format string, args ...any) *CodedError {
	return &CodedError{Code: code, Err: fmt.Errorf(format, args...)}
}

// WithCode wraps err with an exit code; nil stays nil, and an error that
// already has a code keeps it.
func WithCode(code int, err error) error {
	if err == nil {
		return nil
	}
	var ee *CodedError
	if errors.As(err, &ee) {
		return err
	}
	return &CodedError{Code: code, Err: err}
}

// CodeOf is the exit code for err: its own if it has one, else ExitError.
func CodeOf(err error) int {
	if err == nil {
		return ExitSuccess
	}
	var ee *CodedError
	if errors.As(err, &ee) {
		return ee.Code
	}
	return ExitError
}
