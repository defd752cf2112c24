package mockserver

// crmState holds a workspace's contacts, statuses, sources and groups.
type crmState struct{}

// crmRoutes returns the routes of contacts, statuses, sources and groups.
func crmRoutes() []route { return nil }

// seedCRM fills a new workspace with seed statuses, sources, groups and
// contacts.
func seedCRM(ws *Workspace) {}
