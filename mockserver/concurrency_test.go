package mockserver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestConcurrentRequests sends 64 × 200 requests at once, half of them
// creates, with a limit of 1000 per window: exactly 1000 pass, and the
// contacts created are exactly those the server said it created.
func TestConcurrentRequests(t *testing.T) {
	t.Parallel()
	const workers, perWorker, limit = 64, 200, 1000
	ts := NewTest(t, WithClock(FixedClock(testStart)), WithToken(testToken), WithRateLimit(limit, time.Minute))
	src, st := idOf(t, ts.Server, "sources", "Website"), idOf(t, ts.Server, "statuses", "New")
	ts.Default().SetRateLimit(limit, time.Minute) // a fresh window
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers}}
	defer client.CloseIdleConnections()
	send := func(method, path, body string) (int, map[string]any, error) {
		req, err := http.NewRequest(method, ts.DefaultBaseURL()+path, strings.NewReader(body))
		if err != nil {
			return 0, nil, err
		}
		req.Header.Set("Authorization", "Bearer "+testToken)
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			return 0, nil, err
		}
		defer resp.Body.Close()
		var v map[string]any
		err = json.NewDecoder(resp.Body).Decode(&v)
		return resp.StatusCode, v, err
	}

	var mu sync.Mutex
	codes := map[int]int{}
	created := map[float64]bool{}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range perWorker {
				method, path, body := "GET", "contacts?per_page=5", ""
				if i%2 == 0 {
					method, path = "POST", "contacts"
					body = fmt.Sprintf(`{"firstname":"W%d","phone":"+1555%03d%04d","type":"lead","source_id":%d,"status_id":%d}`, w, w, i, src, st)
				}
				code, v, err := send(method, path, body)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				codes[code]++
				if code == http.StatusCreated {
					created[v["data"].(map[string]any)["id"].(float64)] = true
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if ok := codes[200] + codes[201]; ok != limit || codes[429] != workers*perWorker-limit {
		t.Fatalf("codes %v, want %d successes and the rest 429", codes, limit)
	}

	ts.Advance(time.Minute)
	ts.Default().SetRateLimit(1000, time.Minute)
	seen := map[float64]bool{}
	for page := 1; ; page++ {
		code, v, err := send("GET", fmt.Sprintf("contacts?per_page=100&page=%d", page), "")
		if err != nil || code != 200 {
			t.Fatalf("list page %d: %d %v", page, code, err)
		}
		items := v["data"].(map[string]any)["data"].([]any)
		if len(items) == 0 {
			break
		}
		for _, it := range items {
			m := it.(map[string]any)
			if !strings.HasPrefix(m["firstname"].(string), "W") {
				continue // seeded
			}
			id := m["id"].(float64)
			if seen[id] || !created[id] {
				t.Errorf("contact %v listed twice or never reported created", id)
			}
			seen[id] = true
		}
	}
	if len(seen) != len(created) {
		t.Errorf("listed %d created contacts, the server created %d", len(seen), len(created))
	}
}

// TestNewestFirstUnderConcurrentWrites creates contacts from many
// goroutines at once on the real clock: the list must be newest first by
// created_at, then by id, with no two records out of order.
func TestNewestFirstUnderConcurrentWrites(t *testing.T) {
	t.Parallel()
	const workers, perWorker = 16, 40
	s := New(WithToken(testToken), WithSeed(false), WithRateLimit(1<<30, time.Minute))
	t.Cleanup(s.Close)
	code, body := api(t, s, "POST", "sources", `{"name":"Web"}`)
	src := dig(body, "data", "id")
	code2, body2 := api(t, s, "POST", "statuses", `{"name":"New"}`)
	st := dig(body2, "data", "id")
	if code != 201 || code2 != 201 {
		t.Fatalf("setup: %d %d", code, code2)
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range perWorker {
				code, body := api(t, s, "POST", "contacts", fmt.Sprintf(
					`{"firstname":"W","phone":"+1555%03d%04d","type":"lead","source_id":%v,"status_id":%v}`, w, i, src, st))
				if code != 201 {
					t.Errorf("create: %d %v", code, body)
					return
				}
			}
		})
	}
	wg.Wait()
	var all []map[string]any
	for page := 1; ; page++ {
		_, body := api(t, s, "GET", fmt.Sprintf("contacts?per_page=100&page=%d", page), "")
		items := dig(body, "data", "data").([]any)
		if len(items) == 0 {
			break
		}
		for _, it := range items {
			all = append(all, it.(map[string]any))
		}
	}
	if len(all) != workers*perWorker {
		t.Fatalf("listed %d contacts, want %d", len(all), workers*perWorker)
	}
	for i := 1; i < len(all); i++ {
		prev, cur := all[i-1], all[i]
		pt, ct := prev["created_at"].(string), cur["created_at"].(string)
		// created_at descending, and ids strictly descending with it.
		if pt < ct || prev["id"].(float64) <= cur["id"].(float64) {
			t.Fatalf("item %d (id %v, %s) listed after item %d (id %v, %s): not newest first",
				i, cur["id"], ct, i-1, prev["id"], pt)
		}
	}
}
