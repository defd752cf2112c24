package mockserver

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package when a test leaves a goroutine behind
// (webhook deliveries, idle connections).
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
