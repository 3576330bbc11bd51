package main

// `etcdlab sim run FILE`: run a scenario on the deterministic simulator and
// print its transcript — the same runner the tests, the lessons and the
// browser's debugger use.

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/etcdlab/etcdlab/core/scenario"
)

func newSimCommand() *cobra.Command {
	sim := &cobra.Command{
		Use:   "sim",
		Short: "Run scenarios on the simulated cluster",
	}
	sim.AddCommand(&cobra.Command{
		Use:   "run FILE...",
		Short: "Run scenario files and print their transcripts",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, path := range args {
				src, err := os.ReadFile(path)
				if err != nil {
					return err
				}
				transcript, err := scenario.Run(path, src)
				fmt.Fprint(cmd.OutOrStdout(), transcript)
				if err != nil {
					return err
				}
			}
			return nil
		},
	})
	return sim
}
