package cpixtest

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec // RSA-OAEP-MGF1P is defined over SHA-1.
	"crypto/sha512"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"

	"streamhive/media/drm"
	"streamhive/protocols/cpix"
)

var b64 = base64.StdEncoding.EncodeToString

// answer fills the request in: each key's secret, each system's signalling.
func (s *Server) answer(req *cpix.Document) ([]byte, error) {
	d := *req
	var seal *sealer
	if req.Delivery != nil && len(req.Delivery.Items) > 0 {
		var err error
		if seal, err = newSealer(&req.Delivery.Items[0]); err != nil {
			return nil, err
		}
		d.Delivery = &cpix.DeliveryDataList{Items: []cpix.DeliveryData{seal.delivery}}
	}
	d.Keys.Items = make([]cpix.ContentKey, len(req.Keys.Items))
	for i, ck := range req.Keys.Items {
		kid, _ := cpix.ParseUUID(ck.KID)
		key := s.KeyFor(req.ContentID, kid)
		secret := cpix.Secret{PlainValue: b64(key[:])}
		if seal != nil {
			secret = seal.secret(key[:])
		}
		ck.Data = &cpix.Data{Secret: secret}
		d.Keys.Items[i] = ck
	}
	if req.Systems != nil {
		d.Systems = &cpix.DRMSystemList{}
		for _, sys := range req.Systems.Items {
			d.Systems.Items = append(d.Systems.Items, signal(sys))
		}
	}
	return d.Marshal()
}

// signal is a system's signalling: a version 1 'pssh' box naming the key,
// and for FairPlay and Widevine the EXT-X-KEY line of a media playlist.
func signal(sys cpix.DRMSystem) cpix.DRMSystem {
	kid, _ := cpix.ParseUUID(sys.KID)
	id, _ := cpix.ParseUUID(sys.SystemID)
	pssh := PSSH(id, kid)
	sys.PSSH = b64(pssh)
	switch cpix.UUID(id) {
	case drm.SystemFairPlay:
		line := fmt.Sprintf(`#EXT-X-KEY:METHOD=SAMPLE-AES,URI="skd://%s",KEYFORMAT="com.apple.streamingkeydelivery",KEYFORMATVERSIONS="1"`, hex.EncodeToString(kid[:]))
		sys.HLSSignaling = []cpix.HLSSignal{{Playlist: "media", Value: b64([]byte(line))}}
	case drm.SystemWidevine:
		line := fmt.Sprintf(`#EXT-X-KEY:METHOD=SAMPLE-AES,URI="data:text/plain;base64,%s",KEYFORMAT="urn:uuid:%s",KEYFORMATVERSIONS="1"`, b64(pssh), drm.SystemWidevine)
		sys.HLSSignaling = []cpix.HLSSignal{{Playlist: "media", Value: b64([]byte(line))}}
	}
	return sys
}

// PSSH is a version 1 'pssh' box of system id naming kid, with no data.
func PSSH(system, kid [16]byte) []byte {
	var b bytes.Buffer
	_ = binary.Write(&b, binary.BigEndian, uint32(52))
	b.WriteString("pssh")
	b.Write([]byte{1, 0, 0, 0})
	b.Write(system[:])
	_ = binary.Write(&b, binary.BigEndian, uint32(1))
	b.Write(kid[:])
	_ = binary.Write(&b, binary.BigEndian, uint32(0))
	return b.Bytes()
}

// sealer encrypts content keys with a fresh document key, itself
// encrypted for the request's certificate, as the CPIX spec lays out.
type sealer struct {
	docKey, macKey []byte
	delivery       cpix.DeliveryData
}

func newSealer(dd *cpix.DeliveryData) (*sealer, error) {
	der, _ := base64.StdEncoding.DecodeString(dd.DeliveryKey.X509.Certificate)
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	pub, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("delivery certificate: want an RSA key")
	}
	s := &sealer{docKey: random(32), macKey: random(64)}
	wrap := func(k []byte) (cpix.EncryptedValue, error) {
		ct, err := rsa.EncryptOAEP(sha1.New(), rand.Reader, pub, k, nil) //nolint:gosec // see the import.
		return cpix.EncryptedValue{
			Method:     cpix.EncryptionMethod{Algorithm: cpix.AlgRSAOAEP},
			CipherData: cpix.CipherData{Value: b64(ct)},
		}, err
	}
	doc, err := wrap(s.docKey)
	if err != nil {
		return nil, err
	}
	mac, err := wrap(s.macKey)
	if err != nil {
		return nil, err
	}
	s.delivery = cpix.DeliveryData{
		DeliveryKey: dd.DeliveryKey,
		DocumentKey: &cpix.DocumentKey{Algorithm: cpix.AlgAES256CBC, Data: cpix.Data{Secret: cpix.Secret{EncryptedValue: &doc}}},
		MACMethod:   &cpix.MACMethod{Algorithm: cpix.AlgHMACSHA512, Key: mac},
	}
	return s, nil
}

// secret is key encrypted with AES-256-CBC (IV first, padded to a block)
// and its HMAC-SHA512.
func (s *sealer) secret(key []byte) cpix.Secret {
	block, _ := aes.NewCipher(s.docKey)
	pad := aes.BlockSize - len(key)%aes.BlockSize
	plain := append(append([]byte(nil), key...), bytes.Repeat([]byte{byte(pad)}, pad)...)
	ct := random(aes.BlockSize)
	out := make([]byte, len(plain))
	cipher.NewCBCEncrypter(block, ct).CryptBlocks(out, plain)
	ct = append(ct, out...)
	h := hmac.New(sha512.New, s.macKey)
	h.Write(ct)
	return cpix.Secret{
		EncryptedValue: &cpix.EncryptedValue{
			Method:     cpix.EncryptionMethod{Algorithm: cpix.AlgAES256CBC},
			CipherData: cpix.CipherData{Value: b64(ct)},
		},
		ValueMAC: b64(h.Sum(nil)),
	}
}

func random(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}
