package main

// etcdctl takes its global flags before the verb (`etcdctl --endpoints=X
// get foo`). etcdlab's client verbs carry those flags themselves (see
// client.go), so before cobra parses the command line, hoistGlobalFlags
// moves leading global flags to just after the client verb they precede.

import (
	"strings"

	"github.com/spf13/cobra"
)

// globalBoolFlags are the global flags that take no value.
var globalBoolFlags = map[string]bool{"hex": true, "insecure-transport": true, "insecure-skip-tls-verify": true}

// hoistGlobalFlags returns args with any leading etcdctl global flags moved
// after the first word when that word names one of verbs. Anything else is
// returned unchanged.
func hoistGlobalFlags(args []string, verbs []*cobra.Command) []string {
	var flags []string
	i := 0
	for i < len(args) && strings.HasPrefix(args[i], "-") {
		name, hasValue := globalFlagName(args[i])
		if name == "" {
			return args
		}
		flags = append(flags, args[i])
		i++
		if !hasValue && !globalBoolFlags[name] && i < len(args) {
			flags = append(flags, args[i])
			i++
		}
	}
	if len(flags) == 0 || i == len(args) || !isVerb(args[i], verbs) {
		return args
	}
	out := append([]string{args[i]}, flags...)
	return append(out, args[i+1:]...)
}

// globalFlagName returns the global flag an argument names ("" if none)
// and whether the value is in the same argument (--endpoints=X, -wjson).
func globalFlagName(arg string) (name string, hasValue bool) {
	if strings.HasPrefix(arg, "-w") && !strings.HasPrefix(arg, "--") {
		return "write-out", len(arg) > 2
	}
	name, _, hasValue = strings.Cut(strings.TrimPrefix(arg, "--"), "=")
	for _, g := range globalFlagNames {
		if g == name && strings.HasPrefix(arg, "--") {
			return name, hasValue
		}
	}
	return "", false
}

// isVerb reports whether word names one of verbs (or one of its aliases).
func isVerb(word string, verbs []*cobra.Command) bool {
	for _, c := range verbs {
		if c.Name() == word || c.HasAlias(word) {
			return true
		}
	}
	return false
}
