package mockserver

import "slices"

// messagingRoutes returns the routes of templates, bots, messages and phone
// validation (contract §5.3–§5.5).
func messagingRoutes() []route {
	tbots := resource[templateBot]{path: "templatebots", noun: "Template bot",
		table: func(ws *Workspace) *table[templateBot] { return &ws.msg.templateBots },
		id:    func(v *templateBot) int64 { return v.ID }}
	mbots := resource[messageBot]{path: "messagebots", noun: "Message bot",
		table: func(ws *Workspace) *table[messageBot] { return &ws.msg.messageBots },
		id:    func(v *messageBot) int64 { return v.ID },
		save:  saveMessageBot, createOnly: true}
	return slices.Concat(
		[]route{{method: "GET", pattern: "templates", ability: "templates.read", handler: listTemplates}},
		tbots.routes(), mbots.routes(),
		[]route{
			{method: "POST", pattern: "messages/send", ability: abilitySend, handler: sendText},
			{method: "POST", pattern: "messages/template", ability: abilitySend, raw: true, handler: uploadRoute(sendTemplate)},
			{method: "POST", pattern: "messages/media", ability: abilitySend, raw: true, handler: uploadRoute(sendMedia)},
			{method: "GET", pattern: "messages/{message_id}/status", ability: abilitySend, handler: messageStatus},
			{method: "POST", pattern: "phone/validate", ability: abilitySend, handler: validatePhone},
		})
}

// abilitySend guards every message endpoint, message status and phone
// validation included (there is no messages.read).
const abilitySend = "messages.send"

// messagingAdminRoutes returns the admin routes of the messaging side,
// below /_mock/:
//
//	GET /_mock/workspaces/{sub}/messages                     the messages sent, oldest first
//	PUT /_mock/workspaces/{sub}/messages/{message_id}/status {"status","error_message"}
func messagingAdminRoutes() []route {
	msgs := "workspaces/{subdomain}/messages"
	return []route{
		{method: "GET", pattern: msgs, handler: adminListMessages},
		{method: "PUT", pattern: msgs + "/{message_id}/status", handler: adminSetMessageStatus},
	}
}

// messagingState is the per-workspace state of the messaging side. It is
// guarded by the workspace's mu.
type messagingState struct {
	templates    table[template]
	templateBots table[templateBot]
	messageBots  table[messageBot]
	// messages are the messages sent, by wamid, and their ids in the order
	// they were sent.
	messages map[string]*SentMessage
	sent     []string
	// chats maps a contact id to the id of its chat.
	chats map[int64]int64
}

// seedMessaging fills a new workspace's messaging state with seed data:
// templates of every status and header format, template bots and message
// bots.
func seedMessaging(ws *Workspace) {
	now := stamp(ws.s.Now())
	seedTemplates(ws, now)
	seedBots(ws, now)
}
