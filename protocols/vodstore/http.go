package vodstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"streamhive/media/vod"
)

// BlockSize is the unit an HTTP storage reads and caches: a read of a few
// bytes costs one request for its whole block, and the next reads nearby
// cost none.
const BlockSize = 1 << 20

// maxFileSize bounds the size an HTTP server may claim for a file.
const maxFileSize = 1 << 42

// HTTP is a storage on an HTTP(S) server, read by range requests. Files
// are addressed under the base URL; the server must answer ranges (206).
// It cannot list folders nor take uploads.
type HTTP struct {
	base   *url.URL
	client *http.Client
	cache  *Cache // nil: every block is fetched
}

var _ vod.Storage = (*HTTP)(nil)

// OpenHTTP makes a storage over base (http:// or https://); cache may be
// nil. The client's timeout bounds each request.
func OpenHTTP(base string, client *http.Client, cache *Cache) (*HTTP, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("vod storage: %q is no http(s) URL", redactURL(base))
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	if client == nil {
		client = &http.Client{Timeout: 20 * time.Second}
	}
	return &HTTP{base: u, client: client, cache: cache}, nil
}

// List is not possible over plain HTTP.
func (h *HTTP) List(context.Context, string) ([]vod.Entry, error) {
	return nil, fmt.Errorf("vod storage %s: an HTTP storage cannot list folders", h.base.Redacted())
}

// Open asks the server for the file's first byte, which tells its size.
func (h *HTTP) Open(ctx context.Context, p string) (vod.File, error) {
	clean, err := CleanPath(p)
	if err != nil {
		return nil, err
	}
	if clean == "" {
		return nil, fmt.Errorf("%w: the storage's root is no file", vod.ErrNotFound)
	}
	u := *h.base
	u.Path = h.base.Path + "/" + clean
	u.RawPath = ""
	f := &httpFile{h: h, url: u.String(), shown: u.Redacted(), ctx: context.WithoutCancel(ctx)}
	_, size, err := f.fetch(ctx, 0, 0)
	if err != nil {
		return nil, err
	}
	f.size = size
	return f, nil
}

// httpFile is one file of an HTTP storage.
type httpFile struct {
	h     *HTTP
	url   string
	shown string // the URL without its password, for errors
	size  int64
	ctx   context.Context //nolint:containedctx // ReaderAt takes none: the opener's values, never its cancel

	// last is the block read last, held so that a run of small reads
	// (a box header, then its body) costs one fetch and one miss.
	mu       sync.Mutex
	lastIdx  int64
	lastData []byte
}

func (f *httpFile) Size() int64  { return f.size }
func (f *httpFile) Close() error { return nil }

// ReadAt reads through whole blocks, each from the cache or the server.
func (f *httpFile) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, fmt.Errorf("vod: negative offset %d", off)
	}
	n := 0
	for n < len(p) {
		at := off + int64(n)
		if at >= f.size {
			return n, io.EOF
		}
		block, err := f.block(at / BlockSize)
		if err != nil {
			return n, err
		}
		n += copy(p[n:], block[at%BlockSize:])
	}
	return n, nil
}

// block returns block i of the file, cached or fetched.
func (f *httpFile) block(i int64) ([]byte, error) {
	f.mu.Lock()
	if f.lastData != nil && f.lastIdx == i {
		b := f.lastData
		f.mu.Unlock()
		return b, nil
	}
	f.mu.Unlock()
	b, err := f.load(i)
	if err == nil {
		f.mu.Lock()
		f.lastIdx, f.lastData = i, b
		f.mu.Unlock()
	}
	return b, err
}

// load reads block i from the cache or the server.
func (f *httpFile) load(i int64) ([]byte, error) {
	key := f.url + "#" + strconv.FormatInt(i, 10)
	if b, ok := f.h.cache.get(key); ok {
		return b, nil
	}
	start := i * BlockSize
	end := min(start+BlockSize, f.size) - 1
	b, _, err := f.fetch(f.ctx, start, end)
	if err != nil {
		return nil, err
	}
	f.h.cache.put(key, b)
	return b, nil
}

// fetch GETs bytes start..end (inclusive) and the file's size, checking
// that the server answered exactly that range.
func (f *httpFile) fetch(ctx context.Context, start, end int64) ([]byte, int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.url, nil)
	if err != nil {
		return nil, 0, fmt.Errorf("vod storage %s: %w", f.shown, err)
	}
	req.Header.Set("Range", "bytes="+strconv.FormatInt(start, 10)+"-"+strconv.FormatInt(end, 10))
	resp, err := f.h.client.Do(req)
	if err != nil {
		return nil, 0, fmt.Errorf("vod storage %s: %w", f.shown, stripURL(err))
	}
	defer func() { _ = resp.Body.Close() }()
	switch resp.StatusCode {
	case http.StatusPartialContent:
	case http.StatusNotFound, http.StatusGone:
		return nil, 0, fmt.Errorf("%w: %s", vod.ErrNotFound, f.shown)
	case http.StatusRequestedRangeNotSatisfiable:
		return nil, 0, fmt.Errorf("vod storage %s: empty file", f.shown)
	default:
		return nil, 0, fmt.Errorf("vod storage %s: answered %d to a range request", f.shown, resp.StatusCode)
	}
	r, err := ParseContentRange(resp.Header.Get("Content-Range"))
	if err != nil || r.Start != start || r.End > end {
		return nil, 0, fmt.Errorf("vod storage %s: asked bytes %d-%d, got %q", f.shown, start, end, resp.Header.Get("Content-Range"))
	}
	want := r.End - r.Start + 1
	b := make([]byte, want)
	if _, err := io.ReadFull(resp.Body, b); err != nil {
		return nil, 0, fmt.Errorf("vod storage %s: short body: %w", f.shown, err)
	}
	return b, r.Size, nil
}

// ContentRange is a 206 answer's `Content-Range: bytes START-END/SIZE`.
type ContentRange struct{ Start, End, Size int64 }

// ParseContentRange reads a Content-Range header, refusing an unknown
// size (*), a range outside the size, and sizes over maxFileSize or over
// one block more than asked.
func ParseContentRange(h string) (ContentRange, error) {
	rest, ok := strings.CutPrefix(h, "bytes ")
	if !ok || len(h) > 64 {
		return ContentRange{}, errBadRange
	}
	span, total, ok := strings.Cut(rest, "/")
	if !ok {
		return ContentRange{}, errBadRange
	}
	a, b, ok := strings.Cut(span, "-")
	if !ok {
		return ContentRange{}, errBadRange
	}
	var r ContentRange
	var errs [3]error
	r.Start, errs[0] = strconv.ParseInt(a, 10, 64)
	r.End, errs[1] = strconv.ParseInt(b, 10, 64)
	r.Size, errs[2] = strconv.ParseInt(total, 10, 64)
	if errors.Join(errs[:]...) != nil || r.Start < 0 || r.End < r.Start || r.Size <= r.End ||
		r.Size > maxFileSize || r.End-r.Start >= BlockSize {
		return ContentRange{}, errBadRange
	}
	return r, nil
}

var errBadRange = errors.New("vod storage: malformed Content-Range")

// redactURL drops the password of a URL given as text.
func redactURL(s string) string {
	if u, err := url.Parse(s); err == nil {
		return u.Redacted()
	}
	return "(unparsable URL)"
}

// stripURL keeps a client error's cause without the URL it carries (which
// may hold a password).
func stripURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}
