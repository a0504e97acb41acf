package chaos

import (
	"net"
	"sync"
)

// TCPProxy forwards every connection accepted on its loopback port to
// Target. Freeze stops it forwarding in both directions while keeping the
// connections open (a hung link, not a dead one); Thaw resumes. Safe for
// concurrent use.
type TCPProxy struct {
	Target string

	ln   net.Listener
	gate sync.RWMutex // held for writing while frozen; copiers take it for reading per write
	mu   sync.Mutex
	conn []net.Conn
	wg   sync.WaitGroup

	frozenMu sync.Mutex
	frozen   bool
}

// NewTCPProxy listens on 127.0.0.1 (a free port) and forwards to target.
func NewTCPProxy(target string) (*TCPProxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &TCPProxy{Target: target, ln: ln}
	p.wg.Add(1)
	go p.accept()
	return p, nil
}

// Addr is the proxy's listening address.
func (p *TCPProxy) Addr() string { return p.ln.Addr().String() }

func (p *TCPProxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		up, err := net.Dial("tcp", p.Target)
		if err != nil {
			_ = c.Close()
			continue
		}
		p.mu.Lock()
		p.conn = append(p.conn, c, up)
		p.mu.Unlock()
		p.wg.Add(2)
		go p.pipe(up, c)
		go p.pipe(c, up)
	}
}

// pipe copies from src to dst, each write waiting while the proxy is
// frozen; it closes both ends when either fails (the other copier closes
// them too, so errors from Close are expected and dropped).
func (p *TCPProxy) pipe(dst, src net.Conn) {
	defer p.wg.Done()
	defer func() { _ = dst.Close() }()
	defer func() { _ = src.Close() }()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			p.gate.RLock()
			_, werr := dst.Write(buf[:n])
			p.gate.RUnlock()
			if werr != nil {
				return
			}
		}
		if err != nil {
			return // EOF or a reset: the other copier sees the close
		}
	}
}

// Freeze stops forwarding: data already read waits, the rest stays in
// the kernel's buffers until the senders block.
func (p *TCPProxy) Freeze() {
	p.frozenMu.Lock()
	defer p.frozenMu.Unlock()
	if !p.frozen {
		p.frozen = true
		p.gate.Lock()
	}
}

// Thaw resumes forwarding.
func (p *TCPProxy) Thaw() {
	p.frozenMu.Lock()
	defer p.frozenMu.Unlock()
	if p.frozen {
		p.frozen = false
		p.gate.Unlock()
	}
}

// Close thaws, stops accepting, closes every connection and waits for the
// copiers.
func (p *TCPProxy) Close() error {
	p.Thaw()
	err := p.ln.Close()
	p.mu.Lock()
	for _, c := range p.conn {
		_ = c.Close() // the copiers may have closed it already
	}
	p.mu.Unlock()
	p.wg.Wait()
	return err
}
