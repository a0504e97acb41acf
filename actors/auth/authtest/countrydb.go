package authtest

import (
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"
)

// CountryDB writes a MaxMind country database (the GeoLite2-Country
// layout: country.iso_code) that maps each network of networks (CIDR:
// "198.51.100.0/24", "2001:db8::/32"; reserved ranges such as 10.0.0.0/8
// and 127.0.0.0/8 are allowed) to its ISO 3166-1 country code, and
// returns its path, for `geoip PATH;`. Addresses outside every network
// have no country. The file lives in t.TempDir().
func CountryDB(t testing.TB, networks map[string]string) string {
	t.Helper()
	tree, err := mmdbwriter.New(mmdbwriter.Options{
		DatabaseType:            "GeoLite2-Country",
		IncludeReservedNetworks: true,
		RecordSize:              24,
	})
	if err != nil {
		t.Fatalf("authtest: mmdb writer: %v", err)
	}
	for cidr, country := range networks {
		_, network, err := net.ParseCIDR(cidr)
		if err != nil {
			t.Fatalf("authtest: network %q: %v", cidr, err)
		}
		rec := mmdbtype.Map{"country": mmdbtype.Map{"iso_code": mmdbtype.String(country)}}
		if err := tree.Insert(network, rec); err != nil {
			t.Fatalf("authtest: insert %q: %v", cidr, err)
		}
	}
	path := filepath.Join(t.TempDir(), "countries.mmdb")
	f, err := os.Create(path)
	if err != nil {
		t.Fatalf("authtest: %v", err)
	}
	if _, err := tree.WriteTo(f); err != nil {
		t.Fatalf("authtest: writing %s: %v", path, err)
	}
	if err := f.Close(); err != nil {
		t.Fatalf("authtest: %v", err)
	}
	return path
}
