package sessions

import (
	"hash/maphash"
	"strings"
)

// A session is found by its key: Flussonic's session_keys, the viewer's
// stream name, IP, protocol and token by default, or the keys a stream's
// on_play lists (the required name, ip, proto plus the token and query
// keys of the operator's choice). Two requests with equal key fields are
// one session; a player that adds a key such as `&sid=...` with a new value
// starts another session with the same token.

// defaultKeys are Flussonic's session keys when on_play names none.
var defaultKeys = []string{"name", "ip", "proto", "token"}

// key is a 128-bit keyed hash of a viewer's key fields. The seeds are
// random per Table, so a viewer cannot craft a token whose key collides
// with another viewer's session.
type key [2]uint64

// keyer hashes key fields. Safe for concurrent use: maphash.Seed is a
// value and Hash values live on the caller's stack.
type keyer struct{ a, b maphash.Seed }

func newKeyer() keyer { return keyer{a: maphash.MakeSeed(), b: maphash.MakeSeed()} }

// of hashes v's fields named by keys (nil: defaultKeys), with token as the
// viewer's token (the one it brought, or the one the Table made up). Every
// field is length-prefixed so that fields cannot run into each other. It
// does not allocate.
func (k keyer) of(v *Viewer, keys []string, token string) key {
	if len(keys) == 0 {
		keys = defaultKeys
	}
	var h1, h2 maphash.Hash
	h1.SetSeed(k.a)
	h2.SetSeed(k.b)
	for _, name := range keys {
		var f string
		switch name {
		case "name":
			f = v.Stream
		case "proto":
			f = v.Proto
		case "token":
			f = token
		case "ip":
			ip := v.IP.As16()
			h1.Write(ip[:])
			h2.Write(ip[:])
			continue
		default:
			f = queryValue(v.Query, name)
		}
		writeField(&h1, name, f)
		writeField(&h2, name, f)
	}
	if v.Conn != "" {
		writeField(&h1, "conn", v.Conn)
		writeField(&h2, "conn", v.Conn)
	}
	return key{h1.Sum64(), h2.Sum64()}
}

func writeField(h *maphash.Hash, name, value string) {
	h.WriteByte(byte(len(name)))
	h.WriteString(name)
	var l [4]byte
	l[0], l[1], l[2], l[3] = byte(len(value)), byte(len(value)>>8), byte(len(value)>>16), byte(len(value)>>24)
	h.Write(l[:])
	h.WriteString(value)
}

// queryValue returns the raw (still escaped) value of the first name=...
// pair of query, or "" when there is none. It does not allocate.
func queryValue(query, name string) string {
	for query != "" {
		var pair string
		pair, query, _ = strings.Cut(query, "&")
		k, v, _ := strings.Cut(pair, "=")
		if k == name {
			return v
		}
	}
	return ""
}
