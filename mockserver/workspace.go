package mockserver

import (
	"sync"
	"time"
)

// Workspace is one tenant of the mock, addressed by its subdomain. Its
// methods are the controls a test uses; all are safe for concurrent use.
type Workspace struct {
	s   *Server
	sub string
	cfg workspaceConfig // as added, for Reset

	// mu guards everything below, and is held by route handlers.
	mu           sync.Mutex
	tenantID     int64
	apiSetUp     bool
	apiEnabled   bool
	token        string
	removed      map[string]bool // abilities taken from the token
	rateMax      int
	rateWindow   time.Duration
	rlCount      int   // requests counted in the current window
	rlEnd        int64 // unix second at which the window closes
	contactLimit int   // 0: no plan limit
	crm          crmState
	msg          messagingState

	hook webhookQueue
}

type workspaceConfig struct {
	subdomain  string
	token      string
	seed       bool
	apiSetUp   bool
	apiEnabled bool
	rateMax    int
	rateWindow time.Duration
}

// WorkspaceOption configures a workspace added with AddWorkspace.
type WorkspaceOption func(*workspaceConfig)

// WorkspaceToken sets the workspace's token (default: 64 random hex).
func WorkspaceToken(t string) WorkspaceOption { return func(c *workspaceConfig) { c.token = t } }

// WorkspaceSeed gives the workspace the seed data (default off).
func WorkspaceSeed(on bool) WorkspaceOption { return func(c *workspaceConfig) { c.seed = on } }

// WorkspaceAPIDisabled adds the workspace with API access switched off.
func WorkspaceAPIDisabled() WorkspaceOption {
	return func(c *workspaceConfig) { c.apiEnabled = false }
}

// WorkspaceWithoutAPI adds a workspace that never set up API access: every
// request answers 404 "API settings not found for this tenant" until
// EnableAPI is called.
func WorkspaceWithoutAPI() WorkspaceOption {
	return func(c *workspaceConfig) { c.apiSetUp, c.apiEnabled = false, false }
}

// AddWorkspace adds (or replaces) the workspace of subdomain, with API
// access on, every ability, the server's rate limit and no data unless
// WorkspaceSeed is given. Replacing the default workspace makes the new one
// the default.
func (s *Server) AddWorkspace(subdomain string, opts ...WorkspaceOption) *Workspace {
	cfg := s.cfg.ws
	cfg.subdomain, cfg.token, cfg.seed = subdomain, "", false
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.token == "" && cfg.apiSetUp {
		cfg.token = newToken()
	}
	ws := &Workspace{s: s, sub: subdomain, cfg: cfg, tenantID: s.tenants.Add(1)}
	ws.reset()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.def == nil || s.def.sub == subdomain {
		s.def = ws
	}
	s.workspaces[subdomain] = ws
	return ws
}

// reset puts the workspace back to its state when added.
func (ws *Workspace) reset() {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	c := ws.cfg
	ws.apiSetUp, ws.apiEnabled, ws.token = c.apiSetUp, c.apiEnabled, c.token
	ws.removed = map[string]bool{}
	ws.rateMax, ws.rateWindow = c.rateMax, c.rateWindow
	ws.rlCount, ws.rlEnd = 0, 0
	ws.contactLimit = 0
	ws.crm = crmState{}
	ws.msg = messagingState{}
	ws.hook.setTarget("", "")
	if c.seed {
		seedCRM(ws.s, ws)
		seedMessaging(ws)
	}
}

// Subdomain returns the workspace's subdomain.
func (ws *Workspace) Subdomain() string { return ws.sub }

// TenantID returns the workspace's tenant id (the tenant_id of its records).
func (ws *Workspace) TenantID() int64 { return ws.tenantID }

// Token returns the workspace's current token ("" before API set-up).
func (ws *Workspace) Token() string {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	return ws.token
}

// EnableAPI switches API access on; the first time, it generates the token.
func (ws *Workspace) EnableAPI() {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	if ws.token == "" {
		ws.token = newToken()
	}
	ws.apiSetUp, ws.apiEnabled = true, true
}

// DisableAPI switches API access off: every request answers 403 until
// EnableAPI. The token is kept.
func (ws *Workspace) DisableAPI() {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	ws.apiEnabled = false
}

// RotateToken replaces the token and returns the new one; the old one gets
// 401 from the next request on. The new token starts a fresh rate window.
func (ws *Workspace) RotateToken() string {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	ws.token = newToken()
	ws.rlCount = 0
	return ws.token
}

// RemoveAbility takes an ability (e.g. "contacts.read") from the token.
func (ws *Workspace) RemoveAbility(ability string) {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	ws.removed[ability] = true
}

// RestoreAbility gives a removed ability back.
func (ws *Workspace) RestoreAbility(ability string) {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	delete(ws.removed, ability)
}

// SetRateLimit sets the limit to max requests per window (whole seconds, at
// least one) and closes the current window.
func (ws *Workspace) SetRateLimit(max int, window time.Duration) {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	ws.rateMax, ws.rateWindow = max, window
	ws.rlCount = 0
}

// SetContactLimit sets the plan's contact cap (0: none); creating a contact
// beyond it answers 403.
func (ws *Workspace) SetContactLimit(n int) {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	ws.contactLimit = n
}

// SetWebhook sets the URL the workspace's events are POSTed to and the
// secret they are signed with; an empty URL stops webhooks.
func (ws *Workspace) SetWebhook(url, secret string) { ws.hook.setTarget(url, secret) }
