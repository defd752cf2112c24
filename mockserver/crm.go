package mockserver

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// crmState holds a workspace's contacts, statuses, sources and groups.
type crmState struct {
	contacts table[contact]
	statuses table[status]
	sources  table[named]
	groups   table[named]
}

// contact is the contract's contact object (§5.1).
type contact struct {
	ID               int64          `json:"id"`
	TenantID         int64          `json:"tenant_id"`
	Firstname        string         `json:"firstname"`
	Lastname         *string        `json:"lastname"`
	Company          *string        `json:"company"`
	Type             string         `json:"type"`
	Description      *string        `json:"description"`
	CountryID        *int64         `json:"country_id"`
	Zip              *string        `json:"zip"`
	City             *string        `json:"city"`
	State            *string        `json:"state"`
	Address          *string        `json:"address"`
	Website          *string        `json:"website"`
	Email            *string        `json:"email"`
	Phone            string         `json:"phone"`
	SourceID         *int64         `json:"source_id"`
	StatusID         *int64         `json:"status_id"`
	AssignedID       *int64         `json:"assigned_id"`
	GroupID          []int64        `json:"group_id"`
	IsEnabled        flag           `json:"is_enabled"`
	IsOptedOut       flag           `json:"is_opted_out"`
	CustomFieldsData map[string]any `json:"custom_fields_data"`
	CreatedAt        stamp          `json:"created_at"`
	UpdatedAt        stamp          `json:"updated_at"`
}

// status is the contract's status object (§5.2).
type status struct {
	ID        int64   `json:"id"`
	TenantID  int64   `json:"tenant_id"`
	Name      string  `json:"name"`
	Color     *string `json:"color"`
	IsDefault flag    `json:"isdefault"`
	CreatedAt stamp   `json:"created_at"`
	UpdatedAt stamp   `json:"updated_at"`
}

// named is a source or a group (§5.2).
type named struct {
	ID        int64  `json:"id"`
	TenantID  int64  `json:"tenant_id"`
	Name      string `json:"name"`
	CreatedAt stamp  `json:"created_at"`
	UpdatedAt stamp  `json:"updated_at"`
}

// Messages of the contract.
const (
	msgContactLimit = "Contact limit exceeded for your current plan. Upgrade to add more contacts."
)

func crmResources() (resource[contact], resource[status], resource[named], resource[named]) {
	contacts := resource[contact]{
		path: "contacts", noun: "Contact", model: modelContact,
		table:  func(ws *Workspace) *table[contact] { return &ws.crm.contacts },
		id:     func(v *contact) int64 { return v.ID },
		filter: contactFilter,
		save:   saveContact,
	}
	statuses := resource[status]{
		path: "statuses", noun: "Status", model: modelStatus,
		table: func(ws *Workspace) *table[status] { return &ws.crm.statuses },
		id:    func(v *status) int64 { return v.ID },
		save:  saveStatus,
		guard: func(ws *Workspace, v *status) string {
			if v.IsDefault {
				return "Cannot delete the default status"
			}
			return inUse(&ws.crm, "Status", func(k *contact) bool { return k.StatusID != nil && *k.StatusID == v.ID })
		},
	}
	sources := namedResource("sources", "Source", modelSource,
		func(ws *Workspace) *table[named] { return &ws.crm.sources },
		func(k *contact, id int64) bool { return k.SourceID != nil && *k.SourceID == id })
	groups := namedResource("groups", "Group", "",
		func(ws *Workspace) *table[named] { return &ws.crm.groups },
		func(k *contact, id int64) bool { return slices.Contains(k.GroupID, id) })
	return contacts, statuses, sources, groups
}

// crmRoutes returns the routes of contacts, statuses, sources and groups.
func crmRoutes() []route {
	contacts, statuses, sources, groups := crmResources()
	return slices.Concat(contacts.routes(), statuses.routes(), sources.routes(), groups.routes())
}

// inUse is the delete guard's message when a contact uses the record.
func inUse(c *crmState, noun string, uses func(*contact) bool) string {
	if c.contacts.find(uses) != nil {
		return "The " + noun + " ID is already being used"
	}
	return ""
}

// namedResource is a source or group resource: a unique name, required on
// create and update.
func namedResource(path, noun, model string, tbl func(*Workspace) *table[named], uses func(*contact, int64) bool) resource[named] {
	return resource[named]{
		path: path, noun: noun, model: model, table: tbl,
		id: func(v *named) int64 { return v.ID },
		save: func(s *Server, ws *Workspace, r *request, f *form, old *named) (*named, *response) {
			name := f.text("name", true, 0, 255)
			f.unique("name", name, nameTaken(tbl(ws), old, func(v *named) string { return v.Name }))
			if res := f.result(); res != nil {
				return nil, res
			}
			v := newNamed(s, ws, r.now, old)
			v.Name, v.UpdatedAt = *name, stamp(r.now)
			return v, nil
		},
		guard: func(ws *Workspace, v *named) string {
			return inUse(&ws.crm, noun, func(k *contact) bool { return uses(k, v.ID) })
		},
	}
}

// newNamed returns a copy of old, or a new record with its id and times.
func newNamed(s *Server, ws *Workspace, now time.Time, old *named) *named {
	if old != nil {
		v := *old
		return &v
	}
	return &named{ID: s.nextID(), TenantID: ws.tenantID, CreatedAt: stamp(now)}
}

// nameTaken reports whether a name is another record's than self (compared
// without case, as the database collation does).
func nameTaken[T any](t *table[T], self *T, nameOf func(*T) string) func(string) bool {
	return func(name string) bool {
		return t.find(func(v *T) bool { return v != self && strings.EqualFold(nameOf(v), name) }) != nil
	}
}

func saveStatus(s *Server, ws *Workspace, r *request, f *form, old *status) (*status, *response) {
	var name *string
	if old == nil || f.has("name") {
		name = f.text("name", true, 3, 255)
	}
	f.unique("name", name, nameTaken(&ws.crm.statuses, old, func(v *status) string { return v.Name }))
	color := f.text("color", false, 0, 7)
	isDefault := f.boolean("isdefault")
	if res := f.result(); res != nil {
		return nil, res
	}
	v := &status{ID: s.nextID(), TenantID: ws.tenantID, CreatedAt: stamp(r.now)}
	if old != nil {
		c := *old
		v = &c
	}
	v.UpdatedAt = stamp(r.now)
	if name != nil {
		v.Name = *name
	}
	if f.has("color") {
		v.Color = color
	}
	if isDefault != nil {
		v.IsDefault = flag(*isDefault)
		if *isDefault {
			clearDefault(s, ws, v.ID, r.now)
		}
	}
	return v, nil
}

// clearDefault takes the default flag from every status but keep: each
// one that loses it is updated (updated_at is now) and sends its own
// "updated" event, before the event of the status that took the flag.
func clearDefault(s *Server, ws *Workspace, keep int64, now time.Time) {
	for _, other := range ws.crm.statuses.newest(nil) {
		if other.ID == keep || !other.IsDefault {
			continue
		}
		before := *other
		other.IsDefault, other.UpdatedAt = false, stamp(now)
		s.emitRecord(ws, "updated", modelStatus, other.ID, other, &before)
	}
}

func saveContact(s *Server, ws *Workspace, r *request, f *form, old *contact) (*contact, *response) {
	crm := &ws.crm
	creating := old == nil
	if creating && ws.contactLimit > 0 && crm.contacts.len() >= ws.contactLimit {
		res := failure(http.StatusForbidden, msgContactLimit)
		return nil, &res
	}
	firstname := f.text("firstname", true, 0, 255)
	lastname := f.text("lastname", !creating, 0, 255)
	phone := f.text("phone", true, 0, 20)
	f.e164("phone", phone)
	f.unique("phone", phone, func(p string) bool {
		return crm.contacts.find(func(c *contact) bool { return c != old && c.Phone == p }) != nil
	})
	email := f.text("email", false, 0, 191)
	f.email("email", email)
	f.unique("email", email, func(e string) bool {
		return crm.contacts.find(func(c *contact) bool { return c != old && c.Email != nil && strings.EqualFold(*c.Email, e) }) != nil
	})
	typ := f.text("type", true, 0, 0)
	f.oneOf("type", typ, "lead", "customer")
	sourceID := f.integer("source_id", creating)
	f.exists("source_id", sourceID, func(id int64) bool { return crm.sources.get(id) != nil })
	statusID := f.integer("status_id", creating)
	f.exists("status_id", statusID, func(id int64) bool { return crm.statuses.get(id) != nil })
	company := f.text("company", false, 0, 255)
	description := f.text("description", false, 0, 0)
	countryID := f.integer("country_id", false)
	assignedID := f.integer("assigned_id", false)
	groups := groupNames(f)
	if res := f.result(); res != nil {
		return nil, res
	}

	v := &contact{ID: s.nextID(), TenantID: ws.tenantID, GroupID: []int64{}, IsEnabled: true, CreatedAt: stamp(r.now)}
	if !creating {
		c := *old
		v = &c
	}
	v.UpdatedAt = stamp(r.now)
	v.Firstname, v.Phone, v.Type = *firstname, *phone, *typ
	// Fields sent (even as null) replace the stored value; fields left out
	// keep it.
	for field, set := range map[string]func(){
		"lastname":    func() { v.Lastname = lastname },
		"email":       func() { v.Email = email },
		"source_id":   func() { v.SourceID = sourceID },
		"status_id":   func() { v.StatusID = statusID },
		"company":     func() { v.Company = company },
		"description": func() { v.Description = description },
		"country_id":  func() { v.CountryID = countryID },
		"assigned_id": func() { v.AssignedID = assignedID },
		"groups":      func() { v.GroupID = groupIDs(s, ws, stamp(r.now), groups) },
	} {
		if f.has(field) {
			set()
		}
	}
	return v, nil
}

// groupNames reads the comma-separated groups field: the distinct names, in
// order.
func groupNames(f *form) []string {
	list := f.text("groups", false, 0, 0)
	if list == nil {
		return nil
	}
	var names []string
	for _, n := range strings.Split(*list, ",") {
		n = strings.TrimSpace(n)
		if n == "" || slices.ContainsFunc(names, func(m string) bool { return strings.EqualFold(m, n) }) {
			continue
		}
		if len([]rune(n)) > 255 {
			f.fail("groups", "Each name in the %s field must not be greater than 255 characters.")
			return nil
		}
		names = append(names, n)
	}
	return names
}

// groupIDs returns the ids of the named groups, creating those missing.
func groupIDs(s *Server, ws *Workspace, now stamp, names []string) []int64 {
	ids := []int64{}
	for _, n := range names {
		g := ws.crm.groups.find(func(g *named) bool { return strings.EqualFold(g.Name, n) })
		if g == nil {
			g = &named{ID: s.nextID(), TenantID: ws.tenantID, Name: n, CreatedAt: now, UpdatedAt: now}
			ws.crm.groups.put(g.ID, g)
		}
		ids = append(ids, g.ID)
	}
	return ids
}

// contactFilter is the contact list's exact-match filters: type, source_id,
// status_id.
func contactFilter(r *request) func(*contact) bool {
	q := r.URL.Query()
	typ, source, stat := q.Get("type"), q.Get("source_id"), q.Get("status_id")
	if typ == "" && source == "" && stat == "" {
		return nil
	}
	idIs := func(id *int64, want string) bool {
		return want == "" || id != nil && strconv.FormatInt(*id, 10) == want
	}
	return func(c *contact) bool {
		return (typ == "" || c.Type == typ) && idIs(c.SourceID, source) && idIs(c.StatusID, stat)
	}
}

// seedCRM gives a workspace statuses (the first the default), sources,
// groups and a few contacts.
func seedCRM(s *Server, ws *Workspace) {
	now := stamp(s.Now())
	crm := &ws.crm
	var statusIDs, sourceIDs []int64
	for i, st := range []struct{ name, color string }{
		{"New", "#3B82F6"}, {"In progress", "#F59E0B"}, {"Won", "#10B981"}, {"Lost", "#EF4444"},
	} {
		v := &status{ID: s.nextID(), TenantID: ws.tenantID, Name: st.name, Color: &st.color,
			IsDefault: i == 0, CreatedAt: now, UpdatedAt: now}
		crm.statuses.put(v.ID, v)
		statusIDs = append(statusIDs, v.ID)
	}
	for _, name := range []string{"Website", "WhatsApp", "Referral"} {
		v := &named{ID: s.nextID(), TenantID: ws.tenantID, Name: name, CreatedAt: now, UpdatedAt: now}
		crm.sources.put(v.ID, v)
		sourceIDs = append(sourceIDs, v.ID)
	}
	for i, c := range []struct {
		first, last, phone, email, typ string
		groups                         []string
	}{
		{"Ada", "Lovelace", "+447700900123", "ada@example.com", "lead", []string{"VIP"}},
		{"Alan", "Turing", "+14155550123", "alan@example.com", "customer", []string{"VIP", "Newsletter"}},
		{"Grace", "Hopper", "+4915123456789", "", "lead", nil},
		{"Katherine", "Johnson", "+5511987654321", "katherine@example.com", "customer", []string{"Newsletter"}},
	} {
		v := &contact{ID: s.nextID(), TenantID: ws.tenantID, Firstname: c.first, Lastname: &c.last,
			Type: c.typ, Phone: c.phone, SourceID: &sourceIDs[i%len(sourceIDs)], StatusID: &statusIDs[i%len(statusIDs)],
			GroupID: groupIDs(s, ws, now, c.groups), IsEnabled: true, CreatedAt: now, UpdatedAt: now}
		if c.email != "" {
			v.Email = &c.email
		}
		crm.contacts.put(v.ID, v)
	}
}
