package mockserver

import (
	"net/http"
)

// resource gives a record type the operations of the contract (§5.1,
// §5.2, §5.4): list, show and delete always; create (201) and update by
// PUT when it has a save function (create only with createOnly).
type resource[T any] struct {
	path   string // below the workspace root, and the ability's prefix
	noun   string // in messages: "<noun> created successfully", "<noun> not found"
	model  string // webhook model; "" sends no webhooks
	table  func(*Workspace) *table[T]
	id     func(*T) int64
	filter func(r *request) func(*T) bool // list filters; nil: none
	// save validates the form and returns the new record (old is nil) or
	// the updated copy of old, or the error to answer; nil: read and
	// delete only.
	save       func(s *Server, ws *Workspace, r *request, f *form, old *T) (*T, *response)
	createOnly bool // no update route
	// guard returns why the record may not be deleted, or ""; nil: none.
	guard func(ws *Workspace, v *T) string
}

func (rs resource[T]) routes() []route {
	item := rs.path + "/{id}"
	rts := []route{{method: "GET", pattern: rs.path, ability: rs.path + ".read", handler: rs.list}}
	if rs.save != nil {
		rts = append(rts, route{method: "POST", pattern: rs.path, ability: rs.path + ".create", handler: rs.create})
	}
	rts = append(rts, route{method: "GET", pattern: item, ability: rs.path + ".read", handler: rs.show})
	if rs.save != nil && !rs.createOnly {
		rts = append(rts, route{method: "PUT", pattern: item, ability: rs.path + ".update", handler: rs.update})
	}
	return append(rts, route{method: "DELETE", pattern: item, ability: rs.path + ".delete", handler: rs.delete})
}

func (rs resource[T]) list(_ *Server, ws *Workspace, r *request) response {
	var keep func(*T) bool
	if rs.filter != nil {
		keep = rs.filter(r)
	}
	return listTable(r, rs.path, rs.table(ws), keep)
}

// find returns the record of the {id} parameter, or the 404 to answer.
func (rs resource[T]) find(ws *Workspace, r *request) (*T, *response) {
	id, ok := r.id()
	if v := rs.table(ws).get(id); ok && v != nil {
		return v, nil
	}
	res := failure(http.StatusNotFound, rs.noun+" not found")
	return nil, &res
}

func (rs resource[T]) show(_ *Server, ws *Workspace, r *request) response {
	v, res := rs.find(ws, r)
	if res != nil {
		return *res
	}
	return ok(v)
}

func (rs resource[T]) create(s *Server, ws *Workspace, r *request) response {
	return rs.write(s, ws, r, nil, http.StatusCreated, "created")
}

func (rs resource[T]) update(s *Server, ws *Workspace, r *request) response {
	old, res := rs.find(ws, r)
	if res != nil {
		return *res
	}
	return rs.write(s, ws, r, old, http.StatusOK, "updated")
}

// write validates the body, stores the record and sends the webhook.
func (rs resource[T]) write(s *Server, ws *Workspace, r *request, old *T, status int, event string) response {
	fields, res := r.jsonBody()
	if res != nil {
		return *res
	}
	// The webhook's original is old as it was before save ran: save may
	// change stored records (a new default status clears the others').
	var original any
	if old != nil {
		o := *old
		original = &o
	}
	v, res := rs.save(s, ws, r, newForm(fields), old)
	if res != nil {
		return *res
	}
	rs.table(ws).put(rs.id(v), v)
	if rs.model != "" {
		s.emitRecord(ws, event, rs.model, rs.id(v), v, original)
	}
	return written(status, rs.noun+" "+event+" successfully", v)
}

func (rs resource[T]) delete(s *Server, ws *Workspace, r *request) response {
	v, res := rs.find(ws, r)
	if res != nil {
		return *res
	}
	if rs.guard != nil {
		if msg := rs.guard(ws, v); msg != "" {
			return failure(http.StatusBadRequest, msg)
		}
	}
	rs.table(ws).remove(rs.id(v))
	if rs.model != "" {
		s.emitRecord(ws, "deleted", rs.model, rs.id(v), v, nil)
	}
	return written(http.StatusOK, rs.noun+" deleted successfully", nil)
}
