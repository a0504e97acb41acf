package auth

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/oschwald/maxminddb-golang/v2"
)

// Countries maps a viewer's address to its ISO 3166-1 country code.
// Implementations are safe for concurrent use.
type Countries interface {
	// Country returns the address's country, upper case; false when the
	// database has none for it (private ranges, unknown networks).
	Country(ip netip.Addr) (string, bool)
}

// ErrGeoIP wraps a `geoip` database that cannot be used.
var ErrGeoIP = errors.New("auth: geoip database")

// maxGeoIPSize bounds the database file read into memory: MaxMind's
// country databases are a few MiB, city databases under 100 MiB.
const maxGeoIPSize = 1 << 30

// GeoDB is a MaxMind database (GeoLite2/GeoIP2 Country or City, or any
// database whose records carry country.iso_code) held in memory.
type GeoDB struct{ r *maxminddb.Reader }

// OpenGeoIP reads the database at path. A file that cannot be read, is not
// a MaxMind DB, or whose type carries no countries is an error wrapping
// ErrGeoIP: country rules that cannot work refuse the configuration.
// The last database opened is cached (path, size, modification time), so
// that validating a reload or an API write does not read it again.
func OpenGeoIP(path string) (*GeoDB, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrGeoIP, err)
	}
	key := geoKey{path: path, size: fi.Size(), mod: fi.ModTime()}
	if db := geoCache.get(key); db != nil {
		return db, nil
	}
	db, err := readGeoIP(path, fi.Size())
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrGeoIP, path, err)
	}
	geoCache.put(key, db)
	return db, nil
}

func readGeoIP(path string, size int64) (*GeoDB, error) {
	if size > maxGeoIPSize {
		return nil, fmt.Errorf("%d bytes, more than %d", size, maxGeoIPSize)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }() // read only: nothing to lose
	buf, err := io.ReadAll(io.LimitReader(f, maxGeoIPSize+1))
	if err != nil {
		return nil, err
	}
	r, err := maxminddb.OpenBytes(buf)
	if err != nil {
		return nil, err
	}
	typ := strings.ToLower(r.Metadata.DatabaseType)
	if !strings.Contains(typ, "country") && !strings.Contains(typ, "city") && !strings.Contains(typ, "enterprise") {
		return nil, fmt.Errorf("database type %q has no countries (want a Country or City database)", r.Metadata.DatabaseType)
	}
	return &GeoDB{r: r}, nil
}

// geoRecord is the part of a country or city record we read.
type geoRecord struct {
	Country struct {
		ISOCode string `maxminddb:"iso_code"`
	} `maxminddb:"country"`
	RegisteredCountry struct {
		ISOCode string `maxminddb:"iso_code"`
	} `maxminddb:"registered_country"`
}

// Country implements Countries: the record's country, else its
// registered country (MaxMind's records for anycast and satellite
// networks carry only that).
func (g *GeoDB) Country(ip netip.Addr) (string, bool) {
	if !ip.IsValid() {
		return "", false
	}
	res := g.r.Lookup(ip.Unmap())
	if !res.Found() {
		return "", false
	}
	var rec geoRecord
	if err := res.Decode(&rec); err != nil {
		return "", false
	}
	c := rec.Country.ISOCode
	if c == "" {
		c = rec.RegisteredCountry.ISOCode
	}
	if c == "" {
		return "", false
	}
	return strings.ToUpper(c), true
}

type geoKey struct {
	path string
	size int64
	mod  time.Time
}

// geoCache holds the last database opened.
var geoCache lastGeo

type lastGeo struct {
	mu  sync.Mutex
	key geoKey
	db  *GeoDB
}

func (c *lastGeo) get(k geoKey) *GeoDB {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.db != nil && c.key.path == k.path && c.key.size == k.size && c.key.mod.Equal(k.mod) {
		return c.db
	}
	return nil
}

func (c *lastGeo) put(k geoKey, db *GeoDB) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.key, c.db = k, db
}
