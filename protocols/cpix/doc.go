// Package cpix asks a key server for a protected stream's content keys in
// DASH-IF CPIX documents (Content Protection Information Exchange, the
// format SPEKE v2 and the multi-DRM vendors speak): the request names the
// resource, the key ids the packager chose and the key periods; the
// response carries each content key (in clear, or encrypted with a
// document key that only the holder of the delivery certificate's private
// key can open), and each DRM system's signalling (its 'pssh' box, its HLS
// EXT-X-KEY). Source turns that into a drm.KeySource that rotates keys,
// refreshes ahead of each rotation and fails closed when the server is
// down.
package cpix

import "encoding/xml"

// The namespaces of a CPIX document. Elements are matched by namespace, so
// a vendor's choice of prefixes does not matter.
const (
	NSCPIX = "urn:dashif:org:cpix"
	NSPSKC = "urn:ietf:params:xml:ns:keyprov:pskc"
	NSEnc  = "http://www.w3.org/2001/04/xmlenc#"
	NSDS   = "http://www.w3.org/2000/09/xmldsig#"
)

// Algorithms of the document key, its delivery and the MAC (CPIX 2.x).
const (
	AlgAES256CBC  = "http://www.w3.org/2001/04/xmlenc#aes256-cbc"
	AlgRSAOAEP    = "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p"
	AlgHMACSHA512 = "http://www.w3.org/2001/04/xmldsig-more#hmac-sha512"
)

// Version is the CPIX version the requests declare.
const Version = "2.3"

// Document is a CPIX document, request or response: the same elements
// travel both ways, the response filling in the secrets and signalling.
type Document struct {
	XMLName   xml.Name          `xml:"urn:dashif:org:cpix CPIX"`
	ContentID string            `xml:"contentId,attr,omitempty"`
	Version   string            `xml:"version,attr,omitempty"`
	Delivery  *DeliveryDataList `xml:"urn:dashif:org:cpix DeliveryDataList,omitempty"`
	Keys      ContentKeyList    `xml:"urn:dashif:org:cpix ContentKeyList"`
	Systems   *DRMSystemList    `xml:"urn:dashif:org:cpix DRMSystemList,omitempty"`
	Periods   *PeriodList       `xml:"urn:dashif:org:cpix ContentKeyPeriodList,omitempty"`
	Rules     *UsageRuleList    `xml:"urn:dashif:org:cpix ContentKeyUsageRuleList,omitempty"`
}

// DeliveryDataList holds, per recipient, the document key encrypted with
// the recipient's public key.
type DeliveryDataList struct {
	Items []DeliveryData `xml:"urn:dashif:org:cpix DeliveryData"`
}

// DeliveryData is one recipient: its certificate (in the request, to say
// "encrypt for me"), the document key and the MAC key (in the response).
type DeliveryData struct {
	DeliveryKey DeliveryKey  `xml:"urn:dashif:org:cpix DeliveryKey"`
	DocumentKey *DocumentKey `xml:"urn:dashif:org:cpix DocumentKey,omitempty"`
	MACMethod   *MACMethod   `xml:"urn:dashif:org:cpix MACMethod,omitempty"`
}

// DeliveryKey names the recipient by its X.509 certificate (DER, base64).
type DeliveryKey struct {
	X509 X509Data `xml:"http://www.w3.org/2000/09/xmldsig# X509Data"`
}

// X509Data is xmldsig's certificate container.
type X509Data struct {
	Certificate string `xml:"http://www.w3.org/2000/09/xmldsig# X509Certificate"`
}

// DocumentKey is the AES-256 key that encrypts the content keys, itself
// encrypted with the recipient's RSA key.
type DocumentKey struct {
	Algorithm string `xml:"Algorithm,attr"`
	Data      Data   `xml:"urn:dashif:org:cpix Data"`
}

// MACMethod is the HMAC that authenticates each encrypted content key; its
// key is encrypted like the document key.
type MACMethod struct {
	Algorithm string         `xml:"Algorithm,attr"`
	Key       EncryptedValue `xml:"urn:dashif:org:cpix Key"`
}

// Data wraps a PSKC secret.
type Data struct {
	Secret Secret `xml:"urn:ietf:params:xml:ns:keyprov:pskc Secret"`
}

// Secret is a key in clear (PlainValue) or encrypted (EncryptedValue and
// its ValueMAC).
type Secret struct {
	PlainValue     string          `xml:"urn:ietf:params:xml:ns:keyprov:pskc PlainValue,omitempty"`
	EncryptedValue *EncryptedValue `xml:"urn:ietf:params:xml:ns:keyprov:pskc EncryptedValue,omitempty"`
	ValueMAC       string          `xml:"urn:ietf:params:xml:ns:keyprov:pskc ValueMAC,omitempty"`
}

// EncryptedValue is xmlenc's encrypted data: the method and the cipher
// value (base64; for AES-CBC the IV comes first).
type EncryptedValue struct {
	Method     EncryptionMethod `xml:"http://www.w3.org/2001/04/xmlenc# EncryptionMethod"`
	CipherData CipherData       `xml:"http://www.w3.org/2001/04/xmlenc# CipherData"`
}

// EncryptionMethod names an xmlenc algorithm.
type EncryptionMethod struct {
	Algorithm string `xml:"Algorithm,attr"`
}

// CipherData holds the base64 cipher value.
type CipherData struct {
	Value string `xml:"http://www.w3.org/2001/04/xmlenc# CipherValue"`
}

// ContentKeyList holds the content keys.
type ContentKeyList struct {
	Items []ContentKey `xml:"urn:dashif:org:cpix ContentKey"`
}

// ContentKey is one key by its id: empty Data in a request, the secret in
// the response.
type ContentKey struct {
	KID        string `xml:"kid,attr"`
	ExplicitIV string `xml:"explicitIV,attr,omitempty"`
	Scheme     string `xml:"commonEncryptionScheme,attr,omitempty"`
	Data       *Data  `xml:"urn:dashif:org:cpix Data,omitempty"`
}

// DRMSystemList holds the DRM systems' signalling.
type DRMSystemList struct {
	Items []DRMSystem `xml:"urn:dashif:org:cpix DRMSystem"`
}

// DRMSystem is one system's signalling for one key (base64 fields).
type DRMSystem struct {
	KID                   string      `xml:"kid,attr"`
	SystemID              string      `xml:"systemId,attr"`
	PSSH                  string      `xml:"urn:dashif:org:cpix PSSH,omitempty"`
	ContentProtectionData string      `xml:"urn:dashif:org:cpix ContentProtectionData,omitempty"`
	HLSSignaling          []HLSSignal `xml:"urn:dashif:org:cpix HLSSignalingData,omitempty"`
	URIExtXKey            string      `xml:"urn:dashif:org:cpix URIExtXKey,omitempty"`
	SmoothStreaming       string      `xml:"urn:dashif:org:cpix SmoothStreamingProtectionHeaderData,omitempty"`
}

// HLSSignal is an EXT-X-KEY (or EXT-X-SESSION-KEY) line, base64, for the
// media or the multivariant playlist.
type HLSSignal struct {
	Playlist string `xml:"playlist,attr,omitempty"`
	Value    string `xml:",chardata"`
}

// PeriodList holds the key periods of a rotating key.
type PeriodList struct {
	Items []Period `xml:"urn:dashif:org:cpix ContentKeyPeriod"`
}

// Period is a crypto period: an id the usage rules refer to and its
// wall-clock bounds (RFC 3339).
type Period struct {
	ID    string `xml:"id,attr"`
	Index string `xml:"index,attr,omitempty"`
	Start string `xml:"start,attr,omitempty"`
	End   string `xml:"end,attr,omitempty"`
}

// UsageRuleList holds the rules binding keys to periods.
type UsageRuleList struct {
	Items []UsageRule `xml:"urn:dashif:org:cpix ContentKeyUsageRule"`
}

// UsageRule says which key protects which period.
type UsageRule struct {
	KID     string         `xml:"kid,attr"`
	Filters []PeriodFilter `xml:"urn:dashif:org:cpix KeyPeriodFilter"`
}

// PeriodFilter names a period by its id.
type PeriodFilter struct {
	PeriodID string `xml:"periodId,attr"`
}
