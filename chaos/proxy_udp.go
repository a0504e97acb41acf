package chaos

import (
	"errors"
	"math/rand/v2"
	"net"
	"sync"
	"time"
)

// UDPProxy relays datagrams between clients that send to its loopback port
// and Target, both ways (SRT needs its ACKs and NAKs to come back). Each
// datagram is dropped with probability Loss and otherwise delayed by a
// uniform random time up to Jitter, so datagrams overtake each other:
// loss and reordering. Safe for concurrent use.
type UDPProxy struct {
	target *net.UDPAddr
	conn   *net.UDPConn

	mu      sync.Mutex
	loss    float64
	jitter  time.Duration
	rng     *rand.Rand
	clients map[string]*net.UDPConn // client address -> its upstream socket
	closed  bool
	wg      sync.WaitGroup

	// Counters, guarded by mu.
	relayed, dropped int
}

// NewUDPProxy listens on a free 127.0.0.1 port and relays to target.
// seed makes the loss pattern repeatable.
func NewUDPProxy(target string, seed uint64) (*UDPProxy, error) {
	ta, err := net.ResolveUDPAddr("udp", target)
	if err != nil {
		return nil, err
	}
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return nil, err
	}
	p := &UDPProxy{
		target: ta, conn: c, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		clients: map[string]*net.UDPConn{},
	}
	p.wg.Add(1)
	go p.fromClients()
	return p, nil
}

// Addr is the proxy's listening address.
func (p *UDPProxy) Addr() string { return p.conn.LocalAddr().String() }

// Impair sets the loss probability (0..1) and the maximum extra delay.
func (p *UDPProxy) Impair(loss float64, jitter time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.loss, p.jitter = loss, jitter
}

// Counts returns how many datagrams were relayed and dropped so far.
func (p *UDPProxy) Counts() (relayed, dropped int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.relayed, p.dropped
}

func (p *UDPProxy) fromClients() {
	defer p.wg.Done()
	buf := make([]byte, 64<<10)
	for {
		n, from, err := p.conn.ReadFromUDP(buf)
		if err != nil {
			return
		}
		up := p.upstream(from)
		if up == nil {
			continue
		}
		p.send(buf[:n], func(b []byte) { _, _ = up.Write(b) })
	}
}

// upstream returns from's socket to the target, opening it (and its
// reader of replies) on the first datagram.
func (p *UDPProxy) upstream(from *net.UDPAddr) *net.UDPConn {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil
	}
	key := from.String()
	if up, ok := p.clients[key]; ok {
		return up
	}
	up, err := net.DialUDP("udp", nil, p.target)
	if err != nil {
		return nil
	}
	p.clients[key] = up
	p.wg.Add(1)
	go p.fromTarget(up, from)
	return up
}

// fromTarget relays the target's replies on up back to client.
func (p *UDPProxy) fromTarget(up *net.UDPConn, client *net.UDPAddr) {
	defer p.wg.Done()
	buf := make([]byte, 64<<10)
	for {
		n, err := up.Read(buf)
		if err != nil {
			return
		}
		p.send(buf[:n], func(b []byte) { _, _ = p.conn.WriteToUDP(b, client) })
	}
}

// send applies the impairment to one datagram and hands a copy to write,
// now or after its delay.
func (p *UDPProxy) send(b []byte, write func([]byte)) {
	p.mu.Lock()
	drop := p.loss > 0 && p.rng.Float64() < p.loss
	var delay time.Duration
	if !drop && p.jitter > 0 {
		delay = time.Duration(p.rng.Int64N(int64(p.jitter) + 1))
	}
	if drop {
		p.dropped++
	} else {
		p.relayed++
	}
	p.mu.Unlock()
	if drop {
		return
	}
	if delay == 0 {
		write(b)
		return
	}
	c := append([]byte(nil), b...)
	time.AfterFunc(delay, func() { write(c) })
}

// Close stops relaying; it returns the errors of closing the sockets.
func (p *UDPProxy) Close() error {
	var errs []error
	p.mu.Lock()
	p.closed = true
	for _, up := range p.clients {
		errs = append(errs, up.Close())
	}
	p.mu.Unlock()
	errs = append(errs, p.conn.Close())
	p.wg.Wait()
	return errors.Join(errs...)
}
