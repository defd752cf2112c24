package xobito

import (
	"context"
	"encoding/json"
	"iter"
)

// Template is an approved (or pending, rejected, …) WhatsApp template of
// the workspace. Send it with Messages.
type Template struct {
	ID       int64 `json:"id"`
	TenantID int64 `json:"tenant_id"`
	// TemplateID is Meta's id of the template, a numeric string.
	TemplateID string `json:"template_id"`
	Name       string `json:"template_name"`
	Language   string `json:"language"` // such as "en_US"
	Status     string `json:"status"`   // "APPROVED", "PENDING", "REJECTED", …
	Category   string `json:"category"` // "MARKETING", "UTILITY" or "AUTHENTICATION"

	// HeaderFormat is "TEXT", "IMAGE", "VIDEO", "DOCUMENT", or "" for no
	// header ("header_data_format").
	HeaderFormat      string `json:"header_data_format"`
	HeaderText        string `json:"header_data_text"`
	HeaderParamsCount int    `json:"header_params_count"`
	HeaderFileURL     string `json:"header_file_url"`
	// Body is the text with {{1}}, {{2}}… placeholders ("body_data").
	Body              string `json:"body_data"`
	BodyParamsCount   int    `json:"body_params_count"`
	Footer            string `json:"footer_data"`
	FooterParamsCount int    `json:"footer_params_count"`
	// ButtonsData is "buttons_data" as sent: JSON, or JSON null.
	ButtonsData json.RawMessage `json:"buttons_data"`

	CreatedAt Time `json:"created_at"`
	UpdatedAt Time `json:"updated_at"`
}

// UnmarshalJSON reads a template, taking template_id as a string or a
// number and the counts as numbers or numeric strings.
func (t *Template) UnmarshalJSON(data []byte) error {
	type plain Template
	aux := struct {
		*plain
		TemplateID        flexString `json:"template_id"`
		HeaderParamsCount flexInt    `json:"header_params_count"`
		BodyParamsCount   flexInt    `json:"body_params_count"`
		FooterParamsCount flexInt    `json:"footer_params_count"`
	}{plain: (*plain)(t)}
	if err := json.Unmarshal(data, &aux); err != nil {
		return err
	}
	t.TemplateID = string(aux.TemplateID)
	t.HeaderParamsCount, t.BodyParamsCount = int(aux.HeaderParamsCount), int(aux.BodyParamsCount)
	t.FooterParamsCount = int(aux.FooterParamsCount)
	return nil
}

const templatesPath endpoint[Template] = "templates"

// List returns one page of templates: GET /templates, ability
// templates.read.
func (s *TemplatesService) List(ctx context.Context, opts *ListOptions) ([]Template, *Response, error) {
	return templatesPath.list(ctx, s.client, opts)
}

// All walks every template from opts.Page on: GET /templates, ability
// templates.read.
func (s *TemplatesService) All(ctx context.Context, opts *ListOptions) iter.Seq2[Template, error] {
	return templatesPath.all(ctx, s.client, opts)
}
