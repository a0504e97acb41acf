package config

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Units of the config file. The model holds the API's units: seconds for
// durations, bytes for sizes, bits per second for bitrates, milliseconds
// for segment_duration.

var errRange = errors.New("value out of range")

// durationUnits are the suffixes of a duration, in seconds.
var durationUnits = []struct {
	suffix string
	secs   int64
}{{"d", 86400}, {"h", 3600}, {"m", 60}, {"s", 1}}

// ParseDuration reads a duration in seconds: "30", "30s", "5m", "2h", "7d".
func ParseDuration(s string) (int, error) {
	for _, u := range durationUnits {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			return scaled(num, u.secs, "duration", s)
		}
	}
	return scaled(s, 1, "duration", s)
}

// FormatDuration writes seconds in the largest unit that is exact: 7d, 2h,
// 5m, else a bare number of seconds.
func FormatDuration(secs int) string {
	if secs != 0 {
		for _, u := range durationUnits[:3] {
			if int64(secs)%u.secs == 0 {
				return strconv.FormatInt(int64(secs)/u.secs, 10) + u.suffix
			}
		}
	}
	return strconv.Itoa(secs)
}

// sizeUnits are the suffixes of a size, binary multiples as disk tools use.
var sizeUnits = []struct {
	suffix string
	bytes  int64
}{{"T", 1 << 40}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}}

// ParseSize reads a size in bytes: "1T", "10G", "500M", "64K" (binary
// multiples, either case), or a bare number of bytes.
func ParseSize(s string) (int64, error) {
	up := strings.ToUpper(s)
	for _, u := range sizeUnits {
		if num, ok := strings.CutSuffix(up, u.suffix); ok {
			n, err := scaled(num, u.bytes, "size", s)
			return int64(n), err
		}
	}
	n, err := scaled(s, 1, "size", s)
	return int64(n), err
}

// FormatSize writes bytes in the largest exact unit: 10G, 500M.
func FormatSize(n int64) string {
	if n != 0 {
		for _, u := range sizeUnits {
			if n%u.bytes == 0 {
				return strconv.FormatInt(n/u.bytes, 10) + u.suffix
			}
		}
	}
	return strconv.FormatInt(n, 10)
}

// ParseBitrate reads a bitrate in bits per second: "4000k", "4m" (decimal
// multiples, either case) or a bare number of bits per second.
func ParseBitrate(s string) (int, error) {
	switch {
	case strings.HasSuffix(s, "k"), strings.HasSuffix(s, "K"):
		return scaled(s[:len(s)-1], 1000, "bitrate", s)
	case strings.HasSuffix(s, "m"), strings.HasSuffix(s, "M"):
		return scaled(s[:len(s)-1], 1000_000, "bitrate", s)
	}
	return scaled(s, 1, "bitrate", s)
}

// FormatBitrate writes bits per second as "4000k" when it is whole kilobits.
func FormatBitrate(bps int) string {
	if bps != 0 && bps%1000 == 0 {
		return strconv.Itoa(bps/1000) + "k"
	}
	return strconv.Itoa(bps)
}

// ParsePercent reads "80" or "80%".
func ParsePercent(s string) (int, error) {
	return scaled(strings.TrimSuffix(s, "%"), 1, "percentage", s)
}

// parseSeconds reads a decimal number of seconds ("4", "1.5") into
// milliseconds, the unit of segment_duration in the API.
func parseSeconds(s string) (int, error) {
	whole, frac, hasFrac := strings.Cut(s, ".")
	if hasFrac && (len(frac) == 0 || len(frac) > 3 || !allDigits(frac)) {
		return 0, fmt.Errorf("bad number of seconds %q: want at most 3 decimals", s)
	}
	ms, err := scaled(whole, 1000, "seconds", s)
	if err != nil {
		return 0, err
	}
	if hasFrac {
		f, _ := strconv.Atoi((frac + "00")[:3])
		if ms > math.MaxInt64-f {
			return 0, fmt.Errorf("seconds %q: %w", s, errRange)
		}
		ms += f
	}
	return ms, nil
}

// formatSeconds writes milliseconds as decimal seconds.
func formatSeconds(ms int) string {
	s := strconv.Itoa(ms / 1000)
	if f := ms % 1000; f != 0 {
		s += strings.TrimRight(fmt.Sprintf(".%03d", f), "0")
	}
	return s
}

// scaled reads the unsigned decimal integer num times mul, rejecting
// results that overflow int64. (The model's int fields are 64 bits on the
// platforms we build for.)
func scaled(num string, mul int64, what, orig string) (int, error) {
	if num == "" || !allDigits(num) {
		return 0, fmt.Errorf("bad %s %q", what, orig)
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n > math.MaxInt64/mul {
		return 0, fmt.Errorf("%s %q: %w", what, orig, errRange)
	}
	return int(n * mul), nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// parseInt reads a decimal integer, optionally signed.
func parseInt(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("bad number %q", s)
	}
	return n, nil
}
