package fakepolar

import (
	"net/http"
	"slices"
	"strings"
)

// sortKey compares two objects on one sort property.
type sortKey func(a, b object) int

// filterList returns the objects keep accepts, in order.
func filterList(objs []object, keep func(object) bool) []object {
	var out []object
	for _, o := range objs {
		if keep(o) {
			out = append(out, o)
		}
	}
	return out
}

// sortList sorts objs (a fresh slice) by the criteria, each a key of keys
// optionally prefixed by "-" for descending order. Ties keep fixture order.
func sortList(objs []object, criteria []string, keys map[string]sortKey) {
	slices.SortStableFunc(objs, func(a, b object) int {
		for _, c := range criteria {
			desc := strings.HasPrefix(c, "-")
			key := keys[strings.TrimPrefix(c, "-")]
			if key == nil {
				continue
			}
			n := key(a, b)
			if desc {
				n = -n
			}
			if n != 0 {
				return n
			}
		}
		return 0
	})
}

// byString orders on a string property, case-insensitively.
func byString(key string) sortKey {
	return func(a, b object) int {
		return strings.Compare(strings.ToLower(str(a, key)), strings.ToLower(str(b, key)))
	}
}

// byNested orders on a string property of an embedded object.
func byNested(obj, key string) sortKey {
	return func(a, b object) int {
		return strings.Compare(strings.ToLower(str(nested(a, obj), key)), strings.ToLower(str(nested(b, obj), key)))
	}
}

// byNumber orders on a numeric property.
func byNumber(key string) sortKey {
	return func(a, b object) int {
		x, y := number(a, key), number(b, key)
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	}
}

// byTime orders on a timestamp property; like PostgreSQL, nulls sort
// after every value in ascending order (and first in descending order).
func byTime(key string) sortKey {
	return func(a, b object) int {
		x, okx := timestamp(a, key)
		y, oky := timestamp(b, key)
		switch {
		case !okx && !oky:
			return 0
		case !okx:
			return 1
		case !oky:
			return -1
		}
		return x.Compare(y)
	}
}

// writePage answers one page of items as Polar's ListResource.
func writePage(w http.ResponseWriter, items []object, page, limit int) {
	total := len(items)
	start := min((page-1)*limit, total)
	end := min(start+limit, total)
	pageItems := items[start:end]
	if pageItems == nil {
		pageItems = []object{}
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"items": pageItems,
		"pagination": map[string]any{
			"total_count": total,
			"max_page":    (total + limit - 1) / limit,
		},
	})
}

// inSet reports whether v is in set, or set is nil (no filter).
func inSet(set []string, v string) bool {
	if set == nil {
		return true
	}
	return contains(set, strings.ToLower(v))
}

// matchesBool reports whether v equals *want, or want is nil.
func matchesBool(want *bool, v bool) bool { return want == nil || *want == v }
