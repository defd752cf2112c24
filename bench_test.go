package xobito

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

// The SDK's cost over a plain call: one GET of a contact through the client
// (Contacts.Get) against the same GET done with net/http and encoding/json
// into the same Contact type, on the same loopback server. Compare the two
// with:
//
//	go test -run '^$' -bench 'GetContact' -benchmem -count 6 .

const benchContact = `{"status":"success","data":{"id":42,"tenant_id":7,"firstname":"Ada","lastname":"Lovelace",` +
	`"company":"Analytical Engines","type":"lead","description":null,"country_id":null,"zip":null,"city":"London",` +
	`"state":null,"address":null,"website":null,"email":"ada@example.com","phone":"+447700900123","source_id":1,` +
	`"status_id":2,"assigned_id":null,"group_id":[1,3],"is_enabled":1,"is_opted_out":0,"custom_fields_data":null,` +
	`"created_at":"2026-04-08T14:30:25.000000Z","updated_at":"2026-04-08T14:30:25.000000Z"}}`

func benchServer(b *testing.B) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(benchContact))
	}))
	b.Cleanup(srv.Close)
	return srv
}

func BenchmarkGetContactSDK(b *testing.B) {
	srv := benchServer(b)
	c, err := New("acme", testToken, WithBaseURL(srv.URL+"/api/v1/"), WithHTTPClient(srv.Client()))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		ct, _, err := c.Contacts.Get(ctx, 42)
		if err != nil || ct.ID != 42 {
			b.Fatal(err)
		}
	}
}

func BenchmarkGetContactPlain(b *testing.B) {
	srv := benchServer(b)
	hc := srv.Client()
	url := srv.URL + "/api/v1/acme/contacts/42"
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		req.Header.Set("Authorization", "Bearer "+testToken)
		req.Header.Set("Accept", "application/json")
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		var env struct {
			Data Contact `json:"data"`
		}
		err = json.NewDecoder(resp.Body).Decode(&env)
		resp.Body.Close()
		if err != nil || env.Data.ID != 42 {
			b.Fatal(err)
		}
	}
}
