package cpix

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"streamhive/media/drm"
)

// Span is one crypto period: its index (the count of periods since the
// Unix epoch) and its bounds. A key that never rotates has one Span of
// index 0 with zero bounds.
type Span struct {
	Index       int64
	From, Until time.Time
}

// Rotating reports whether the span is one period of a rotating key.
func (s Span) Rotating() bool { return !s.Until.IsZero() }

// SpanAt is the span holding t for keys rotating every period (0: never).
func SpanAt(t time.Time, period time.Duration) Span {
	if period <= 0 {
		return Span{}
	}
	i := t.UnixNano() / int64(period)
	return SpanOf(i, period)
}

// SpanOf is the span of index i.
func SpanOf(i int64, period time.Duration) Span {
	if period <= 0 {
		return Span{}
	}
	from := time.Unix(0, i*int64(period)).UTC()
	return Span{Index: i, From: from, Until: from.Add(period)}
}

// KIDFor is the key id of a resource's span. It is derived, not random,
// so a restarted server asks for the same key ids for the same times and
// the archive recorded before the restart keeps its keys.
func KIDFor(contentID string, index int64) [16]byte {
	h := sha256.New()
	h.Write([]byte("streamhive cpix kid\x00" + contentID + "\x00"))
	_ = binary.Write(h, binary.BigEndian, index)
	var kid [16]byte
	copy(kid[:], h.Sum(nil))
	kid[6] = kid[6]&0x0f | 0x80 // UUID version 8 (derived), RFC 9562
	kid[8] = kid[8]&0x3f | 0x80
	return kid
}

// UUID formats 16 bytes as a lower-case UUID.
func UUID(b [16]byte) string {
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// ParseUUID reads a UUID with or without dashes.
func ParseUUID(s string) ([16]byte, error) {
	var out [16]byte
	b, err := hex.DecodeString(strings.ReplaceAll(s, "-", ""))
	if err != nil || len(b) != 16 {
		return out, fmt.Errorf("%w: %q is not a UUID", ErrMalformed, s)
	}
	copy(out[:], b)
	return out, nil
}

func periodID(s Span) string { return fmt.Sprintf("keyperiod_%d", s.Index) }

// NewRequest is the request for a resource's keys over spans, with
// signalling for systems (drm.System* ids); with cert (DER) the server is
// asked to encrypt the content keys for that certificate's holder.
func NewRequest(contentID string, spans []Span, systems []string, cert []byte) *Document {
	d := &Document{ContentID: contentID, Version: Version}
	if len(cert) > 0 {
		d.Delivery = &DeliveryDataList{Items: []DeliveryData{{
			DeliveryKey: DeliveryKey{X509: X509Data{Certificate: base64.StdEncoding.EncodeToString(cert)}},
		}}}
	}
	if len(systems) > 0 {
		d.Systems = &DRMSystemList{}
	}
	for _, s := range spans {
		kid := UUID(KIDFor(contentID, s.Index))
		d.Keys.Items = append(d.Keys.Items, ContentKey{KID: kid})
		for _, sys := range systems {
			d.Systems.Items = append(d.Systems.Items, DRMSystem{KID: kid, SystemID: sys})
		}
		if !s.Rotating() {
			continue
		}
		if d.Periods == nil {
			d.Periods, d.Rules = &PeriodList{}, &UsageRuleList{}
		}
		d.Periods.Items = append(d.Periods.Items, Period{
			ID: periodID(s), Start: s.From.Format(time.RFC3339), End: s.Until.Format(time.RFC3339),
		})
		d.Rules.Items = append(d.Rules.Items, UsageRule{KID: kid, Filters: []PeriodFilter{{PeriodID: periodID(s)}}})
	}
	return d
}

// Keys reads the keys of spans out of a response to NewRequest: each
// span's key must be there, in clear or encrypted for r.
func Keys(d *Document, contentID string, spans []Span, r *Recipient) ([]drm.Key, error) {
	var dk *docKeys
	out := make([]drm.Key, 0, len(spans))
	for _, s := range spans {
		kid := KIDFor(contentID, s.Index)
		ck := d.key(UUID(kid))
		if ck == nil {
			return nil, fmt.Errorf("%w: no content key %s in the response", ErrMalformed, UUID(kid))
		}
		if ck.Data != nil && ck.Data.Secret.EncryptedValue != nil && dk == nil {
			if r == nil {
				return nil, fmt.Errorf("%w: content key encrypted but no certificate was sent", ErrMalformed)
			}
			var err error
			if dk, err = r.open(d); err != nil {
				return nil, err
			}
		}
		k, err := keyOf(ck, dk)
		if err != nil {
			return nil, err
		}
		k.KID, k.From, k.Until = kid, s.From, s.Until
		if k.Signals, err = d.signals(ck.KID); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, nil
}

func (d *Document) key(kid string) *ContentKey {
	for i := range d.Keys.Items {
		if strings.EqualFold(d.Keys.Items[i].KID, kid) {
			return &d.Keys.Items[i]
		}
	}
	return nil
}

func keyOf(ck *ContentKey, dk *docKeys) (drm.Key, error) {
	var k drm.Key
	if ck.Data == nil {
		return k, fmt.Errorf("%w: content key %s has no data", ErrMalformed, ck.KID)
	}
	var raw []byte
	var err error
	if ck.Data.Secret.EncryptedValue != nil {
		raw, err = dk.contentKey(&ck.Data.Secret)
	} else {
		raw, err = base64.StdEncoding.DecodeString(strings.TrimSpace(ck.Data.Secret.PlainValue))
	}
	if err != nil || len(raw) != 16 {
		return k, fmt.Errorf("%w: content key %s: want 16 bytes (%w)", ErrMalformed, ck.KID, err)
	}
	copy(k.Key[:], raw)
	if ck.ExplicitIV != "" {
		iv, err := base64.StdEncoding.DecodeString(ck.ExplicitIV)
		if err != nil || len(iv) != 16 {
			return k, fmt.Errorf("%w: content key %s: explicitIV is not 16 bytes", ErrMalformed, ck.KID)
		}
		k.IV = iv
	}
	return k, nil
}

// signals are the DRM systems' signalling for kid.
func (d *Document) signals(kid string) ([]drm.Signal, error) {
	if d.Systems == nil {
		return nil, nil
	}
	var out []drm.Signal
	for i := range d.Systems.Items {
		sys := &d.Systems.Items[i]
		if !strings.EqualFold(sys.KID, kid) {
			continue
		}
		sig, err := signalOf(sys)
		if err != nil {
			return nil, err
		}
		out = append(out, sig)
	}
	return out, nil
}

func signalOf(sys *DRMSystem) (drm.Signal, error) {
	id, err := ParseUUID(sys.SystemID)
	if err != nil {
		return drm.Signal{}, err
	}
	sig := drm.Signal{SystemID: UUID(id)}
	if sys.PSSH != "" {
		if sig.PSSH, err = decodePSSH(sys.PSSH); err != nil {
			return sig, err
		}
	}
	line, err := hlsLine(sys)
	if err != nil {
		return sig, err
	}
	sig.HLSURI, sig.HLSKeyFormat = attr(line, "URI"), attr(line, "KEYFORMAT")
	return sig, nil
}

// decodePSSH checks that the base64 holds one whole 'pssh' box.
func decodePSSH(s string) ([]byte, error) {
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil || len(b) < 32 || string(b[4:8]) != "pssh" || int(binary.BigEndian.Uint32(b)) != len(b) {
		return nil, fmt.Errorf("%w: PSSH is not one pssh box", ErrMalformed)
	}
	return b, nil
}

// hlsLine is the media playlist's EXT-X-KEY line (CPIX 2.x), or the older
// URIExtXKey's URI alone.
func hlsLine(sys *DRMSystem) (string, error) {
	for _, h := range sys.HLSSignaling {
		if h.Playlist == "" || h.Playlist == "media" {
			b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(h.Value))
			if err != nil {
				return "", fmt.Errorf("%w: HLSSignalingData: %w", ErrMalformed, err)
			}
			return string(b), nil
		}
	}
	if sys.URIExtXKey != "" {
		b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(sys.URIExtXKey))
		if err != nil {
			return "", fmt.Errorf("%w: URIExtXKey: %w", ErrMalformed, err)
		}
		return `URI="` + string(b) + `"`, nil
	}
	return "", nil
}

// attr is an EXT-X-KEY attribute's value, quotes removed.
func attr(line, name string) string {
	for rest := line; rest != ""; {
		i := strings.Index(rest, name+"=")
		if i < 0 {
			return ""
		}
		if i > 0 && rest[i-1] != ',' && rest[i-1] != ':' {
			rest = rest[i+len(name)+1:]
			continue
		}
		v := rest[i+len(name)+1:]
		if strings.HasPrefix(v, `"`) {
			if j := strings.IndexByte(v[1:], '"'); j >= 0 {
				return v[1 : j+1]
			}
			return ""
		}
		if j := strings.IndexByte(v, ','); j >= 0 {
			return v[:j]
		}
		return strings.TrimSpace(v)
	}
	return ""
}
