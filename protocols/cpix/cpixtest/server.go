// Package cpixtest is a CPIX key server on loopback for tests: it checks
// each request for the elements the DASH-IF CPIX spec requires of one,
// answers with the same document filled in (content keys in clear, or
// encrypted with a document key for the certificate the request carried;
// a 'pssh' box and HLS signalling per DRM system) and can be taken down
// and brought back.
package cpixtest

import (
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"

	"streamhive/protocols/cpix"
)

// Server is the loopback key server.
type Server struct {
	*httptest.Server
	seed []byte
	down atomic.Bool

	mu       sync.Mutex
	requests []*cpix.Document
	refusals []string
}

// New starts a key server whose keys derive from seed.
func New(seed string) *Server {
	s := &Server{seed: []byte(seed)}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// SetDown makes the server answer 503 (true) or serve again (false).
func (s *Server) SetDown(down bool) { s.down.Store(down) }

// KeyFor is the content key the server gives for a resource's key id.
func (s *Server) KeyFor(contentID string, kid [16]byte) [16]byte {
	h := hmac.New(sha256.New, s.seed)
	h.Write([]byte(contentID))
	h.Write(kid[:])
	var k [16]byte
	copy(k[:], h.Sum(nil))
	return k
}

// Requests are the well-formed requests served so far.
func (s *Server) Requests() []*cpix.Document {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*cpix.Document(nil), s.requests...)
}

// Refusals are the reasons malformed requests were refused for.
func (s *Server) Refusals() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.refusals...)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if s.down.Load() {
		http.Error(w, "key server down", http.StatusServiceUnavailable)
		return
	}
	if r.Method != http.MethodPost {
		http.Error(w, "POST a CPIX document", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, cpix.MaxDocumentBytes+1))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	doc, err := cpix.ParseDocument(body)
	if err == nil {
		err = checkRequest(doc)
	}
	if err != nil {
		s.mu.Lock()
		s.refusals = append(s.refusals, err.Error())
		s.mu.Unlock()
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	s.requests = append(s.requests, doc)
	s.mu.Unlock()
	out, err := s.answer(doc)
	if err != nil {
		http.Error(w, fmt.Sprint("answering: ", err), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/xml")
	_, _ = w.Write(out)
}
