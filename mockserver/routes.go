package mockserver

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// route is one endpoint below /api/v1/{subdomain}/ (or, for admin routes,
// below /_mock/).
//
// How to add an API route: append a route to the slice returned by
// apiRoutes (or messagingRoutes): its method, its pattern relative to the
// workspace root with {name} for a path parameter (read it with
// r.param("name"), or r.id() for {id}), the ability the token must hold, and
// a handler. The framework has already matched the route, answered 404/405,
// run the auth chain (§2) and the rate limit (§3), and read the body (at most
// maxJSONBody bytes; decode it with r.jsonBody()). The handler runs with
// ws.mu held, so it may read and change the workspace freely; it returns a
// response built with ok, written, failure, validationFailed or listTable.
// To send a webhook, call s.emit (it never blocks).
//
// A raw route gets its body unread (r.Body streams it) and runs WITHOUT
// ws.mu held: it must lock ws.mu itself around any access to workspace
// state, set r.now = s.Now() once it holds the lock (so that timestamps
// agree with the order of ids and list positions), and call res.encode()
// before unlocking when the body points into the workspace. Use it for uploads, whose bodies are too large to buffer.
type route struct {
	method  string
	pattern string
	ability string
	raw     bool
	handler func(s *Server, ws *Workspace, r *request) response
}

// routeTable is a list of routes with their patterns split into segments.
type routeTable struct {
	routes []route
	segs   [][]string
}

func newRouteTable(routes ...[]route) *routeTable {
	t := &routeTable{}
	for _, rs := range routes {
		for _, rt := range rs {
			t.routes = append(t.routes, rt)
			t.segs = append(t.segs, strings.Split(rt.pattern, "/"))
		}
	}
	return t
}

// match finds the route for method and the escaped path segments; HEAD
// finds the GET route (the caller sends no body). When the path matches but
// not the method, rt is nil and allow lists the methods the path takes
// (HEAD with GET); when nothing matches, both are empty.
func (t *routeTable) match(method string, segs []string) (rt *route, params map[string]string, allow []string) {
	for i, pat := range t.segs {
		p, ok := matchSegments(pat, segs)
		if !ok {
			continue
		}
		m := t.routes[i].method
		if m == method || m == http.MethodGet && method == http.MethodHead {
			return &t.routes[i], p, nil
		}
		if !slices.Contains(allow, m) {
			allow = append(allow, m)
		}
		if m == http.MethodGet && !slices.Contains(allow, http.MethodHead) {
			allow = append(allow, http.MethodHead)
		}
	}
	return nil, nil, allow
}

func matchSegments(pat, segs []string) (map[string]string, bool) {
	if len(pat) != len(segs) {
		return nil, false
	}
	var params map[string]string
	for i, p := range pat {
		if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}") {
			v, err := url.PathUnescape(segs[i])
			if err != nil || v == "" {
				return nil, false
			}
			if params == nil {
				params = map[string]string{}
			}
			params[p[1:len(p)-1]] = v
			continue
		}
		if segs[i] != p {
			return nil, false
		}
	}
	return params, true
}

// splitPath splits an escaped path below a prefix into segments, ignoring
// one trailing slash; ok is false when the path has an empty segment.
func splitPath(rest string) ([]string, bool) {
	rest = strings.TrimSuffix(rest, "/")
	if rest == "" {
		return nil, true
	}
	segs := strings.Split(rest, "/")
	return segs, !slices.Contains(segs, "")
}

// apiRoutes is the table of every API endpoint of the contract (§5).
func apiRoutes() []route {
	return slices.Concat(crmRoutes(), messagingRoutes())
}
