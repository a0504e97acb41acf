package auth

import (
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"streamhive/actors/auth/authtest"
)

func TestGeoDBCountry(t *testing.T) {
	db := testCountries(t)
	cases := map[string]string{
		"198.51.100.9": "US", "::ffff:203.0.113.4": "GB", "192.0.2.77": "DE", "10.0.0.1": "", "2001:db8::1": "",
	}
	for ip, want := range cases {
		got, ok := db.Country(netip.MustParseAddr(ip))
		if got != want || ok != (want != "") {
			t.Errorf("%s: %q %v, want %q", ip, got, ok, want)
		}
	}
	if _, ok := db.Country(netip.Addr{}); ok {
		t.Error("the zero address has a country")
	}
}

func TestOpenGeoIPRefusesWhatIsNotADatabase(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.mmdb")
	if err := os.WriteFile(junk, []byte("not a maxmind database"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{filepath.Join(dir, "missing.mmdb"), junk, dir} {
		if _, err := OpenGeoIP(p); !errors.Is(err, ErrGeoIP) {
			t.Errorf("%s: err %v, want ErrGeoIP", p, err)
		}
	}
	if _, err := OpenGeoIP(authtest.CountryDB(t, nil)); err != nil {
		t.Errorf("an empty country database: %v", err)
	}
}
