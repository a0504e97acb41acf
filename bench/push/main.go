// Command push measures the CPU that push targets cost: one stream (the
// embedded test clip, fed into a hub at real-time pace) pushed to N
// receivers over UDP (MPEG-TS) or RTMP, for N in -targets. The receivers
// run in a child process (this binary with -recv), so the figures are the
// sender's alone: user+system CPU of this process over the window, minus
// the same window with no target.
//
//	go run ./bench/push -proto udp -targets 1,10,20 -seconds 10
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

func main() {
	recv := flag.Bool("recv", false, "run as the receiver process (internal)")
	proto := flag.String("proto", "udp", "udp or rtmp")
	n := flag.Int("n", 1, "receivers (with -recv)")
	targets := flag.String("targets", "1,10,20", "push target counts to measure")
	seconds := flag.Int("seconds", 10, "measuring window per count")
	flag.Parse()
	if *recv {
		if err := runReceivers(*proto, *n); err != nil {
			log.Fatal(err)
		}
		return
	}
	window := time.Duration(*seconds) * time.Second
	base, err := measure(*proto, 0, nil, window)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("| proto | targets | CPU (%% of one core) | CPU per target | sent (Mbit/s) | dropped frames |\n")
	fmt.Printf("| --- | --- | --- | --- | --- | --- |\n")
	fmt.Printf("| %s | 0 (feeder only) | %.2f | | | |\n", *proto, base.cpu)
	for _, s := range strings.Split(*targets, ",") {
		count, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || count < 1 {
			log.Fatalf("bad target count %q", s)
		}
		addrs, stop, err := startReceivers(*proto, count)
		if err != nil {
			log.Fatal(err)
		}
		r, err := measure(*proto, count, addrs, window)
		stop()
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("| %s | %d | %.2f | %.3f | %.2f | %d |\n", *proto, count, r.cpu,
			(r.cpu-base.cpu)/float64(count), r.mbits, r.dropped)
	}
}

// startReceivers runs this binary with -recv and reads the receivers'
// addresses (one a line) from it.
func startReceivers(proto string, n int) ([]string, func(), error) {
	self, err := os.Executable()
	if err != nil {
		return nil, nil, err
	}
	cmd := exec.Command(self, "-recv", "-proto", proto, "-n", strconv.Itoa(n))
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, nil, err
	}
	stop := func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }
	sc := bufio.NewScanner(out)
	var addrs []string
	for len(addrs) < n && sc.Scan() {
		addrs = append(addrs, sc.Text())
	}
	if len(addrs) < n {
		stop()
		return nil, nil, fmt.Errorf("receivers: got %d addresses of %d", len(addrs), n)
	}
	return addrs, stop, nil
}
