// Command etcdlab is the one binary of etcdlab's native side: the cluster
// daemon, the client commands, the local cluster, the simulator CLI, the
// benchmark and the lessons server. Each lives in its own file as a cobra
// command; this file only assembles them.
package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

func main() {
	root := &cobra.Command{
		Use:           "etcdlab",
		Short:         "etcd, built to be seen",
		Long:          "etcdlab is etcd's design as one readable Go core, run for real as a daemon\nand simulated in the browser for lessons.",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newServerCommand())
	root.AddCommand(newSimCommand())
	root.AddCommand(newLessonsCommand())
	root.AddCommand(newUpCommand())
	clientVerbs := newClientCommands()
	root.AddCommand(clientVerbs...)
	root.SetArgs(hoistGlobalFlags(os.Args[1:], clientVerbs))
	root.AddCommand(newBenchCommand())
	if err := root.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "etcdlab:", err)
		os.Exit(1)
	}
}
