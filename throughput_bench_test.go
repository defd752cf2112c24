package xobito_test

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xobito/xobito-go"
	"github.com/xobito/xobito-go/mockserver"
)

// BenchmarkThroughputUnderRateLimit sends 1,000 requests from 8 goroutines
// through a mock limited to 200 requests per 1-second window, on the real
// clock, and reports the elapsed time beside the theoretical minimum, the
// 429s seen on the way and the requests that failed (there must be none).
//
// The minimum: the fifth window's 200 requests can start as soon as it
// opens, and a window ends on the whole second after it opened (contract
// §3), so the fifth opens four seconds after the start's whole second.
// It takes a few seconds a run and is not part of CI:
//
//	go test -run '^$' -bench ThroughputUnderRateLimit -benchtime 1x .
func BenchmarkThroughputUnderRateLimit(b *testing.B) {
	const (
		total   = 1000
		workers = 8
		limit   = 200
		window  = time.Second
	)
	for b.Loop() {
		srv := mockserver.New(mockserver.WithRateLimit(limit, window))
		hs := httptest.NewServer(srv)
		var throttled atomic.Int64
		c, err := xobito.New(srv.Default().Subdomain(), srv.Default().Token(),
			xobito.WithBaseURL(hs.URL+"/api/v1/"),
			xobito.WithHTTPClient(hs.Client()),
			// Several 429s in a row are normal here: a window's 200 slots go
			// in a fraction of a second, and every waiting worker comes back
			// at its end.
			xobito.WithRetry(xobito.RetryPolicy{MaxRetries: 20}),
			xobito.WithResponseHook(func(r *http.Response) {
				if r.StatusCode == http.StatusTooManyRequests {
					throttled.Add(1)
				}
			}))
		if err != nil {
			b.Fatal(err)
		}
		var failed atomic.Int64
		var wg sync.WaitGroup
		began := time.Now()
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := w; i < total; i += workers {
					if _, _, err := c.Contacts.List(ctx, &xobito.ContactListOptions{ListOptions: xobito.ListOptions{PerPage: 1}}); err != nil {
						failed.Add(1)
					}
				}
			}()
		}
		wg.Wait()
		elapsed := time.Since(began)
		minimum := began.Truncate(time.Second).Add(time.Duration(total/limit-1) * window).Sub(began)
		hs.Close()
		srv.Close()
		b.ReportMetric(elapsed.Seconds(), "elapsed-s")
		b.ReportMetric(minimum.Seconds(), "minimum-s")
		b.ReportMetric(elapsed.Seconds()/minimum.Seconds(), "ratio")
		b.ReportMetric(float64(throttled.Load()), "429s")
		b.ReportMetric(float64(failed.Load()), "failed")
		if failed.Load() != 0 {
			b.Fatalf("%d requests failed", failed.Load())
		}
	}
}
