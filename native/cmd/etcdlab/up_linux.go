package main

// On Linux a member started by `etcdlab up` gets SIGTERM when `up` dies
// (prctl PR_SET_PDEATHSIG), so a killed `up` leaves no cluster behind.
// The signal follows the OS thread that started the child; Go keeps its
// threads for the life of the process, so that is the process here.

import "syscall"

func upSysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
