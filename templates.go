package xobito

import (
	"context"
	"encoding/json"
	"iter"
)

// Template is an approved (or pending, rejected, …) WhatsApp template of
// the workspace. Send it with Messages.
type Template struct {
	// ID is the template's id in the workspace (not Meta's: see
	// TemplateID).
	ID int64 `json:"id"`
	// TenantID is the id of the workspace that owns the template.
	TenantID int64 `json:"tenant_id"`
	// TemplateID is Meta's id of the template, a numeric string.
	TemplateID string `json:"template_id"`
	// Name is the template's name ("template_name"), which
	// TemplateMessage.TemplateName refers to.
	Name string `json:"template_name"`
	// Language is the template's language code, such as "en_US".
	Language string `json:"language"`
	// Status is Meta's review state: "APPROVED", "PENDING", "REJECTED", …
	// Only approved templates can be sent.
	Status string `json:"status"`
	// Category is "MARKETING", "UTILITY" or "AUTHENTICATION".
	Category string `json:"category"`

	// HeaderFormat is "TEXT", "IMAGE", "VIDEO", "DOCUMENT", or "" for no
	// header ("header_data_format").
	HeaderFormat string `json:"header_data_format"`
	// HeaderText is the text of a TEXT header ("header_data_text"); "" for
	// other headers.
	HeaderText string `json:"header_data_text"`
	// HeaderParamsCount is the number of variables in the header
	// ("header_params_count"): 1 means a send needs
	// TemplateMessage.HeaderParam.
	HeaderParamsCount int `json:"header_params_count"`
	// HeaderFileURL is the URL of the header's media file
	// ("header_file_url"); "" when none.
	HeaderFileURL string `json:"header_file_url"`
	// Body is the text with {{1}}, {{2}}… placeholders ("body_data").
	Body string `json:"body_data"`
	// BodyParamsCount is the number of body placeholders
	// ("body_params_count"): a send needs that many
	// TemplateMessage.BodyParams.
	BodyParamsCount int `json:"body_params_count"`
	// Footer is the footer text ("footer_data"); "" when none.
	Footer string `json:"footer_data"`
	// FooterParamsCount is the number of variables in the footer
	// ("footer_params_count").
	FooterParamsCount int `json:"footer_params_count"`
	// ButtonsData is "buttons_data" as sent: JSON, or JSON null.
	ButtonsData json.RawMessage `json:"buttons_data"`

	// CreatedAt is when the template was added to the workspace.
	CreatedAt Time `json:"created_at"`
	// UpdatedAt is when the template was last changed.
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
