// The pod sandbox ("pause") process of the test node: it holds the pod's namespaces, reaps
// orphaned children (it is PID 1 when the pod shares its process namespace) and exits on
// SIGINT/SIGTERM. Built static by test/images/build.sh, because no registry is reachable to pull
// registry.k8s.io/pause.
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGCHLD)
	for s := range sigs {
		if s != syscall.SIGCHLD {
			os.Exit(0)
		}
		for {
			pid, err := syscall.Wait4(-1, nil, syscall.WNOHANG, nil)
			if pid <= 0 || err != nil {
				break
			}
		}
	}
}
