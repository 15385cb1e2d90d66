// Package govreport is a thin client of the govreport query server over the
// generated stubs (govreport.dev/api/govreport/v1, written by
// scripts/gen_clients).
//
// A Client embeds the generated CatalogService, ReportService and
// QueryService clients, so every RPC is a method with the generated request
// and response types:
//
//	c, err := govreport.Dial("127.0.0.1:50052")
//	defer c.Close()
//	resp, err := c.CompareRegions(ctx, &pb.CompareRegionsRequest{...})
//
// What it adds: a channel with round_robin and retries of the read-only
// methods on UNAVAILABLE (through the gRPC service config), a default
// deadline for calls whose context has none, the bearer token as metadata,
// region selector helpers and Walk* helpers that follow page tokens to the
// end. Errors are the gRPC status errors as returned: status.Code(err),
// status.Convert(err).Message().
//
// Retries: grpc-go before 1.40 (Debian 12 ships 1.33) only retries with the
// environment variable GRPC_GO_RETRY=on; later versions retry by default.
package govreport

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/proto"
	pb "govreport.dev/api/govreport/v1"
)

// DefaultTimeout is the deadline of a call whose context has none.
const DefaultTimeout = 10 * time.Second

// readMethods are retried on UNAVAILABLE; nil means every method of the
// service. Writes (IngestDocument, PutReport, DeleteReport) are not retried.
var readMethods = []struct {
	service string
	methods []string
}{
	{"govreport.v1.CatalogService", nil},
	{"govreport.v1.QueryService", nil},
	{"govreport.v1.ReportService", []string{"GetReport", "ListReports", "ListPolicyMeasures", "ListObservations"}},
}

// ServiceConfig is the gRPC service config (JSON) of the client's channel:
// round_robin over every resolved address, and up to 4 attempts of the
// read-only methods on UNAVAILABLE with exponential backoff.
func ServiceConfig(roundRobin, retry bool) string {
	config := map[string]interface{}{}
	if roundRobin {
		config["loadBalancingConfig"] = []interface{}{map[string]interface{}{"round_robin": map[string]interface{}{}}}
	}
	if retry {
		var names []map[string]string
		for _, s := range readMethods {
			if s.methods == nil {
				names = append(names, map[string]string{"service": s.service})
			}
			for _, m := range s.methods {
				names = append(names, map[string]string{"service": s.service, "method": m})
			}
		}
		config["methodConfig"] = []interface{}{map[string]interface{}{
			"name": names,
			"retryPolicy": map[string]interface{}{
				"maxAttempts":          4,
				"initialBackoff":       "0.1s",
				"maxBackoff":           "2s",
				"backoffMultiplier":    2,
				"retryableStatusCodes": []string{"UNAVAILABLE"},
			},
		}}
	}
	out, err := json.Marshal(config)
	if err != nil {
		panic(err) // static structure: cannot fail
	}
	return string(out)
}

type options struct {
	timeout     time.Duration
	token       string
	roundRobin  bool
	retry       bool
	creds       credentials.TransportCredentials
	dialOptions []grpc.DialOption
}

// An Option configures Dial.
type Option func(*options)

// WithTimeout sets the deadline of calls whose context has none (default
// DefaultTimeout; 0 means none). A context deadline always wins.
func WithTimeout(d time.Duration) Option { return func(o *options) { o.timeout = d } }

// WithToken sends `authorization: Bearer TOKEN` with every call.
func WithToken(token string) Option { return func(o *options) { o.token = token } }

// WithoutRetry turns off the retries on UNAVAILABLE.
func WithoutRetry() Option { return func(o *options) { o.retry = false } }

// WithoutRoundRobin keeps gRPC's default pick_first balancing.
func WithoutRoundRobin() Option { return func(o *options) { o.roundRobin = false } }

// WithTransportCredentials uses TLS (or other) credentials; default plaintext.
func WithTransportCredentials(c credentials.TransportCredentials) Option {
	return func(o *options) { o.creds = c }
}

// WithDialOptions appends raw grpc.DialOptions.
func WithDialOptions(opts ...grpc.DialOption) Option {
	return func(o *options) { o.dialOptions = append(o.dialOptions, opts...) }
}

// Client is a connection to the query server with its three services.
type Client struct {
	pb.CatalogServiceClient
	pb.ReportServiceClient
	pb.QueryServiceClient

	conn    *grpc.ClientConn
	timeout time.Duration
	token   string
}

// Dial connects (lazily, like grpc.Dial) to a query server, e.g.
// "127.0.0.1:50052" or "dns:///query:50052".
func Dial(target string, opts ...Option) (*Client, error) {
	o := options{timeout: DefaultTimeout, roundRobin: true, retry: true}
	for _, opt := range opts {
		opt(&o)
	}
	c := &Client{timeout: o.timeout, token: o.token}
	dial := []grpc.DialOption{
		grpc.WithDefaultServiceConfig(ServiceConfig(o.roundRobin, o.retry)),
		grpc.WithUnaryInterceptor(c.intercept),
	}
	if o.creds != nil {
		dial = append(dial, grpc.WithTransportCredentials(o.creds))
	} else {
		dial = append(dial, grpc.WithInsecure())
	}
	if !o.retry {
		dial = append(dial, grpc.WithDisableRetry())
	}
	conn, err := grpc.Dial(target, append(dial, o.dialOptions...)...)
	if err != nil {
		return nil, err
	}
	c.conn = conn
	c.CatalogServiceClient = pb.NewCatalogServiceClient(conn)
	c.ReportServiceClient = pb.NewReportServiceClient(conn)
	c.QueryServiceClient = pb.NewQueryServiceClient(conn)
	return c, nil
}

// Conn is the underlying connection.
func (c *Client) Conn() *grpc.ClientConn { return c.conn }

// Close closes the connection.
func (c *Client) Close() error { return c.conn.Close() }

func (c *Client) intercept(ctx context.Context, method string, req, reply interface{},
	cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
	if _, ok := ctx.Deadline(); !ok && c.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}
	if c.token != "" {
		ctx = metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+c.token)
	}
	return invoker(ctx, method, req, reply, cc, opts...)
}

// RegionName returns `regions/CODE` for a bare division code, else name.
func RegionName(name string) string {
	if strings.HasPrefix(name, "regions/") {
		return name
	}
	return "regions/" + name
}

// IndicatorName returns `indicators/SLUG` for a bare slug, else name.
func IndicatorName(name string) string {
	if strings.HasPrefix(name, "indicators/") {
		return name
	}
	return "indicators/" + name
}

// RegionList selects regions by name or bare division code.
func RegionList(names ...string) *pb.RegionSelector {
	list := make([]string, len(names))
	for i, n := range names {
		list[i] = RegionName(n)
	}
	return &pb.RegionSelector{Selector: &pb.RegionSelector_RegionList{RegionList: &pb.RegionList{Names: list}}}
}

// Subtree selects every region under parent at level.
func Subtree(parent string, level pb.RegionLevel) *pb.RegionSelector {
	return &pb.RegionSelector{Selector: &pb.RegionSelector_Subtree{
		Subtree: &pb.RegionSubtree{Parent: RegionName(parent), Level: level}}}
}

// Series is a SeriesKey for an indicator (slug or name), value type and kind.
func Series(indicator string, valueType pb.ValueType, kind pb.ObservationKind) *pb.SeriesKey {
	return &pb.SeriesKey{Indicator: IndicatorName(indicator), ValueType: valueType, Kind: kind}
}

// walk calls page with "" and then each next page token until the last page.
func walk(page func(token string) (next string, err error)) error {
	seen := map[string]bool{}
	token := ""
	for {
		next, err := page(token)
		if err != nil || next == "" {
			return err
		}
		if seen[next] { // a server bug must not make us loop forever
			return fmt.Errorf("govreport: page token %q repeated by the server", next)
		}
		seen[next] = true
		token = next
	}
}

// WalkRegions calls fn with every region of the listing, page after page, to
// the end; req is not modified. Each page is its own call (and deadline).
func (c *Client) WalkRegions(ctx context.Context, req *pb.ListRegionsRequest, fn func(*pb.Region) error) error {
	req = proto.Clone(req).(*pb.ListRegionsRequest)
	return walk(func(token string) (string, error) {
		req.PageToken = token
		resp, err := c.ListRegions(ctx, req)
		if err != nil {
			return "", err
		}
		for _, r := range resp.GetRegions() {
			if err := fn(r); err != nil {
				return "", err
			}
		}
		return resp.GetNextPageToken(), nil
	})
}

// WalkReports calls fn with every report of the listing, to the end.
func (c *Client) WalkReports(ctx context.Context, req *pb.ListReportsRequest, fn func(*pb.Report) error) error {
	req = proto.Clone(req).(*pb.ListReportsRequest)
	return walk(func(token string) (string, error) {
		req.PageToken = token
		resp, err := c.ListReports(ctx, req)
		if err != nil {
			return "", err
		}
		for _, r := range resp.GetReports() {
			if err := fn(r); err != nil {
				return "", err
			}
		}
		return resp.GetNextPageToken(), nil
	})
}

// WalkObservations calls fn with every observation of the listing, to the end.
func (c *Client) WalkObservations(ctx context.Context, req *pb.ListObservationsRequest, fn func(*pb.Observation) error) error {
	req = proto.Clone(req).(*pb.ListObservationsRequest)
	return walk(func(token string) (string, error) {
		req.PageToken = token
		resp, err := c.ListObservations(ctx, req)
		if err != nil {
			return "", err
		}
		for _, o := range resp.GetObservations() {
			if err := fn(o); err != nil {
				return "", err
			}
		}
		return resp.GetNextPageToken(), nil
	})
}
