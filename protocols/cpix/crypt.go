package cpix

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec // RSA-OAEP-MGF1P is defined over SHA-1.
	"crypto/sha512"
	"crypto/x509"
	"encoding/base64"
	"fmt"
)

// Recipient is who the key server encrypts the document key for: the
// holder of a certificate's private key. The request carries the
// certificate; only this key opens the response's content keys.
type Recipient struct {
	Cert *x509.Certificate
	Key  *rsa.PrivateKey
}

// docKeys are a response's document key and MAC key, opened.
type docKeys struct {
	aes, mac []byte
}

// open finds the delivery data addressed to r and decrypts its keys.
func (r *Recipient) open(d *Document) (*docKeys, error) {
	if d.Delivery == nil {
		return nil, fmt.Errorf("%w: encrypted content keys but no delivery data", ErrMalformed)
	}
	for i := range d.Delivery.Items {
		dd := &d.Delivery.Items[i]
		der, err := base64.StdEncoding.DecodeString(dd.DeliveryKey.X509.Certificate)
		if err != nil || !bytes.Equal(der, r.Cert.Raw) {
			continue
		}
		return r.openDelivery(dd)
	}
	return nil, fmt.Errorf("%w: no delivery data for our certificate", ErrMalformed)
}

func (r *Recipient) openDelivery(dd *DeliveryData) (*docKeys, error) {
	if dd.DocumentKey == nil || dd.DocumentKey.Algorithm != AlgAES256CBC {
		return nil, fmt.Errorf("%w: document key missing or not %s", ErrMalformed, AlgAES256CBC)
	}
	if dd.MACMethod == nil || dd.MACMethod.Algorithm != AlgHMACSHA512 {
		return nil, fmt.Errorf("%w: MAC method missing or not %s", ErrMalformed, AlgHMACSHA512)
	}
	ev := dd.DocumentKey.Data.Secret.EncryptedValue
	if ev == nil {
		return nil, fmt.Errorf("%w: document key not encrypted", ErrMalformed)
	}
	aesKey, err := r.unwrap(ev)
	if err != nil || len(aesKey) != 32 {
		return nil, fmt.Errorf("%w: document key: cannot decrypt with our key", ErrMalformed)
	}
	macKey, err := r.unwrap(&dd.MACMethod.Key)
	if err != nil || len(macKey) == 0 {
		return nil, fmt.Errorf("%w: MAC key: cannot decrypt with our key", ErrMalformed)
	}
	return &docKeys{aes: aesKey, mac: macKey}, nil
}

func (r *Recipient) unwrap(ev *EncryptedValue) ([]byte, error) {
	if ev.Method.Algorithm != AlgRSAOAEP {
		return nil, fmt.Errorf("%w: key transport %q", ErrMalformed, ev.Method.Algorithm)
	}
	ct, err := base64.StdEncoding.DecodeString(ev.CipherData.Value)
	if err != nil {
		return nil, fmt.Errorf("%w: cipher value: %w", ErrMalformed, err)
	}
	return rsa.DecryptOAEP(sha1.New(), nil, r.Key, ct, nil) //nolint:gosec // see the import.
}

// contentKey decrypts an encrypted content key: AES-256-CBC with the IV
// first, after checking its HMAC-SHA512 over IV and ciphertext.
func (k *docKeys) contentKey(s *Secret) ([]byte, error) {
	ev := s.EncryptedValue
	if ev.Method.Algorithm != AlgAES256CBC {
		return nil, fmt.Errorf("%w: content key algorithm %q", ErrMalformed, ev.Method.Algorithm)
	}
	ct, err := base64.StdEncoding.DecodeString(ev.CipherData.Value)
	if err != nil || len(ct) < 2*aes.BlockSize || len(ct)%aes.BlockSize != 0 {
		return nil, fmt.Errorf("%w: content key cipher value", ErrMalformed)
	}
	mac, err := base64.StdEncoding.DecodeString(s.ValueMAC)
	if err != nil || !hmac.Equal(mac, macOf(k.mac, ct)) {
		return nil, fmt.Errorf("%w: content key MAC does not match", ErrMalformed)
	}
	block, err := aes.NewCipher(k.aes)
	if err != nil {
		return nil, err
	}
	plain := make([]byte, len(ct)-aes.BlockSize)
	cipher.NewCBCDecrypter(block, ct[:aes.BlockSize]).CryptBlocks(plain, ct[aes.BlockSize:])
	// xmlenc's padding: the last byte counts the padding bytes.
	pad := int(plain[len(plain)-1])
	if pad < 1 || pad > aes.BlockSize {
		return nil, fmt.Errorf("%w: content key padding", ErrMalformed)
	}
	return plain[:len(plain)-pad], nil
}

// macOf is CPIX's ValueMAC: HMAC-SHA512 over the whole cipher value.
func macOf(key, cipherValue []byte) []byte {
	h := hmac.New(sha512.New, key)
	h.Write(cipherValue)
	return h.Sum(nil)
}
