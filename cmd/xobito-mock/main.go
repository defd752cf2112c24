// Command xobito-mock runs the fake Xobito API of package mockserver as a
// standalone server, with seed data, and prints its base URL and token.
//
//	xobito-mock -addr 127.0.0.1:8080 -subdomain acme
//
// The controls of the package doc are served below /_mock/ on the same
// address. SIGINT or SIGTERM stops it cleanly.
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
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "xobito-mock:", err)
		}
		os.Exit(2)
	}
}

// run serves until ctx ends; it prints the base URL and token on out once
// listening.
func run(ctx context.Context, args []string, out, errOut io.Writer) error {
	fs := flag.NewFlagSet("xobito-mock", flag.ContinueOnError)
	fs.SetOutput(errOut)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	sub := fs.String("subdomain", mockserver.DefaultSubdomain, "subdomain of the default workspace")
	token := fs.String("token", "", "token of the default workspace (default: 64 random hex characters)")
	rateMax := fs.Int("rate-max", mockserver.DefaultRateMax, "requests allowed per rate-limit window")
	rateWindow := fs.Duration("rate-window", mockserver.DefaultRateWindow, "rate-limit window (whole seconds)")
	seed := fs.Bool("seed", true, "give the default workspace seed data")
	rateHeaders := fs.Bool("rate-headers", false, "send Retry-After and X-RateLimit-* headers")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	if *rateMax < 1 || *rateWindow < time.Second {
		return errors.New("-rate-max must be at least 1 and -rate-window at least 1s")
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
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(out, "base URL: http://%s/api/v1/%s/\ntoken:    %s\nadmin:    http://%s/_mock/\n",
		ln.Addr(), *sub, srv.Default().Token(), ln.Addr())

	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
