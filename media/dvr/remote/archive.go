package remote

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"streamhive/media/dvr"
)

// Options configure an Archive.
type Options struct {
	// Base is the owner node's HTTP base URL ("http://10.0.0.2:8080").
	Base   string
	Stream string
	// Header and Proof are the cluster key's proof that every call
	// carries (the cluster package's KeyHeader and KeyProof; passed in
	// because media imports nothing of the actors).
	Header string
	Proof  func() string
	// Protects, when set and true, says on every call that this node
	// encrypts what it plays of the stream itself (ProtectsHeader): the
	// owner of a protected stream hands its recording to no other node.
	Protects func() bool
	// Client makes the calls; a client with no timeout of its own is
	// fine: every call has Timeout.
	Client *http.Client
	// Refresh is how often the list of records is fetched again while the
	// archive is in use: 3 s when zero.
	Refresh time.Duration
	// Timeout bounds one call: 5 s when zero.
	Timeout time.Duration
	// Idle stops the refreshes after this long without a read: 2 min when
	// zero. The next read starts them again.
	Idle time.Duration
	// Hot is how many records' bytes stay cached: 16 when zero.
	Hot int
	// FirstWait bounds how long the first read waits for the first list:
	// a second when zero (a member that does not answer must not hold a
	// playlist up for long).
	FirstWait time.Duration
}

// Archive is stream Stream's recording on node Base. The list of records
// is this node's copy, refreshed in the background every Refresh while
// reads come (a read never waits for the owner, except the first, which
// waits up to FirstWait for the first list; the first read after an idle
// spell sees the list as it was and starts the refreshes again); bytes are fetched on demand,
// the Hot latest kept. A node that does not answer Refresh three times in
// a row shows no records until it answers again: a member that is down is
// absent, never an error. Safe for concurrent use.
type Archive struct {
	opt Options

	list    atomic.Pointer[listing]
	used    atomic.Int64 // UnixNano of the last read
	running atomic.Bool  // a refresh loop runs
	loaded  chan struct{}
	once    sync.Once // closes loaded
	stop    chan struct{}
	closed  sync.Once

	hot   *hotCache
	inits sync.Map // epoch → *dvr.Init (immutable per epoch)
}

// listing is one refresh's view of the owner's archive; immutable.
type listing struct {
	recs   []dvr.Record // by Start
	ranges []dvr.Range
	misses int // refreshes failed in a row
}

// maxMisses is how many failed refreshes in a row empty the list.
const maxMisses = 3

// New returns the archive; nothing is fetched until it is read.
func New(o Options) *Archive {
	if o.Client == nil {
		o.Client = http.DefaultClient
	}
	o.Refresh = orDefault(o.Refresh, 3*time.Second)
	o.Timeout = orDefault(o.Timeout, 5*time.Second)
	o.Idle = orDefault(o.Idle, 2*time.Minute)
	o.FirstWait = orDefault(o.FirstWait, time.Second)
	if o.Hot <= 0 {
		o.Hot = 16
	}
	a := &Archive{opt: o, loaded: make(chan struct{}), stop: make(chan struct{}), hot: newHotCache(o.Hot)}
	a.list.Store(&listing{})
	return a
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// Close stops the refreshes for good.
func (a *Archive) Close() { a.closed.Do(func() { close(a.stop) }) }

var _ dvr.Archive = (*Archive)(nil)

// current marks a read and returns the list, starting the refreshes (and
// waiting for the first list) when they are not running.
func (a *Archive) current() *listing {
	a.used.Store(time.Now().UnixNano())
	if a.running.CompareAndSwap(false, true) {
		go a.refreshLoop()
	}
	select {
	case <-a.loaded:
		return a.list.Load()
	default:
	}
	t := time.NewTimer(a.opt.FirstWait)
	defer t.Stop()
	select {
	case <-a.loaded:
	case <-a.stop:
	case <-t.C:
	}
	return a.list.Load()
}

// Ranges implements dvr.Archive.
func (a *Archive) Ranges() []dvr.Range {
	return append([]dvr.Range(nil), a.current().ranges...)
}

// Records implements dvr.Archive.
func (a *Archive) Records(from, to time.Time) []dvr.Record {
	recs := a.current().recs
	i := sort.Search(len(recs), func(i int) bool { return recs[i].End().After(from) })
	var out []dvr.Record
	for ; i < len(recs) && recs[i].Start.Before(to); i++ {
		out = append(out, recs[i])
	}
	return out
}

// refreshLoop fetches the list every Refresh until the archive is idle
// or closed.
func (a *Archive) refreshLoop() {
	t := time.NewTicker(a.opt.Refresh)
	defer t.Stop()
	for {
		a.refresh()
		a.once.Do(func() { close(a.loaded) })
		select {
		case <-a.stop:
			return
		case <-t.C:
		}
		if time.Since(time.Unix(0, a.used.Load())) > a.opt.Idle {
			a.running.Store(false)
			return
		}
	}
}

// maxPagesPerRefresh bounds one refresh: the first list of a long archive
// arrives over several refreshes.
const maxPagesPerRefresh = 50

// refresh fetches the records after the newest known and the ranges, and
// drops the records the owner no longer has (retention, deletes).
func (a *Archive) refresh() {
	old := a.list.Load()
	recs := old.recs
	var ranges []dvr.Range
	for range maxPagesPerRefresh {
		after := int64(-1)
		if n := len(recs); n > 0 {
			after = recs[n-1].Start.UnixNano()
		}
		p, err := a.page(after)
		if err != nil {
			next := &listing{recs: old.recs, ranges: old.ranges, misses: old.misses + 1}
			if next.misses >= maxMisses {
				next.recs, next.ranges = nil, nil
			}
			a.list.Store(next)
			return
		}
		ranges = ranges[:0]
		for _, r := range p.Ranges {
			ranges = append(ranges, r.dvrRange())
		}
		recs = appendRecords(recs, p.Records)
		if !p.More {
			break
		}
	}
	a.list.Store(&listing{recs: within(recs, ranges), ranges: ranges})
}

// appendRecords appends the page's records (newer than recs' last) to a
// copy of recs.
func appendRecords(recs []dvr.Record, page []Record) []dvr.Record {
	if len(page) == 0 {
		return recs
	}
	out := make([]dvr.Record, len(recs), len(recs)+len(page))
	copy(out, recs)
	for _, w := range page {
		if n := len(out); n == 0 || w.Start > out[n-1].Start.UnixNano() {
			out = append(out, w.record())
		}
	}
	return out
}

// within keeps the records that start inside one of ranges (both sorted),
// marking the first of each range a Gap.
func within(recs []dvr.Record, ranges []dvr.Range) []dvr.Record {
	out := make([]dvr.Record, 0, len(recs))
	j := 0
	for _, r := range recs {
		for j < len(ranges) && !r.Start.Before(ranges[j].From.Add(ranges[j].Duration)) {
			j++
		}
		if j == len(ranges) {
			break
		}
		if r.Start.Before(ranges[j].From) {
			continue
		}
		if r.Start.Equal(ranges[j].From) && len(out) > 0 {
			r.Gap = true
		}
		out = append(out, r)
	}
	return out
}

// page fetches the records after Unix nanosecond after (-1: from the
// first).
func (a *Archive) page(after int64) (*Page, error) {
	q := url.Values{"stream": {a.opt.Stream}}
	if after >= 0 {
		q.Set("after", strconv.FormatInt(after, 10))
	}
	b, _, err := a.get(PathRecords, q, MaxPageBytes)
	if err != nil {
		return nil, err
	}
	return ParsePage(b)
}

// get calls the owner and returns the body of a 200 (at most limit
// bytes) and its header; a 404 is dvr.ErrGone.
func (a *Archive) get(path string, q url.Values, limit int64) ([]byte, http.Header, error) {
	ctx, cancel := context.WithTimeout(context.Background(), a.opt.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.opt.Base+path+"?"+q.Encode(), nil)
	if err != nil {
		return nil, nil, err
	}
	if a.opt.Proof != nil {
		req.Header.Set(a.opt.Header, a.opt.Proof())
	}
	if a.opt.Protects != nil && a.opt.Protects() {
		req.Header.Set(ProtectsHeader, ProtectsValue)
	}
	resp, err := a.opt.Client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return nil, nil, fmt.Errorf("%w: %s says 404", dvr.ErrGone, a.opt.Base)
	case resp.StatusCode != http.StatusOK:
		return nil, nil, fmt.Errorf("remote dvr: %s%s: status %d", a.opt.Base, path, resp.StatusCode)
	case resp.ContentLength > limit:
		return nil, nil, fmt.Errorf("%w: %d bytes", ErrBadAnswer, resp.ContentLength)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err == nil && int64(len(b)) > limit {
		err = fmt.Errorf("%w: more than %d bytes", ErrBadAnswer, limit)
	}
	return b, resp.Header, err
}

// at is the query naming rec.
func (a *Archive) at(rec dvr.Record) url.Values {
	return url.Values{"stream": {a.opt.Stream}, "start": {strconv.FormatInt(rec.Start.UnixNano(), 10)}}
}

// ReadTS implements dvr.Archive.
func (a *Archive) ReadTS(rec dvr.Record) ([]byte, error) {
	a.used.Store(time.Now().UnixNano())
	key := hotKey{cmaf: false, start: rec.Start.UnixNano()}
	if v, ok := a.hot.get(key); ok {
		return v[0], nil
	}
	b, _, err := a.get(PathTS, a.at(rec), MaxRecordBytes)
	if err != nil {
		return nil, err
	}
	a.hot.put(key, [][]byte{b})
	return b, nil
}

// ReadCMAF implements dvr.Archive.
func (a *Archive) ReadCMAF(rec dvr.Record) ([][]byte, error) {
	a.used.Store(time.Now().UnixNano())
	key := hotKey{cmaf: true, start: rec.Start.UnixNano()}
	if v, ok := a.hot.get(key); ok {
		return v, nil
	}
	b, h, err := a.get(PathCMAF, a.at(rec), MaxRecordBytes)
	if err != nil {
		return nil, err
	}
	sizes, err := ParseParts(h.Get(PartsHeader), len(b))
	if err != nil {
		return nil, err
	}
	out := make([][]byte, len(sizes))
	off := 0
	for i, n := range sizes {
		out[i] = b[off : off+n : off+n]
		off += n
	}
	a.hot.put(key, out)
	return out, nil
}

// Init implements dvr.Archive.
func (a *Archive) Init(rec dvr.Record) (*dvr.Init, error) {
	if v, ok := a.inits.Load(rec.Epoch); ok {
		return v.(*dvr.Init), nil
	}
	q := url.Values{"stream": {a.opt.Stream}, "epoch": {strconv.Itoa(rec.Epoch)}}
	b, _, err := a.get(PathInit, q, MaxInitBytes)
	if err != nil {
		return nil, err
	}
	in, err := ParseInit(b)
	if err != nil {
		return nil, err
	}
	v, _ := a.inits.LoadOrStore(rec.Epoch, in)
	return v.(*dvr.Init), nil
}
