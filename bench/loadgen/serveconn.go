package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"time"
)

// ErrBadAnswer marks an HTTP answer the serving load cannot read.
var ErrBadAnswer = errors.New("loadgen: bad HTTP answer")

// answerTimeout bounds one request and its answer.
const answerTimeout = 10 * time.Second

// maxHeaderLine bounds one status or header line of an answer.
const maxHeaderLine = 4096

// serveConn is one keep-alive HTTP/1.1 connection of the serving load. It
// writes GETs by hand and reads answers into a fixed buffer, discarding
// the bodies: the client's cost per request is a write, the reads of the
// answer and a little parsing, so that one client core can outrun one
// server core. Not for concurrent use.
type serveConn struct {
	addr string
	c    net.Conn
	r    *bufio.Reader
	req  []byte
	sink []byte // bodies are read into it and dropped
}

func newServeConn(addr string) *serveConn {
	return &serveConn{addr: addr, sink: make([]byte, 256<<10)}
}

// get requests path and reads the whole answer: its status and body size.
// On an error the connection is closed; the next get dials again.
func (s *serveConn) get(path string) (status int, n int64, err error) {
	if s.c == nil {
		if err := s.dial(); err != nil {
			return 0, 0, err
		}
	}
	// A stalled server fails the request instead of hanging the load.
	if err := s.c.SetDeadline(time.Now().Add(answerTimeout)); err != nil {
		s.close()
		return 0, 0, err
	}
	s.req = append(append(append(s.req[:0], "GET "...), path...), " HTTP/1.1\r\nHost: loadgen\r\nUser-Agent: loadgen\r\n\r\n"...)
	if _, err = s.c.Write(s.req); err == nil {
		status, n, err = s.answer()
	}
	if err != nil {
		s.close()
	}
	return status, n, err
}

func (s *serveConn) dial() error {
	c, err := net.DialTimeout("tcp", s.addr, 5*time.Second)
	if err != nil {
		return err
	}
	s.c, s.r = c, bufio.NewReaderSize(c, 64<<10)
	return nil
}

func (s *serveConn) close() {
	if s.c != nil {
		_ = s.c.Close()
		s.c = nil
	}
}

// answer reads a status line, the headers and the body (Content-Length or
// chunked, RFC 9112 sections 6 and 7.1).
func (s *serveConn) answer() (int, int64, error) {
	line, err := s.line()
	if err != nil {
		return 0, 0, err
	}
	f := bytes.Fields(line)
	if len(f) < 2 || !bytes.HasPrefix(f[0], []byte("HTTP/1.")) {
		return 0, 0, fmt.Errorf("%w: status line %q", ErrBadAnswer, line)
	}
	status, err := strconv.Atoi(string(f[1]))
	if err != nil {
		return 0, 0, fmt.Errorf("%w: status %q", ErrBadAnswer, f[1])
	}
	length, chunked, closing := int64(-1), false, false
	for {
		line, err := s.line()
		if err != nil {
			return 0, 0, err
		}
		if len(line) == 0 {
			break
		}
		name, value, _ := bytes.Cut(line, []byte(":"))
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			if length, err = strconv.ParseInt(string(value), 10, 64); err != nil || length < 0 {
				return 0, 0, fmt.Errorf("%w: Content-Length %q", ErrBadAnswer, value)
			}
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			chunked = bytes.EqualFold(value, []byte("chunked"))
		case bytes.EqualFold(name, []byte("Connection")):
			closing = bytes.EqualFold(value, []byte("close"))
		}
	}
	var n int64
	switch {
	case chunked:
		n, err = s.chunks()
	case length >= 0:
		n, err = s.discard(length)
	default:
		return 0, 0, fmt.Errorf("%w: neither Content-Length nor chunked", ErrBadAnswer)
	}
	if err == nil && closing {
		s.close()
	}
	return status, n, err
}

// line reads one CRLF-terminated line without its end; it is valid until
// the next read.
func (s *serveConn) line() ([]byte, error) {
	line, err := s.r.ReadSlice('\n')
	if err != nil {
		if errors.Is(err, bufio.ErrBufferFull) || len(line) > maxHeaderLine {
			return nil, fmt.Errorf("%w: header line too long", ErrBadAnswer)
		}
		return nil, err
	}
	return bytes.TrimRight(line, "\r\n"), nil
}

// discard reads and drops n bytes of body.
func (s *serveConn) discard(n int64) (int64, error) {
	var done int64
	for done < n {
		k, err := s.r.Read(s.sink[:min(int64(len(s.sink)), n-done)])
		done += int64(k)
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return done, err
		}
	}
	return done, nil
}

// chunks reads and drops a chunked body, returning its decoded size.
func (s *serveConn) chunks() (int64, error) {
	var total int64
	for {
		line, err := s.line()
		if err != nil {
			return total, err
		}
		hex, _, _ := bytes.Cut(line, []byte(";"))
		size, err := strconv.ParseInt(string(bytes.TrimSpace(hex)), 16, 64)
		if err != nil || size < 0 {
			return total, fmt.Errorf("%w: chunk size %q", ErrBadAnswer, line)
		}
		if size == 0 {
			for { // trailers, then the empty line
				if line, err = s.line(); err != nil || len(line) == 0 {
					return total, err
				}
			}
		}
		k, err := s.discard(size)
		total += k
		if err != nil {
			return total, err
		}
		if line, err = s.line(); err != nil || len(line) != 0 {
			return total, firstErr(err, fmt.Errorf("%w: chunk without CRLF", ErrBadAnswer))
		}
	}
}

// firstErr returns the first non-nil error.
func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
