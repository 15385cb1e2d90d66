package govreport

// The client's own behaviour against small in-process gRPC servers (retry
// on UNAVAILABLE for reads only, round_robin, deadlines, the token). Needs no
// govreport server; servers_test.go has the tests against the real ones.

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/resolver"
	"google.golang.org/grpc/resolver/manual"
	"google.golang.org/grpc/status"
	pb "govreport.dev/api/govreport/v1"
)

type flakyCatalog struct {
	pb.UnimplementedCatalogServiceServer
	label    string
	failures int
	code     codes.Code
	delay    time.Duration

	mu       sync.Mutex
	calls    int
	metadata []metadata.MD
}

func (f *flakyCatalog) GetRegion(ctx context.Context, req *pb.GetRegionRequest) (*pb.GetRegionResponse, error) {
	f.mu.Lock()
	f.calls++
	calls := f.calls
	md, _ := metadata.FromIncomingContext(ctx)
	f.metadata = append(f.metadata, md)
	f.mu.Unlock()
	if calls <= f.failures {
		return nil, status.Errorf(f.code, "%s: failure %d", f.label, calls)
	}
	if f.delay > 0 {
		select {
		case <-time.After(f.delay):
		case <-ctx.Done():
			// The deadline reached the server too (grpc-timeout); either
			// side may report it first.
			return nil, status.Error(codes.DeadlineExceeded, "server saw the deadline")
		}
	}
	return &pb.GetRegionResponse{Region: &pb.Region{Name: req.GetName(), DisplayName: f.label}}, nil
}

func (f *flakyCatalog) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

type flakyReports struct {
	pb.UnimplementedReportServiceServer
	mu    sync.Mutex
	calls int
}

func (f *flakyReports) IngestDocument(context.Context, *pb.IngestDocumentRequest) (*pb.IngestDocumentResponse, error) {
	f.mu.Lock()
	f.calls++
	f.mu.Unlock()
	return nil, status.Error(codes.Unavailable, "parser away")
}

// serve starts a server on 127.0.0.1 with the given registrations.
func serve(t *testing.T, register func(*grpc.Server)) string {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := grpc.NewServer()
	register(s)
	go s.Serve(lis)
	t.Cleanup(s.Stop)
	return lis.Addr().String()
}

func catalogServer(t *testing.T, c *flakyCatalog) string {
	return serve(t, func(s *grpc.Server) { pb.RegisterCatalogServiceServer(s, c) })
}

func dial(t *testing.T, target string, opts ...Option) *Client {
	t.Helper()
	c, err := Dial(target, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func needRetry(t *testing.T) {
	// grpc-go 1.33 (Debian 12) retries only with GRPC_GO_RETRY=on.
	if os.Getenv("GRPC_GO_RETRY") != "on" {
		t.Skip("GRPC_GO_RETRY=on is needed for retries with grpc-go < 1.40")
	}
}

func TestServiceConfig(t *testing.T) {
	var config struct {
		LoadBalancingConfig []map[string]interface{}
		MethodConfig        []struct {
			Name        []map[string]string
			RetryPolicy struct{ RetryableStatusCodes []string }
		}
	}
	if err := json.Unmarshal([]byte(ServiceConfig(true, true)), &config); err != nil {
		t.Fatal(err)
	}
	if _, ok := config.LoadBalancingConfig[0]["round_robin"]; !ok {
		t.Errorf("no round_robin in %v", config.LoadBalancingConfig)
	}
	mc := config.MethodConfig[0]
	if got := mc.RetryPolicy.RetryableStatusCodes; len(got) != 1 || got[0] != "UNAVAILABLE" {
		t.Errorf("retryable codes %v", got)
	}
	for _, n := range mc.Name {
		if n["method"] == "IngestDocument" || n["method"] == "PutReport" || n["method"] == "DeleteReport" {
			t.Errorf("write %v is retried", n)
		}
	}
	if got := ServiceConfig(false, false); got != "{}" {
		t.Errorf("ServiceConfig(false, false) = %s", got)
	}
}

func TestUnavailableIsRetried(t *testing.T) {
	needRetry(t)
	cat := &flakyCatalog{label: "ok", failures: 2, code: codes.Unavailable}
	c := dial(t, catalogServer(t, cat))
	resp, err := c.GetRegion(context.Background(), &pb.GetRegionRequest{Name: "regions/410325"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.GetRegion().GetName() != "regions/410325" || cat.count() != 3 {
		t.Errorf("got %v after %d calls, want the region after 3", resp, cat.count())
	}
}

func TestUnavailableIsNotRetriedWithoutRetry(t *testing.T) {
	cat := &flakyCatalog{label: "ok", failures: 2, code: codes.Unavailable}
	c := dial(t, catalogServer(t, cat), WithoutRetry())
	_, err := c.GetRegion(context.Background(), &pb.GetRegionRequest{Name: "regions/410325"})
	if status.Code(err) != codes.Unavailable || cat.count() != 1 {
		t.Errorf("got %v after %d calls, want UNAVAILABLE after 1", err, cat.count())
	}
}

func TestOtherCodesAreNotRetried(t *testing.T) {
	cat := &flakyCatalog{label: "ok", failures: 5, code: codes.NotFound}
	c := dial(t, catalogServer(t, cat))
	_, err := c.GetRegion(context.Background(), &pb.GetRegionRequest{Name: "regions/410325"})
	if status.Code(err) != codes.NotFound || cat.count() != 1 {
		t.Errorf("got %v after %d calls, want NOT_FOUND after 1", err, cat.count())
	}
}

func TestWritesAreNotRetried(t *testing.T) {
	needRetry(t)
	rep := &flakyReports{}
	addr := serve(t, func(s *grpc.Server) { pb.RegisterReportServiceServer(s, rep) })
	c := dial(t, addr)
	_, err := c.IngestDocument(context.Background(), &pb.IngestDocumentRequest{Content: []byte("x")})
	if status.Code(err) != codes.Unavailable || rep.calls != 1 {
		t.Errorf("got %v after %d calls, want UNAVAILABLE after 1", err, rep.calls)
	}
}

func TestRoundRobinSpreadsCalls(t *testing.T) {
	a := &flakyCatalog{label: "a"}
	b := &flakyCatalog{label: "b"}
	r := manual.NewBuilderWithScheme("govreporttest")
	r.InitialState(resolver.State{Addresses: []resolver.Address{
		{Addr: catalogServer(t, a)}, {Addr: catalogServer(t, b)},
	}})
	c := dial(t, r.Scheme()+":///backends", WithDialOptions(grpc.WithResolvers(r)))
	// The first calls may all go to the backend that connected first.
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end) && (a.count() == 0 || b.count() == 0); {
		if _, err := c.GetRegion(context.Background(), &pb.GetRegionRequest{Name: "regions/1"}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if a.count() == 0 || b.count() == 0 {
		t.Errorf("calls a %d, b %d: want both", a.count(), b.count())
	}
}

func TestDeadlines(t *testing.T) {
	cat := &flakyCatalog{label: "slow", delay: 5 * time.Second}
	addr := catalogServer(t, cat)
	c := dial(t, addr, WithTimeout(200*time.Millisecond))
	started := time.Now()
	// The default deadline, for a context without one.
	if _, err := c.GetRegion(context.Background(), &pb.GetRegionRequest{Name: "regions/1"}); status.Code(err) != codes.DeadlineExceeded {
		t.Errorf("default deadline: got %v", err)
	}
	// A per-call deadline (the context's) wins.
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := c.GetRegion(ctx, &pb.GetRegionRequest{Name: "regions/1"}); status.Code(err) != codes.DeadlineExceeded {
		t.Errorf("per-call deadline: got %v", err)
	}
	if elapsed := time.Since(started); elapsed > 3*time.Second {
		t.Errorf("deadlines took %v", elapsed)
	}
}

func TestTokenIsSentAsBearer(t *testing.T) {
	cat := &flakyCatalog{label: "ok"}
	c := dial(t, catalogServer(t, cat), WithToken("s3cret"))
	if _, err := c.GetRegion(context.Background(), &pb.GetRegionRequest{Name: "regions/1"}); err != nil {
		t.Fatal(err)
	}
	if got := cat.metadata[0].Get("authorization"); len(got) != 1 || got[0] != "Bearer s3cret" {
		t.Errorf("authorization %v", got)
	}
}

func TestSelectors(t *testing.T) {
	names := RegionList("410325", "regions/410308").GetRegionList().GetNames()
	if fmt.Sprint(names) != "[regions/410325 regions/410308]" {
		t.Errorf("RegionList names %v", names)
	}
	tree := Subtree("410300", pb.RegionLevel_REGION_LEVEL_COUNTY).GetSubtree()
	if tree.GetParent() != "regions/410300" || tree.GetLevel() != pb.RegionLevel_REGION_LEVEL_COUNTY {
		t.Errorf("Subtree %v", tree)
	}
	if s := Series("gdp", pb.ValueType_VALUE_TYPE_LEVEL, pb.ObservationKind_OBSERVATION_KIND_TARGET); s.GetIndicator() != "indicators/gdp" {
		t.Errorf("Series %v", s)
	}
}
