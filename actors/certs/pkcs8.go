package certs

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"hash"
)

// An encrypted PKCS#8 key (RFC 5958 EncryptedPrivateKeyInfo) with PBES2
// (RFC 8018 §6.2): a PBKDF2 key derivation and a CBC cipher. These are what
// OpenSSL writes by default; scrypt and the PKCS#12 PBE schemes are not
// read.

// maxIterations bounds PBKDF2's iteration count, read from the file:
// OpenSSL writes 2048, current advice is some 600,000; ten million would
// stall a start for seconds.
const maxIterations = 10_000_000

var (
	oidPBES2      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}
	oidPBKDF2     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}
	oidHMACSHA1   = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 7}
	oidHMACSHA224 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 8}
	oidHMACSHA256 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 9}
	oidHMACSHA384 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 10}
	oidHMACSHA512 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 11}
	oidDESEDE3CBC = asn1.ObjectIdentifier{1, 2, 840, 113549, 3, 7}
	oidAES128CBC  = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 2}
	oidAES192CBC  = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 22}
	oidAES256CBC  = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 42}
)

type encryptedPrivateKeyInfo struct {
	Algorithm pkix.AlgorithmIdentifier
	Data      []byte
}

type pbes2Params struct {
	KDF    pkix.AlgorithmIdentifier
	Cipher pkix.AlgorithmIdentifier
}

type pbkdf2Params struct {
	Salt       []byte // the "specified" choice; otherSource is not used
	Iterations int
	KeyLength  int                      `asn1:"optional"`
	PRF        pkix.AlgorithmIdentifier `asn1:"optional"`
}

// pbes2Key is a parsed encrypted key: everything decryption needs.
type pbes2Key struct {
	salt       []byte
	iterations int
	prf        func() hash.Hash
	keyLen     int
	block      func(key []byte) (cipher.Block, error)
	iv         []byte
	data       []byte
}

// cbcCiphers are the PBES2 encryption schemes read, by OID.
var cbcCiphers = map[string]struct {
	keyLen int
	block  func(key []byte) (cipher.Block, error)
}{
	oidDESEDE3CBC.String(): {24, des.NewTripleDESCipher},
	oidAES128CBC.String():  {16, aes.NewCipher},
	oidAES192CBC.String():  {24, aes.NewCipher},
	oidAES256CBC.String():  {32, aes.NewCipher},
}

var prfs = map[string]func() hash.Hash{
	oidHMACSHA1.String():   sha1.New,
	oidHMACSHA224.String(): sha256.New224,
	oidHMACSHA256.String(): sha256.New,
	oidHMACSHA384.String(): sha512.New384,
	oidHMACSHA512.String(): sha512.New,
}

// parsePBES2 reads an EncryptedPrivateKeyInfo and checks every field
// before anything is derived or decrypted.
func parsePBES2(der []byte) (*pbes2Key, error) {
	var info encryptedPrivateKeyInfo
	if err := unmarshalAll(der, &info); err != nil {
		return nil, fmt.Errorf("encrypted key: %w", err)
	}
	if !info.Algorithm.Algorithm.Equal(oidPBES2) {
		return nil, fmt.Errorf("encrypted key: scheme %v is not read; re-encrypt with PBES2 (openssl's default)", info.Algorithm.Algorithm)
	}
	var params pbes2Params
	if err := unmarshalAll(info.Algorithm.Parameters.FullBytes, &params); err != nil {
		return nil, fmt.Errorf("encrypted key: PBES2 parameters: %w", err)
	}
	if !params.KDF.Algorithm.Equal(oidPBKDF2) {
		return nil, fmt.Errorf("encrypted key: key derivation %v is not read; PBKDF2 is", params.KDF.Algorithm)
	}
	var kdf pbkdf2Params
	if err := unmarshalAll(params.KDF.Parameters.FullBytes, &kdf); err != nil {
		return nil, fmt.Errorf("encrypted key: PBKDF2 parameters: %w", err)
	}
	k := &pbes2Key{salt: kdf.Salt, iterations: kdf.Iterations, prf: sha1.New, data: info.Data}
	if kdf.Iterations < 1 || kdf.Iterations > maxIterations {
		return nil, fmt.Errorf("encrypted key: %d PBKDF2 iterations, want 1..%d", kdf.Iterations, maxIterations)
	}
	if len(kdf.PRF.Algorithm) > 0 { // absent: hmacWithSHA1, the default
		if k.prf = prfs[kdf.PRF.Algorithm.String()]; k.prf == nil {
			return nil, fmt.Errorf("encrypted key: PBKDF2 function %v is not read", kdf.PRF.Algorithm)
		}
	}
	c, ok := cbcCiphers[params.Cipher.Algorithm.String()]
	if !ok {
		return nil, fmt.Errorf("encrypted key: cipher %v is not read; AES-CBC and DES-EDE3-CBC are", params.Cipher.Algorithm)
	}
	if kdf.KeyLength != 0 && kdf.KeyLength != c.keyLen {
		return nil, fmt.Errorf("encrypted key: key length %d does not fit its cipher (%d)", kdf.KeyLength, c.keyLen)
	}
	k.keyLen, k.block = c.keyLen, c.block
	if err := unmarshalAll(params.Cipher.Parameters.FullBytes, &k.iv); err != nil {
		return nil, fmt.Errorf("encrypted key: cipher IV: %w", err)
	}
	return k, nil
}

// decrypt derives the key from password and returns the PKCS#8 DER. A
// wrong password almost always shows as bad padding.
func (k *pbes2Key) decrypt(password string) ([]byte, error) {
	key, err := pbkdf2.Key(k.prf, password, k.salt, k.iterations, k.keyLen)
	if err != nil {
		return nil, fmt.Errorf("encrypted key: %w", err)
	}
	block, err := k.block(key)
	if err != nil {
		return nil, fmt.Errorf("encrypted key: %w", err)
	}
	bs := block.BlockSize()
	if len(k.iv) != bs || len(k.data) == 0 || len(k.data)%bs != 0 {
		return nil, errors.New("encrypted key: IV or data do not fit the cipher's block size")
	}
	out := make([]byte, len(k.data))
	cipher.NewCBCDecrypter(block, k.iv).CryptBlocks(out, k.data)
	return unpad(out, bs, password)
}

// unpad removes PKCS#7 padding, checking every pad byte.
func unpad(b []byte, bs int, password string) ([]byte, error) {
	n := int(b[len(b)-1])
	bad := n == 0 || n > bs
	for i := 0; !bad && i < n; i++ {
		bad = b[len(b)-1-i] != byte(n)
	}
	if bad {
		return nil, fmt.Errorf("encrypted key: cannot decrypt it with the password %q", password)
	}
	return b[:len(b)-n], nil
}

// decryptPKCS8 returns the PKCS#8 DER of an encrypted key.
func decryptPKCS8(der []byte, password string) ([]byte, error) {
	k, err := parsePBES2(der)
	if err != nil {
		return nil, err
	}
	return k.decrypt(password)
}

func unmarshalAll(der []byte, v any) error {
	rest, err := asn1.Unmarshal(der, v)
	if err != nil {
		return err
	}
	if len(rest) != 0 {
		return errors.New("trailing data")
	}
	return nil
}
