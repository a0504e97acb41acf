package api

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// A check of responses against shared/flussonic-openapi/flussonic.yaml
// without a YAML library: the property names and types of a component
// schema are read from the file by indentation (components/schemas/NAME
// at 4 spaces, its properties at 8, their type at 10), which is how the
// description is laid out. A response field the schema does not name, or
// of another JSON type, fails the test.

const openapiPath = "../../../shared/flussonic-openapi/flussonic.yaml"

// schemaProps returns the properties of the named component schemas
// (their union), by name, with their declared type ("" when the type
// comes from a $ref).
func schemaProps(t *testing.T, names ...string) map[string]string {
	t.Helper()
	f, err := os.Open(openapiPath)
	if os.IsNotExist(err) {
		t.Skipf("%s is not here: %v", openapiPath, err)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	want := map[string]bool{}
	for _, n := range names {
		want["    "+n+":"] = true
	}
	props := map[string]string{}
	in, prop := false, ""
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		indent := len(line) - len(strings.TrimLeft(line, " "))
		switch {
		case indent == 4 && strings.TrimSpace(line) != "":
			in, prop = want[line], ""
		case !in:
		case indent == 8 && strings.HasSuffix(line, ":"):
			prop = strings.TrimSuffix(strings.TrimSpace(line), ":")
			props[prop] = ""
		case indent == 10 && prop != "" && strings.HasPrefix(strings.TrimSpace(line), "type: "):
			props[prop] = strings.TrimPrefix(strings.TrimSpace(line), "type: ")
		}
	}
	if len(props) == 0 {
		t.Fatalf("no properties for %v in %s", names, openapiPath)
	}
	return props
}

// mustMatchSchema fails unless every field of the JSON object obj is a
// property of props with a value of its type (null allowed), and every
// name in required is present.
func mustMatchSchema(t *testing.T, what string, obj map[string]any, props map[string]string, required ...string) {
	t.Helper()
	for k, v := range obj {
		typ, ok := props[k]
		if !ok {
			t.Errorf("%s: field %q is not in the schema", what, k)
			continue
		}
		if v != nil && typ != "" && !jsonTypeIs(v, typ) {
			t.Errorf("%s: field %q = %v (%T), want %s", what, k, v, v, typ)
		}
	}
	for _, r := range required {
		if _, ok := obj[r]; !ok {
			t.Errorf("%s: required field %q missing", what, r)
		}
	}
}

func jsonTypeIs(v any, typ string) bool {
	switch x := v.(type) {
	case string:
		return typ == "string"
	case bool:
		return typ == "boolean"
	case float64:
		return typ == "number" || (typ == "integer" && x == float64(int64(x)))
	case []any:
		return typ == "array"
	case map[string]any:
		return typ == "object"
	}
	return false
}

func decodeObject(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("body %s: %v", b, err)
	}
	return m
}
