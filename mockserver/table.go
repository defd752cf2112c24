package mockserver

import "slices"

// table holds the records of one resource of a workspace in the order they
// were added (oldest first, ids ascending).
type table[T any] struct {
	ids  []int64
	byID map[int64]*T
}

// put adds the record id, or replaces it keeping its place.
func (t *table[T]) put(id int64, v *T) {
	if t.byID == nil {
		t.byID = map[int64]*T{}
	}
	if _, ok := t.byID[id]; !ok {
		t.ids = append(t.ids, id)
	}
	t.byID[id] = v
}

func (t *table[T]) get(id int64) *T { return t.byID[id] }

func (t *table[T]) remove(id int64) {
	if i := slices.Index(t.ids, id); i >= 0 {
		t.ids = slices.Delete(t.ids, i, i+1)
	}
	delete(t.byID, id)
}

func (t *table[T]) len() int { return len(t.ids) }

// newest returns the records that keep accepts (all when keep is nil),
// newest first.
func (t *table[T]) newest(keep func(*T) bool) []*T {
	out, _ := t.window(keep, 0, len(t.ids))
	return out
}

// window returns, newest first, at most limit of the records that keep
// accepts (all when nil) after skipping offset of them, and how many it
// accepts in all.
func (t *table[T]) window(keep func(*T) bool, offset, limit int) (out []*T, total int) {
	if keep == nil {
		total = len(t.ids)
		for i := total - 1 - offset; i >= 0 && len(out) < limit; i-- {
			out = append(out, t.byID[t.ids[i]])
		}
		return out, total
	}
	for i := len(t.ids) - 1; i >= 0; i-- {
		if v := t.byID[t.ids[i]]; keep(v) {
			if total >= offset && len(out) < limit {
				out = append(out, v)
			}
			total++
		}
	}
	return out, total
}

// find returns the first record (oldest first) that match accepts, or nil.
func (t *table[T]) find(match func(*T) bool) *T {
	for _, id := range t.ids {
		if v := t.byID[id]; match(v) {
			return v
		}
	}
	return nil
}
