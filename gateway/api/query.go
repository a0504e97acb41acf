package api

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/valyala/fasthttp"
)

// defaultLimit is the schema's default page size for lists.
const defaultLimit = 100

// listQuery is a parsed list request (streams_list, templates_list,
// dvrs_list). It holds copies, never bytes of the request.
type listQuery struct {
	limit   int
	offset  int        // items skipped where the page starts; the schema pages by cursor, scripts may still send it
	cursor  *cursor    // nil for the first page
	sel     []*selNode // nil: whole items
	sort    []sortKey  // nil: the collection's default order
	q       string     // search pattern; "" for none
	filters []filter
}

// sortKey is one key of `sort=-stats.bitrate,name`.
type sortKey struct {
	path []string
	desc bool
}

// parseListQuery reads the list parameters; every other parameter is a
// field filter (filter.go).
func parseListQuery(args *fasthttp.Args) (*listQuery, error) {
	q := &listQuery{limit: defaultLimit}
	var err error
	for k, v := range args.All() {
		key, val := string(k), string(v)
		switch key {
		case "limit":
			q.limit, err = strconv.Atoi(val)
			if err != nil || q.limit < 0 {
				return nil, fmt.Errorf("%w: limit %q is not a count", ErrBadRequest, val)
			}
		case "offset":
			q.offset, err = strconv.Atoi(val)
			if err != nil || q.offset < 0 {
				return nil, fmt.Errorf("%w: offset %q is not a count", ErrBadRequest, val)
			}
		case "cursor":
			if val != "" {
				if q.cursor, err = decodeCursor(val); err != nil {
					return nil, err
				}
			}
		case "select":
			q.sel = parseSelect(val)
		case "sort":
			q.sort = parseSort(val)
		case "q":
			q.q = val
		case "format":
			if val != "" && val != "json" {
				return nil, fmt.Errorf("%w: format %q is not served; only JSON is", ErrBadRequest, val)
			}
		default:
			q.filters = append(q.filters, newFilter(key, val))
		}
	}
	return q, nil
}

func parseSort(s string) []sortKey {
	var keys []sortKey
	for f := range strings.SplitSeq(s, ",") {
		f = strings.TrimSpace(f)
		k := sortKey{}
		if rest, ok := strings.CutPrefix(f, "-"); ok {
			f, k.desc = rest, true
		} else {
			f = strings.TrimPrefix(f, "+")
		}
		if k.path = splitPath(f); len(k.path) > 0 {
			keys = append(keys, k)
		}
	}
	return keys
}
