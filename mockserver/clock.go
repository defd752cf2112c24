package mockserver

import (
	"context"
	"math"
	"sync"
	"time"
)

// Clock is the source of time for a Server. Every time the mock reads
// (timestamps, rate-limit windows, webhook retry waits) is the clock's time
// plus the offset added by Server.Advance.
type Clock interface {
	// Now returns the clock's current time.
	Now() time.Time
	// NewTimer returns a channel that receives once d of the clock's own
	// time has passed, and a function that stops it. A clock that never
	// moves on its own returns a nil channel.
	NewTimer(d time.Duration) (<-chan time.Time, func() bool)
}

// RealClock returns the wall clock.
func RealClock() Clock { return realClock{} }

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) NewTimer(d time.Duration) (<-chan time.Time, func() bool) {
	t := time.NewTimer(d)
	return t.C, t.Stop
}

// FixedClock returns a clock stopped at t: time moves only when
// Server.Advance is called, which makes tests exact.
func FixedClock(t time.Time) Clock { return fixedClock{t} }

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

func (fixedClock) NewTimer(time.Duration) (<-chan time.Time, func() bool) {
	return nil, func() bool { return false }
}

// mockTime is the server's view of time: a base clock plus an offset that
// Advance moves forward, waking everyone who waits for a clock time.
type mockTime struct {
	base Clock

	mu     sync.Mutex
	offset time.Duration
	moved  chan struct{} // closed and replaced on every Advance
}

func newMockTime(base Clock) *mockTime {
	return &mockTime{base: base, moved: make(chan struct{})}
}

func (m *mockTime) now() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.base.Now().Add(m.offset)
}

// advance adds d to the offset, saturating at the largest Duration so that
// time never wraps around to the past. A negative d panics.
func (m *mockTime) advance(d time.Duration) {
	if d < 0 {
		panic("mockserver: Advance by a negative duration: time only moves forward")
	}
	if d == 0 {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.offset > math.MaxInt64-d {
		m.offset = math.MaxInt64
	} else {
		m.offset += d
	}
	close(m.moved)
	m.moved = make(chan struct{})
}

// waitUntil blocks until the mock time reaches t or ctx is done. A deadline
// already past returns at once.
func (m *mockTime) waitUntil(ctx context.Context, t time.Time) error {
	for {
		m.mu.Lock()
		now := m.base.Now().Add(m.offset)
		moved := m.moved
		m.mu.Unlock()
		if !now.Before(t) {
			return nil
		}
		timer, stop := m.base.NewTimer(t.Sub(now))
		select {
		case <-ctx.Done():
			stop()
			return ctx.Err()
		case <-moved:
		case <-timer:
		}
		stop()
	}
}
