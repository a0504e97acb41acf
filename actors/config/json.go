package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"strconv"
)

// MarshalJSON writes false for a disabled timeout, else the seconds.
func (t Timeout) MarshalJSON() ([]byte, error) {
	if t.Disabled {
		return []byte("false"), nil
	}
	return strconv.AppendInt(nil, int64(t.Seconds), 10), nil
}

// UnmarshalJSON reads an integer of seconds or false. true is an error:
// the schema's boolean branch is enum [false].
func (t *Timeout) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch string(b) {
	case "false":
		*t = Timeout{Disabled: true}
		return nil
	case "null":
		return nil
	}
	n, err := strconv.Atoi(string(b))
	if err != nil {
		return fmt.Errorf("timeout: want seconds or false, got %s", b)
	}
	if n < 0 {
		return fmt.Errorf("timeout: negative seconds %d", n)
	}
	*t = Timeout{Seconds: n}
	return nil
}

// MarshalJSON writes a bare port as an integer, else "ADDR:PORT".
func (l ListenSpec) MarshalJSON() ([]byte, error) {
	if l.Address == "" {
		return strconv.AppendInt(nil, int64(l.Port), 10), nil
	}
	return json.Marshal(l.String())
}

// UnmarshalJSON reads an integer port, "PORT" or "ADDR:PORT".
func (l *ListenSpec) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		v, err := ParseListenSpec(s)
		if err != nil {
			return err
		}
		*l = v
		return nil
	}
	n, err := strconv.Atoi(string(b))
	if err != nil {
		return fmt.Errorf("listen spec: want a port or \"ADDR:PORT\", got %s", b)
	}
	*l = ListenSpec{Port: n}
	return nil
}

// String is "PORT" or "ADDR:PORT" (IPv6 addresses in brackets).
func (l ListenSpec) String() string {
	if l.Address == "" {
		return strconv.Itoa(l.Port)
	}
	return net.JoinHostPort(l.Address, strconv.Itoa(l.Port))
}

// ParseListenSpec reads "PORT" or "ADDR:PORT" ("[::1]:8080" for IPv6).
func ParseListenSpec(s string) (ListenSpec, error) {
	if n, err := strconv.Atoi(s); err == nil {
		return ListenSpec{Port: n}, nil
	}
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		return ListenSpec{}, fmt.Errorf("want PORT or ADDR:PORT, got %q", s)
	}
	n, err := strconv.Atoi(port)
	if err != nil {
		return ListenSpec{}, fmt.Errorf("want PORT or ADDR:PORT, got %q", s)
	}
	if host == "" {
		return ListenSpec{Port: n}, nil
	}
	return ListenSpec{Address: host, Port: n}, nil
}

// Listen returns the spec as a listen_config.
func (l ListenSpec) Listen() Listen { return Listen{Port: l.Port, Address: l.Address} }

// Spec returns the listen_config as a listen_spec.
func (l Listen) Spec() ListenSpec { return ListenSpec{Port: l.Port, Address: l.Address} }
