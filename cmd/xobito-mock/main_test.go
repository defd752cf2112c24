package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// started is a run in progress: its printed base URL, token and admin URL,
// and the channel run's result arrives on.
type started struct {
	base, token, admin string
	done               <-chan error
}

// start runs the server on a free loopback port until ctx ends, and waits
// for the lines it prints.
func start(t *testing.T, ctx context.Context, args ...string) started {
	t.Helper()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), pw, io.Discard)
		pw.Close()
	}()
	st := started{done: done}
	lines := bufio.NewScanner(pr)
	for lines.Scan() {
		k, v, _ := strings.Cut(lines.Text(), ":")
		switch v = strings.TrimSpace(v); k {
		case "base URL":
			st.base = v
		case "token":
			st.token = v
		case "admin":
			st.admin = v
		}
		if st.base != "" && st.token != "" && st.admin != "" {
			break
		}
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	return st
}

// wait returns run's result, failing the test when it takes longer than
// within.
func (st started) wait(t *testing.T, within time.Duration) error {
	t.Helper()
	select {
	case err := <-st.done:
		return err
	case <-time.After(within):
		t.Fatalf("run did not stop within %s", within)
		return nil
	}
}

// TestRun starts the server, calls it with the printed base URL and token,
// and stops it through the context.
func TestRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st := start(t, ctx, "-subdomain", "shop", "-token", strings.Repeat("ab", 32))
	if !strings.HasSuffix(st.base, "/api/v1/shop/") || st.token != strings.Repeat("ab", 32) {
		t.Fatalf("printed base %q token %q", st.base, st.token)
	}
	client := &http.Client{Transport: &http.Transport{}}
	defer client.CloseIdleConnections()
	req, _ := http.NewRequest("GET", st.base+"contacts", nil)
	req.Header.Set("Authorization", "Bearer "+st.token)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("GET contacts: %d", resp.StatusCode)
	}
	client.CloseIdleConnections()
	cancel()
	if err := st.wait(t, 10*time.Second); err != nil {
		t.Errorf("run: %v", err)
	}
}

// TestShutdownEndsHeldRequests: a request held by a latency fault does not
// hold the shutdown up; run stops at once and without an error.
func TestShutdownEndsHeldRequests(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st := start(t, ctx)
	client := &http.Client{Transport: &http.Transport{}}
	defer client.CloseIdleConnections()
	post := func(method, url, body string) int {
		req, _ := http.NewRequest(method, url, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+st.token)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := post("POST", st.admin+"faults", `{"times":1,"latency_ms":3600000}`); code != 201 {
		t.Fatalf("add fault: %d", code)
	}
	held := make(chan error, 1)
	go func() {
		req, _ := http.NewRequest("GET", st.base+"contacts", nil)
		req.Header.Set("Authorization", "Bearer "+st.token)
		resp, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Do(req)
		if err == nil {
			resp.Body.Close()
		}
		held <- err
	}()
	// The fault is used up once the request reached the server.
	for {
		req, _ := http.NewRequest("GET", st.admin+"faults", nil)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(b), `"faults":[]`) {
			break
		}
	}
	client.CloseIdleConnections()
	cancel()
	if err := st.wait(t, 3*time.Second); err != nil {
		t.Errorf("run: %v, want a clean stop", err)
	}
	if err := <-held; err == nil {
		t.Error("the held request got an answer; want its connection dropped")
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, args := range [][]string{
		{"-rate-max", "0"}, {"-nosuch"}, {"extra"},
		{"-rate-window", "1500ms"}, {"-rate-window", "500ms"}, {"-rate-window", "0s"},
		{"-subdomain", ""}, {"-subdomain", "a/b"}, {"-subdomain", ".."}, {"-subdomain", "a b"}, {"-subdomain", "a%2Fb"},
		{"-token", "abc def"}, {"-token", "abc\n"}, {"-token", "abc\x7f"},
	} {
		// A cancelled context: flags that were wrongly taken stop at once.
		if err := run(canceled, append([]string{"-addr", "127.0.0.1:0"}, args...), io.Discard, io.Discard); err == nil {
			t.Errorf("%q: no error", args)
		}
	}
}
