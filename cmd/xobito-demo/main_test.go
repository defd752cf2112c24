package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestRun runs the demo against its embedded mock and checks that every
// step happened, and that the rate-limit wait took no real time.
func TestRun(t *testing.T) {
	var out, errOut bytes.Buffer
	began := time.Now()
	if err := run(context.Background(), nil, &out, &errOut); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	if took := time.Since(began); took > 10*time.Second {
		t.Errorf("the demo took %v of real time", took)
	}
	for _, want := range []string{
		"201 Contact created successfully: #",
		"sent text: wamid.",
		"to the existing contact #",
		"sent template hello_world/en_US to Marie Curie: wamid.",
		"status sent at 09:00:00",
		"status delivered at 09:00:03",
		"Marie Curie ",
		"Ada Lovelace ",
		"5 contacts in 3 requests",
		"rate limited: waiting 60s (on the mock clock)",
		"request 3: 200 after 2 attempts, the mock clock moved 09:00:03 → 09:01:03",
		"Done: the mock clock moved 1m3s",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if errOut.Len() != 0 {
		t.Errorf("without -v the demo logged:\n%s", errOut.String())
	}
}

func TestRunVerboseLogsRequests(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"-v"}, &out, &errOut); err != nil {
		t.Fatalf("run -v: %v", err)
	}
	for _, want := range []string{
		`msg="xobito: sending" method=POST url=http://127.0.0.1:`,
		"/api/v1/acme/messages/template attempt=1",
		"status=429",
		"attempt=2",
	} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, errOut.String())
		}
	}
	if strings.Contains(errOut.String(), "time=") {
		t.Errorf("log lines carry the wall clock:\n%s", errOut.String())
	}
}

func TestRunRefusesArguments(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"-nope"}, &out, &errOut); err == nil {
		t.Fatal("an unknown flag was accepted")
	}
	if err := run(context.Background(), []string{"extra"}, &out, &errOut); err == nil {
		t.Fatal("an argument was accepted")
	}
}

func TestRunStopsWithItsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out bytes.Buffer
	if err := run(ctx, nil, &out, &out); err == nil {
		t.Fatalf("a cancelled run succeeded:\n%s", out.String())
	}
}
