package api

import (
	"fmt"
	"reflect"
	"slices"
	"sort"
)

// statsFunc returns a stream's live stats, or nil.
type statsFunc func(name string) *StreamStats

// idleStats stands in for the stats of a configured stream that is not
// running, so every listed stream carries stats (alive false) and
// `stats.alive=false` finds the stopped ones. Never modified.
var idleStats = &StreamStats{}

// page is the result of a list request.
type page struct {
	items      []cand
	total      int    // items matching the filters, over all pages
	next, prev string // cursors; "" for none
}

// list runs q over the collection: filter, sort, then cut the page the
// cursor names. With no filter, search or sort it reads the precomputed
// default order and touches only the page's items.
func (c *collection) list(q *listQuery, stats statsFunc) (page, error) {
	order := q.sort
	if order == nil {
		order = c.defaultSort
	}
	var cands []cand
	if len(q.filters) == 0 && q.q == "" && q.sort == nil {
		cands = c.defaultOrder()
	} else {
		cands = c.match(q, stats)
		slab := make([]scalar, 0, len(cands)*(len(order)+1))
		for i := range cands {
			n := len(slab)
			slab = c.keysOf(&cands[i], order, slab)
			cands[i].keys = slab[n:len(slab):len(slab)]
		}
		slices.SortFunc(cands, func(a, b cand) int { return compareKeys(a.keys, b.keys, order) })
	}
	start, end := 0, min(q.limit, len(cands))
	if cur := q.cursor; cur != nil {
		if len(cur.keys) != len(order)+1 {
			return page{}, fmt.Errorf("%w: the cursor was made for another sort", ErrBadRequest)
		}
		at := sort.Search(len(cands), func(i int) bool {
			c := compareKeys(cands[i].keys, cur.keys, order)
			return c > 0 || (cur.before && c == 0)
		})
		if cur.before {
			start, end = max(0, at-q.limit), at
		} else {
			start, end = at, min(at+q.limit, len(cands))
		}
	}
	if q.offset > 0 && (q.cursor == nil || !q.cursor.before) {
		start = min(start+q.offset, len(cands))
		end = min(start+q.limit, len(cands))
	}
	p := page{items: slices.Clone(cands[start:end]), total: len(cands)}
	if end > start {
		if end < len(cands) {
			p.next = encodeCursor(false, cands[end-1].keys)
		}
		if start > 0 {
			p.prev = encodeCursor(true, cands[start].keys)
		}
	}
	if c.stats {
		for i := range p.items {
			if p.items[i].stats == nil {
				p.items[i].stats = liveStats(stats, p.items[i].e.name)
			}
		}
	}
	return p, nil
}

// match returns fresh cands of the entries that pass the search and the
// filters, in config order, with stats filled when a filter or the sort
// reads them.
func (c *collection) match(q *listQuery, stats statsFunc) []cand {
	needStats := c.stats && (readsStats(q.sort) || slices.ContainsFunc(q.filters, func(f filter) bool {
		return len(f.path) > 0 && f.path[0] == "stats"
	}))
	out := make([]cand, 0, len(c.entries))
	for _, e := range c.entries {
		x := cand{e: e}
		if needStats {
			x.stats = liveStats(stats, e.name)
		}
		if q.q != "" && !c.searchHit(&x, q.q) {
			continue
		}
		if !c.filtersPass(&x, q.filters) {
			continue
		}
		out = append(out, x)
	}
	return out
}

func (c *collection) filtersPass(x *cand, fs []filter) bool {
	for i := range fs {
		v, p := c.root(x, fs[i].path)
		if !fs[i].matchesAt(v, p) {
			return false
		}
	}
	return true
}

// searchHit reports whether q occurs, ignoring case, in any searched field.
func (c *collection) searchHit(x *cand, q string) bool {
	hit := false
	for _, path := range c.search {
		v, p := c.root(x, path)
		visit(v, p, func(f reflect.Value) {
			if !hit && f.IsValid() && f.Kind() == reflect.String && containsFold(f.String(), q) {
				hit = true
			}
		})
		if hit {
			return true
		}
	}
	return false
}

func readsStats(keys []sortKey) bool {
	return slices.ContainsFunc(keys, func(k sortKey) bool { return k.path[0] == "stats" })
}

func liveStats(stats statsFunc, name string) *StreamStats {
	if st := stats(name); st != nil {
		return st
	}
	return idleStats
}
