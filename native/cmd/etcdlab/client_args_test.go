package main

import (
	"reflect"
	"testing"
)

func TestHoistGlobalFlags(t *testing.T) {
	verbs := clientCommands(&clientRuntime{exit: func(int) {}, environ: func() []string { return nil }})
	cases := []struct{ in, want []string }{
		{[]string{"--endpoints=a:1", "get", "foo"}, []string{"get", "--endpoints=a:1", "foo"}},
		{[]string{"--endpoints", "a:1", "-w", "json", "put", "k", "v"}, []string{"put", "--endpoints", "a:1", "-w", "json", "k", "v"}},
		{[]string{"-wtable", "--hex", "member", "list"}, []string{"member", "-wtable", "--hex", "list"}},
		// Not a client verb, an unknown flag, or nothing to move: unchanged.
		{[]string{"--endpoints=a:1", "server"}, []string{"--endpoints=a:1", "server"}},
		{[]string{"--name=x", "get", "foo"}, []string{"--name=x", "get", "foo"}},
		{[]string{"get", "--prefix", "foo"}, []string{"get", "--prefix", "foo"}},
		{[]string{"--endpoints"}, []string{"--endpoints"}},
	}
	for _, c := range cases {
		if got := hoistGlobalFlags(c.in, verbs); !reflect.DeepEqual(got, c.want) {
			t.Errorf("hoistGlobalFlags(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
