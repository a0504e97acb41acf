package cluster

import (
	"crypto/sha256"
	"encoding/binary"
	"net"
	"net/url"
	"slices"
	"strings"

	"streamhive/actors/config"
)

// Placement of cluster_ingest captures, as pure functions of the alive
// members: every node computes the same owner from the same view, so no
// node has to tell another which streams it takes.
//
// The rules, in order:
//  1. A member that claims the stream (its Captures list it) keeps it:
//     a node that joins, or returns after a restart, takes nothing.
//     Two claimants (a partition healed) resolve to the higher score.
//  2. With no claim, capture_at=NAME's member, if alive.
//  3. Else the highest rendezvous score over the alive members.
//
// Scores hash the stream's name with the member's Name, never its ID:
// IDs are fresh at every start, names are what the configuration says,
// so the choice stays the same across restarts.

// Owner returns the member that captures stream name (capture_at
// captureAt, "" for none) among the alive members; false when there are
// none.
func Owner(name, captureAt string, members []Member) (Member, bool) {
	if m, ok := best(name, members, func(m *Member) bool { return claims(m, name) }); ok {
		return m, true
	}
	if captureAt != "" {
		if m, ok := best(name, members, func(m *Member) bool { return m.Name == captureAt }); ok {
			return m, true
		}
		if m, ok := best(name, members, func(m *Member) bool { return hostOf(m.Name) == captureAt }); ok {
			return m, true
		}
	}
	return best(name, members, func(*Member) bool { return true })
}

// Score is member name's rendezvous score for stream: the first 8 bytes
// of SHA-256 over both names.
func Score(stream, member string) uint64 {
	h := sha256.New()
	h.Write([]byte(stream))
	h.Write([]byte{0})
	h.Write([]byte(member))
	return binary.BigEndian.Uint64(h.Sum(nil))
}

// best returns the member with the highest score among those that pass
// keep; ties (one name twice) go to the lower ID, so every node agrees.
func best(stream string, members []Member, keep func(*Member) bool) (Member, bool) {
	var (
		top   *Member
		score uint64
	)
	for i := range members {
		m := &members[i]
		if !keep(m) {
			continue
		}
		s := Score(stream, m.Name)
		if top == nil || s > score || (s == score && m.ID < top.ID) {
			top, score = m, s
		}
	}
	if top == nil {
		return Member{}, false
	}
	return *top, true
}

func claims(m *Member, name string) bool {
	_, ok := slices.BinarySearch(m.Captures, name)
	return ok || (!slices.IsSorted(m.Captures) && slices.Contains(m.Captures, name))
}

// hostOf is a member name's host part: "s1" of "s1:8081".
func hostOf(name string) string {
	if h, _, err := net.SplitHostPort(name); err == nil {
		return h
	}
	return name
}

// RelayConfig is cfg as a node that does not capture it runs it: the same
// name, its one input the owner's m4f:// stream (m4fs:// when the owner's
// API is https), no DVR writer, no pushes,
// no transcoder (the owner's renditions come through m4f), no publishing,
// on demand: it runs while it has viewers. What viewers see of it
// (protocols, segments, on_play, thumbnails) stays.
func RelayConfig(cfg config.Stream, owner Member) config.Stream {
	r := heldConfig(cfg)
	r.Inputs = []config.Input{{URL: m4fScheme(owner.API) + hostPort(owner.API) + "/" + cfg.Name}}
	return r
}

// HeldConfig is cfg while nobody captures it (this node's membership is
// not settled yet and no member claims it): a relay with nothing to pull
// from, asleep until a viewer comes and waiting until placement re-syncs
// it.
func HeldConfig(cfg config.Stream) config.Stream { return heldConfig(cfg) }

func heldConfig(cfg config.Stream) config.Stream {
	off := false
	cfg.Static = &off
	cfg.Inputs = nil
	cfg.DVR = nil
	cfg.Pushes = nil
	cfg.Transcoder = nil
	cfg.OnPublish = nil
	cfg.SRT = nil // the publishers' port stays with the owner
	return cfg
}

// m4fScheme is the scheme of an m4f pull from base URL api: m4fs:// over
// https, else m4f://.
func m4fScheme(api string) string {
	if u, err := url.Parse(api); err == nil && strings.EqualFold(u.Scheme, "https") {
		return "m4fs://"
	}
	return "m4f://"
}

// hostPort is the host:port of a base URL ("http://h:8081" -> "h:8081");
// api itself when it does not parse.
func hostPort(api string) string {
	if u, err := url.Parse(api); err == nil && u.Host != "" {
		return u.Host
	}
	return api
}
