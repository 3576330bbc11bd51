package api

// The HTTP side of the client URLs (etcd: embed/serve.go and
// etcdserver/api/etcdhttp): what the mux (mux.go) hands to net/http.
//
//	GET  /version   {"etcdserver":"3.5.0","etcdcluster":"3.5.0"}
//	GET  /health    the member's health, as on the metrics URLs
//	GET  /metrics   the member's Prometheus registry, as on the metrics URLs
//	POST /v3/…      the JSON gateway (gateway.go, gateway_stream.go)
//
// Every answer carries etcd's CORS headers for its default --cors "*", and
// OPTIONS is answered with them alone (etcd: embed/serve.go corsHandler),
// so that a page on another origin can call the gateway. An unknown path
// is 404 and a gateway path with the wrong method 405, as in etcd.

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// httpReadHeaderTimeout bounds how long a client may take to send a
// request's headers.
const httpReadHeaderTimeout = 10 * time.Second

// newHTTPServer makes the server for the HTTP connections of every client
// listener; its requests' contexts end when Stop is called.
func (s *Server) newHTTPServer() {
	ctx, cancel := context.WithCancel(context.Background())
	s.httpCancel = cancel
	s.http = &http.Server{
		Handler:           withCORS(s.httpRoutes()),
		ReadHeaderTimeout: httpReadHeaderTimeout,
		BaseContext:       func(net.Listener) context.Context { return ctx },
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
	}
}

// httpRoutes is the client URLs' HTTP routing.
func (s *Server) httpRoutes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /version", serveVersion)
	mux.Handle("GET /health", s.d.HealthHandler())
	mux.Handle("GET /metrics", s.d.MetricsHandler())
	for _, rt := range s.gatewayRoutes() {
		mux.Handle("POST "+rt.path, s.serveUnary(rt))
	}
	for _, rt := range s.gatewayStreamRoutes() {
		mux.Handle("POST "+rt.path, s.serveStream(rt))
	}
	mux.HandleFunc("POST /v3/", func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "Not Found", http.StatusNotFound) // grpc-gateway's text
	})
	if s.cfg.EnablePprof {
		servePprof(mux)
	}
	return mux
}

// servePprof serves Go's runtime profiles where etcd's --enable-pprof does.
func servePprof(mux *http.ServeMux) {
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
}

// serveVersion reports the server and cluster versions; etcdlab's are
// both the API version Status reports (maintenance.go).
func serveVersion(w http.ResponseWriter, _ *http.Request) {
	body, _ := json.Marshal(struct {
		Server  string `json:"etcdserver"`
		Cluster string `json:"etcdcluster"`
	}{Version, Version})
	w.Header().Set("Content-Type", "application/json")
	w.Write(body)
}

// withCORS adds etcd's CORS headers and answers preflight requests.
func withCORS(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("Access-Control-Allow-Methods", "POST, GET, OPTIONS, PUT, DELETE")
		h.Set("Access-Control-Allow-Headers", "accept, content-type, authorization")
		if r.Method == http.MethodOptions {
			return
		}
		next.ServeHTTP(w, r)
	})
}

// serveHTTP serves the HTTP connections of one client listener.
func (s *Server) serveHTTP(l net.Listener) {
	if err := s.http.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) && !errors.Is(err, net.ErrClosed) {
		s.log.Error("client HTTP listener failed", "address", l.Addr().String(), "error", err)
	}
}

// stopHTTP ends the streams (their contexts), lets running calls finish
// for a moment, and closes every HTTP connection.
func (s *Server) stopHTTP() {
	s.httpCancel()
	ctx, cancel := context.WithTimeout(context.Background(), stopGrace)
	defer cancel()
	if err := s.http.Shutdown(ctx); err != nil {
		s.http.Close()
	}
}
