package wal

// Small assertion helpers on the standard library. (testify is in go.mod,
// but its yaml dependency is not in go.sum, and this package may not change
// either file.)

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func msg(args []any) string {
	if len(args) == 0 {
		return ""
	}
	if f, ok := args[0].(string); ok {
		return ": " + fmt.Sprintf(f, args[1:]...)
	}
	return ": " + fmt.Sprint(args...)
}

func noErr(t testing.TB, err error, args ...any) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v%s", err, msg(args))
	}
}

func eq(t testing.TB, want, got any, args ...any) {
	t.Helper()
	if !reflect.DeepEqual(want, got) {
		t.Fatalf("not equal%s\nwant: %#v\ngot:  %#v", msg(args), want, got)
	}
}

func isErr(t testing.TB, err, target error, args ...any) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("error %v is not %v%s", err, target, msg(args))
	}
}

func errHas(t testing.TB, err error, substr string, args ...any) {
	t.Helper()
	if err == nil || !strings.Contains(err.Error(), substr) {
		t.Fatalf("error %v does not contain %q%s", err, substr, msg(args))
	}
}

func truth(t testing.TB, cond bool, args ...any) {
	t.Helper()
	if !cond {
		t.Fatalf("condition failed%s", msg(args))
	}
}

func panics(t testing.TB, f func(), args ...any) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Fatalf("expected a panic%s", msg(args))
		}
	}()
	f()
}
