package mockserver

// messagingRoutes returns the routes of templates, bots, messages and phone
// validation (contract §5.3–§5.5).
func messagingRoutes() []route { return nil }

// messagingAdminRoutes returns the admin routes of the messaging side
// (e.g. setting a message's delivery status), below /_mock/.
func messagingAdminRoutes() []route { return nil }

// messagingState is the per-workspace state of the messaging side. It is
// guarded by the workspace's mu.
type messagingState struct{}

// seedMessaging fills a new workspace's messaging state with seed data.
func seedMessaging(ws *Workspace) {}
