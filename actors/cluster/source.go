package cluster

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"streamhive/actors/config"
)

// Sources follows the `source` lines (Flussonic's cluster restreaming):
// each source is probed on its HTTP port as a peer is, with the line's
// cluster_key (else the global one), and the streams it offers that the
// line takes (only/except) are served here through relays. A source is
// no cluster member: it may run no cluster at all (Standalone answers
// its probes), and a node with only `source` lines starts no protoactor
// cluster.
type Sources struct {
	lines func() *config.Server // the running configuration
	probe func(key string) probeFunc
	every time.Duration
	log   *slog.Logger

	snap   atomic.Pointer[[]Member]
	misses map[string]int    // by line URL; the probing goroutine's
	last   map[string]Member // the last answer of each line
	stop   chan struct{}
	done   sync.WaitGroup
}

// sourceMisses is how many probes in a row a source may miss before its
// streams are no longer served from it.
const sourceMisses = 3

// NewSources follows the `source` lines of the configuration current
// returns, probing each every second once Start runs.
func NewSources(current func() *config.Server, log *slog.Logger) *Sources {
	if log == nil {
		log = slog.Default()
	}
	client := &http.Client{Timeout: 2 * time.Second}
	return &Sources{
		lines: current, every: time.Second, log: log,
		misses: map[string]int{}, last: map[string]Member{},
		probe: func(key string) probeFunc { return probeReading(client, key, readSourceInfo) },
	}
}

// readSourceInfo reads a source's probe answer: a member's, or a
// standalone node's, which has no remote address.
func readSourceInfo(r io.Reader) (NodeInfo, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxNodeInfo+1))
	if err != nil {
		return NodeInfo{}, fmt.Errorf("%w: %w", ErrNodeInfo, err)
	}
	return decodeNodeInfo(b)
}

// Start probes the sources now and then every second until Stop.
func (s *Sources) Start() {
	s.stop = make(chan struct{})
	s.done.Add(1)
	go func() {
		defer s.done.Done()
		t := time.NewTicker(s.every)
		defer t.Stop()
		for {
			s.round()
			select {
			case <-s.stop:
				return
			case <-t.C:
			}
		}
	}()
}

// Stop ends the probes.
func (s *Sources) Stop() {
	if s.stop != nil {
		close(s.stop)
		s.done.Wait()
	}
}

// Members lists the sources that answered lately, each with the streams
// of its line's only/except (sorted). Never blocks.
func (s *Sources) Members() []Member {
	if p := s.snap.Load(); p != nil {
		return *p
	}
	return nil
}

// round probes every source line once, all at a time.
func (s *Sources) round() {
	cfg := s.lines()
	ctx, cancel := context.WithTimeout(context.Background(), s.every)
	defer cancel()
	answers := make([]Member, len(cfg.Sources))
	errs := make([]error, len(cfg.Sources))
	var wg sync.WaitGroup
	for i, line := range cfg.Sources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key := line.ClusterKey
			if key == "" {
				key = cfg.ClusterKey
			}
			var info NodeInfo
			if info, errs[i] = s.probe(key)(ctx, Peer{Name: line.URL, URL: SourceURL(line.URL)}); errs[i] == nil {
				answers[i] = SourceMember(line, info)
			}
		}()
	}
	wg.Wait()
	s.publish(cfg.Sources, answers, errs)
}

// publish keeps each line's last answer until it misses sourceMisses
// probes in a row.
func (s *Sources) publish(lines []config.Source, answers []Member, errs []error) {
	out := make([]Member, 0, len(lines))
	seen := map[string]bool{}
	for i, line := range lines {
		seen[line.URL] = true
		if errs[i] == nil {
			s.misses[line.URL], s.last[line.URL] = 0, answers[i]
		} else if s.misses[line.URL]++; s.misses[line.URL] == sourceMisses {
			s.log.Warn("cluster: source not answering; its streams are not served", "source", line.URL, "err", errs[i])
		}
		if m, ok := s.last[line.URL]; ok && s.misses[line.URL] < sourceMisses {
			out = append(out, m)
		}
	}
	for url := range s.last {
		if !seen[url] {
			delete(s.last, url)
			delete(s.misses, url)
		}
	}
	s.snap.Store(&out)
}

// SourceMember is what line's source offers here: info's streams that
// the line takes, reached at the line's HOST[:PORT].
func SourceMember(line config.Source, info NodeInfo) Member {
	m := Member{ID: info.ID, Name: line.URL, API: SourceURL(line.URL), Load: info.Load, Seen: time.Now()}
	for _, name := range info.Streams {
		if line.Takes(name) {
			m.Streams = append(m.Streams, name)
		}
	}
	return m
}

// SourceURL is the base URL of a source line's HOST[:PORT].
func SourceURL(hostPort string) string {
	if strings.Contains(hostPort, "://") {
		return strings.TrimSuffix(hostPort, "/")
	}
	return "http://" + hostPort
}

// Standalone answers the probe of a node outside a cluster, so that
// another server's `source` line can restream from it: proofs are
// checked against its cluster_key (none: every probe is refused), and
// its answer has no remote address (no cluster member accepts it).
type Standalone struct {
	ID      string
	API     string
	Key     func() string
	Streams func() []string
	Load    func() Load
}

// CheckProof implements the probe endpoint's check.
func (s Standalone) CheckProof(proof string) bool {
	return CheckKeyProof(s.Key(), proof, time.Now())
}

// Info is the probe answer: the streams another server may pull.
func (s Standalone) Info() NodeInfo {
	n := NodeInfo{ID: s.ID, API: s.API}
	if s.Streams != nil {
		n.Streams = s.Streams()
	}
	if s.Load != nil {
		n.Load = s.Load()
	}
	return n
}
