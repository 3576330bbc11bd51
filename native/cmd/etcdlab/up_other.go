//go:build !linux

package main

// Elsewhere than Linux there is no parent-death signal: a killed `etcdlab
// up` leaves its members running, to be stopped by hand.

import "syscall"

func upSysProcAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{} }
