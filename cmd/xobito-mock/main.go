// Command xobito-mock runs the fake Xobito API of package mockserver as a
// standalone server, with seed data, and prints its base URL and token.
//
//	xobito-mock -addr 127.0.0.1:8080 -subdomain acme
//
// The controls of the package doc are served below /_mock/ on the same
// address. SIGINT or SIGTERM stops it: requests in flight are cancelled
// (one held by a latency fault ends as a dropped connection), and
// connections still open after 5 s are closed. A second signal during the
// shutdown kills the process.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/xobito/xobito-go/mockserver"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// Once the first signal starts the shutdown, stop catching signals: a
	// second one kills the process as usual.
	context.AfterFunc(ctx, stop)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "xobito-mock:", err)
		}
		os.Exit(2)
	}
}

// shutdownTimeout bounds how long the server waits for requests in flight
// once asked to stop; the connections still open then are closed.
const shutdownTimeout = 5 * time.Second

// run serves until ctx ends; it prints the base URL and token on out once
// listening.
func run(ctx context.Context, args []string, out, errOut io.Writer) error {
	fs := flag.NewFlagSet("xobito-mock", flag.ContinueOnError)
	fs.SetOutput(errOut)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	sub := fs.String("subdomain", mockserver.DefaultSubdomain, "subdomain of the default workspace (one path segment)")
	token := fs.String("token", "", "token of the default workspace (default: 64 random hex characters)")
	rateMax := fs.Int("rate-max", mockserver.DefaultRateMax, "requests allowed per rate-limit window")
	rateWindow := fs.Duration("rate-window", mockserver.DefaultRateWindow, "rate-limit window (whole seconds, at least 1s)")
	seed := fs.Bool("seed", true, "give the default workspace seed data")
	rateHeaders := fs.Bool("rate-headers", false, "send Retry-After and X-RateLimit-* headers")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	switch {
	case *rateMax < 1:
		return errors.New("-rate-max must be at least 1")
	case *rateWindow < time.Second || *rateWindow%time.Second != 0:
		return fmt.Errorf("-rate-window must be a whole number of seconds, at least 1s (got %s)", *rateWindow)
	}
	if err := mockserver.CheckSubdomain(*sub); err != nil {
		return fmt.Errorf("-subdomain %q: %w", *sub, err)
	}
	if err := mockserver.CheckToken(*token); err != nil {
		return fmt.Errorf("-token: %w", err)
	}

	srv := mockserver.New(
		mockserver.WithSubdomain(*sub), mockserver.WithToken(*token), mockserver.WithSeed(*seed),
		mockserver.WithRateLimit(*rateMax, *rateWindow), mockserver.WithRateLimitHeaders(*rateHeaders),
	)
	defer srv.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	// Every request's context derives from base, cancelled when shutdown
	// starts: a request held by a latency fault ends at once instead of
	// holding the shutdown up.
	base, cancelBase := context.WithCancel(context.Background())
	defer cancelBase()
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second,
		BaseContext: func(net.Listener) context.Context { return base }}
	fmt.Fprintf(out, "base URL: http://%s/api/v1/%s/\ntoken:    %s\nadmin:    http://%s/_mock/\n",
		ln.Addr(), *sub, srv.Default().Token(), ln.Addr())

	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	cancelBase()
	shutdown, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil {
		fmt.Fprintf(errOut, "xobito-mock: requests still open after %s: closing them (%v)\n", shutdownTimeout, err)
		_ = hs.Close()
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
