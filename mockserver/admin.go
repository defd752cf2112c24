package mockserver

import (
	"encoding/json"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"
)

// adminRoutes is the control API below /_mock/ (see the package doc). Its
// handlers are raw: they use the locking Workspace and Server methods.
func adminRoutes() []route {
	ws := "workspaces/{subdomain}"
	return []route{
		{method: "GET", pattern: "workspaces", handler: adminListWorkspaces},
		{method: "POST", pattern: "workspaces", handler: adminAddWorkspace},
		{method: "GET", pattern: ws, handler: wsAction(func(*Workspace, *request) *response { return nil })},
		{method: "POST", pattern: ws + "/api/enable", handler: wsAction(func(w *Workspace, _ *request) *response { w.EnableAPI(); return nil })},
		{method: "POST", pattern: ws + "/api/disable", handler: wsAction(func(w *Workspace, _ *request) *response { w.DisableAPI(); return nil })},
		{method: "POST", pattern: ws + "/token/rotate", handler: wsAction(func(w *Workspace, _ *request) *response { w.RotateToken(); return nil })},
		{method: "POST", pattern: ws + "/abilities/remove", handler: wsAction(abilityAction((*Workspace).RemoveAbility))},
		{method: "POST", pattern: ws + "/abilities/restore", handler: wsAction(abilityAction((*Workspace).RestoreAbility))},
		{method: "PUT", pattern: ws + "/rate-limit", handler: wsAction(adminRateLimit)},
		{method: "PUT", pattern: ws + "/contact-limit", handler: wsAction(adminContactLimit)},
		{method: "PUT", pattern: ws + "/webhook", handler: wsAction(adminWebhook)},
		{method: "GET", pattern: "clock", handler: adminClock},
		{method: "POST", pattern: "clock/advance", handler: adminAdvance},
		{method: "GET", pattern: "faults", handler: func(s *Server, _ *Workspace, _ *request) response { return adminOK(faultsJSON(s.Faults())) }},
		{method: "POST", pattern: "faults", handler: adminAddFault},
		{method: "DELETE", pattern: "faults", handler: func(s *Server, _ *Workspace, _ *request) response { s.ClearFaults(); return adminOK(faultsJSON(nil)) }},
		{method: "GET", pattern: "requests", handler: func(s *Server, _ *Workspace, _ *request) response {
			return adminOK(map[string]any{"requests": s.Requests()})
		}},
		{method: "DELETE", pattern: "requests", handler: func(s *Server, _ *Workspace, _ *request) response {
			s.ClearRequests()
			return adminOK(map[string]any{"requests": []RequestRecord{}})
		}},
		{method: "GET", pattern: "deliveries", handler: func(s *Server, _ *Workspace, _ *request) response {
			return adminOK(map[string]any{"deliveries": s.Deliveries()})
		}},
		{method: "POST", pattern: "reset", handler: func(s *Server, _ *Workspace, _ *request) response {
			s.Reset()
			return adminOK(map[string]any{"reset": true})
		}},
	}
}

// serveAdmin answers a request below /_mock/.
func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request, rest string) {
	segs, okPath := splitPath(rest)
	rt, params, allow := s.admin.match(r.Method, segs)
	if !okPath || rt == nil {
		notRouted(w, allow)
		return
	}
	req := &request{Request: r, params: params, now: s.Now(), apiURL: requestRoot(r) + strings.TrimSuffix(apiPrefix, "/")}
	if res := req.readBody(); res != nil {
		writeResponse(w, *res)
		return
	}
	var ws *Workspace
	if sub, ok := params["subdomain"]; ok {
		if ws = s.Workspace(sub); ws == nil {
			writeResponse(w, failure(http.StatusNotFound, "Workspace not found"))
			return
		}
	}
	writeResponse(w, rt.handler(s, ws, req))
}

func adminOK(v any) response { return response{status: http.StatusOK, body: v} }

// decodeAdmin decodes the request body (empty: nothing) into v.
func decodeAdmin(r *request, v any) *response {
	if len(r.body) == 0 {
		return nil
	}
	if err := json.Unmarshal(r.body, v); err != nil {
		res := validationFailed(fieldError("body", "The request body must be a valid JSON object: "+err.Error()))
		return &res
	}
	return nil
}

// workspaceInfo is a workspace as the admin API shows it.
type workspaceInfo struct {
	Subdomain        string   `json:"subdomain"`
	TenantID         int64    `json:"tenant_id"`
	BaseURL          string   `json:"base_url"`
	Token            string   `json:"token"`
	APISetUp         bool     `json:"api_set_up"`
	APIEnabled       bool     `json:"api_enabled"`
	RemovedAbilities []string `json:"removed_abilities"`
	RateLimitMax     int      `json:"rate_limit_max"`
	RateLimitWindow  int64    `json:"rate_limit_window_seconds"`
	ContactLimit     int      `json:"contact_limit"`
	WebhookURL       string   `json:"webhook_url"`
}

func (ws *Workspace) info(apiRoot string) workspaceInfo {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	removed := []string{}
	for a := range ws.removed {
		removed = append(removed, a)
	}
	slices.Sort(removed)
	ws.hook.mu.Lock()
	hookURL := ws.hook.url
	ws.hook.mu.Unlock()
	return workspaceInfo{
		Subdomain: ws.sub, TenantID: ws.tenantID, BaseURL: apiRoot + "/" + ws.sub + "/",
		Token: ws.token, APISetUp: ws.apiSetUp, APIEnabled: ws.apiEnabled,
		RemovedAbilities: removed, RateLimitMax: ws.rateMax,
		RateLimitWindow: int64(ws.rateWindow / time.Second), ContactLimit: ws.contactLimit,
		WebhookURL: hookURL,
	}
}

// wsAction is an admin handler that runs act on the workspace and answers
// the workspace's info, unless act answers otherwise.
func wsAction(act func(ws *Workspace, r *request) *response) func(*Server, *Workspace, *request) response {
	return func(_ *Server, ws *Workspace, r *request) response {
		if res := act(ws, r); res != nil {
			return *res
		}
		return adminOK(ws.info(r.apiURL))
	}
}

func abilityAction(fn func(*Workspace, string)) func(*Workspace, *request) *response {
	return func(ws *Workspace, r *request) *response {
		var in struct {
			Ability string `json:"ability"`
		}
		if res := decodeAdmin(r, &in); res != nil {
			return res
		}
		if in.Ability == "" {
			res := validationFailed(fieldError("ability", "The ability field is required."))
			return &res
		}
		fn(ws, in.Ability)
		return nil
	}
}

func adminRateLimit(ws *Workspace, r *request) *response {
	var in struct {
		Max           int   `json:"max"`
		WindowSeconds int64 `json:"window_seconds"`
	}
	if res := decodeAdmin(r, &in); res != nil {
		return res
	}
	if in.Max < 1 || in.WindowSeconds < 1 {
		res := validationFailed(fieldError("max", "The max and window_seconds fields must be at least 1."))
		return &res
	}
	ws.SetRateLimit(in.Max, time.Duration(in.WindowSeconds)*time.Second)
	return nil
}

func adminContactLimit(ws *Workspace, r *request) *response {
	var in struct {
		Limit int `json:"limit"`
	}
	if res := decodeAdmin(r, &in); res != nil {
		return res
	}
	ws.SetContactLimit(in.Limit)
	return nil
}

func adminWebhook(ws *Workspace, r *request) *response {
	var in struct {
		URL    string `json:"url"`
		Secret string `json:"secret"`
	}
	if res := decodeAdmin(r, &in); res != nil {
		return res
	}
	ws.SetWebhook(in.URL, in.Secret)
	return nil
}

func adminListWorkspaces(s *Server, _ *Workspace, r *request) response {
	s.mu.Lock()
	all := make([]*Workspace, 0, len(s.workspaces))
	for _, ws := range s.workspaces {
		all = append(all, ws)
	}
	s.mu.Unlock()
	slices.SortFunc(all, func(a, b *Workspace) int { return strings.Compare(a.sub, b.sub) })
	infos := []workspaceInfo{}
	for _, ws := range all {
		infos = append(infos, ws.info(r.apiURL))
	}
	return adminOK(map[string]any{"workspaces": infos})
}

func adminAddWorkspace(s *Server, _ *Workspace, r *request) response {
	var in struct {
		Subdomain string `json:"subdomain"`
		Token     string `json:"token"`
		Seed      bool   `json:"seed"`
		API       string `json:"api"` // "enabled" (default), "disabled" or "none"
	}
	if res := decodeAdmin(r, &in); res != nil {
		return *res
	}
	opts := []WorkspaceOption{WorkspaceToken(in.Token), WorkspaceSeed(in.Seed)}
	switch in.API {
	case "", "enabled":
	case "disabled":
		opts = append(opts, WorkspaceAPIDisabled())
	case "none":
		opts = append(opts, WorkspaceWithoutAPI())
	default:
		return validationFailed(fieldError("api", "The api field must be enabled, disabled or none."))
	}
	if CheckSubdomain(in.Subdomain) != nil {
		return validationFailed(fieldError("subdomain", "The subdomain field is required and must be a plain path segment."))
	}
	if CheckToken(in.Token) != nil {
		return validationFailed(fieldError("token", "The token field may not hold whitespace or control characters."))
	}
	if s.Workspace(in.Subdomain) != nil {
		return validationFailed(fieldError("subdomain", "The subdomain has already been taken."))
	}
	ws := s.AddWorkspace(in.Subdomain, opts...)
	return adminOK(ws.info(r.apiURL)).withStatus(http.StatusCreated)
}

func adminClock(s *Server, _ *Workspace, _ *request) response {
	return adminOK(map[string]any{"now": s.Now().UTC().Format(time.RFC3339Nano)})
}

func adminAdvance(s *Server, _ *Workspace, r *request) response {
	var in struct {
		Seconds  float64 `json:"seconds"`
		Duration string  `json:"duration"`
	}
	if res := decodeAdmin(r, &in); res != nil {
		return *res
	}
	if in.Seconds < 0 {
		return validationFailed(fieldError("seconds", "Time only moves forward."))
	}
	d := time.Duration(math.MaxInt64) // saturate: a float this large would not convert
	if ns := in.Seconds * float64(time.Second); ns < math.MaxInt64 {
		d = time.Duration(ns)
	}
	if in.Duration != "" {
		var err error
		if d, err = time.ParseDuration(in.Duration); err != nil {
			return validationFailed(fieldError("duration", "The duration field must be a Go duration such as 90s or 1m30s."))
		}
	}
	if d < 0 {
		return validationFailed(fieldError("duration", "Time only moves forward."))
	}
	s.Advance(d)
	return adminClock(s, nil, r)
}

// faultJSON is a Fault as the admin API takes and shows it.
type faultJSON struct {
	Method      string `json:"method"`
	Path        string `json:"path"`
	Times       int    `json:"times"`
	LatencyMS   int64  `json:"latency_ms"`
	Drop        bool   `json:"drop"`
	Status      int    `json:"status"`
	Body        string `json:"body"`
	ContentType string `json:"content_type"`
	EmptyBody   bool   `json:"empty_body"`
	TruncateAt  int    `json:"truncate_at"`
}

func faultsJSON(fs []Fault) map[string]any {
	out := []faultJSON{}
	for _, f := range fs {
		out = append(out, faultJSON{f.Method, f.Path, f.Times, f.Latency.Milliseconds(), f.Drop, f.Status, f.Body, f.ContentType, f.EmptyBody, f.TruncateAt})
	}
	return map[string]any{"faults": out}
}

func adminAddFault(s *Server, _ *Workspace, r *request) response {
	var in faultJSON
	if res := decodeAdmin(r, &in); res != nil {
		return *res
	}
	if in.Status != 0 && (in.Status < 100 || in.Status > 999) {
		return validationFailed(fieldError("status", "The status field must be an HTTP status code."))
	}
	if in.Times < 0 || in.LatencyMS < 0 {
		return validationFailed(fieldError("times", "The times and latency_ms fields must not be negative."))
	}
	s.InjectFault(Fault{Method: in.Method, Path: in.Path, Times: in.Times,
		Latency: time.Duration(in.LatencyMS) * time.Millisecond, Drop: in.Drop,
		Status: in.Status, Body: in.Body, ContentType: in.ContentType, EmptyBody: in.EmptyBody, TruncateAt: in.TruncateAt})
	return adminOK(faultsJSON(s.Faults())).withStatus(http.StatusCreated)
}
