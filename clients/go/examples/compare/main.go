// Command compare compares one indicator across regions for one year, ranked.
//
//	GOPATH=clients/go/gen:/usr/share/gocode GO111MODULE=off \
//	    go run govreport.dev/client/examples/compare --server=127.0.0.1:50052 410325 410308
//
// Run scripts/gen_clients first (the stubs are generated, not committed).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"google.golang.org/grpc/status"
	pb "govreport.dev/api/govreport/v1"
	"govreport.dev/client/govreport"
)

func main() {
	server := flag.String("server", "127.0.0.1:50052", "query server host:port")
	indicator := flag.String("indicator", "urban-new-employment", "indicator slug")
	year := flag.Int("year", 2024, "reference year")
	timeout := flag.Duration("timeout", 5*time.Second, "deadline of the call")
	flag.Parse()
	regions := flag.Args()
	if len(regions) == 0 {
		regions = []string{"410325", "410308"} // 嵩县, 孟津区
	}

	client, err := govreport.Dial(*server)
	if err != nil {
		fmt.Fprintln(os.Stderr, "dial:", err)
		os.Exit(1)
	}
	defer client.Close()

	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	resp, err := client.CompareRegions(ctx, &pb.CompareRegionsRequest{
		Regions: govreport.RegionList(regions...),
		Series:  govreport.Series(*indicator, pb.ValueType_VALUE_TYPE_LEVEL, pb.ObservationKind_OBSERVATION_KIND_TARGET),
		Year:    int32(*year),
	})
	if err != nil {
		st := status.Convert(err)
		fmt.Fprintf(os.Stderr, "CompareRegions failed: %s: %s\n", st.Code(), st.Message())
		os.Exit(1)
	}
	fmt.Printf("%s target %d (data version %s)\n", *indicator, *year, resp.GetDataVersion())
	for _, row := range resp.GetRows() {
		if row.GetRank() == 0 {
			fmt.Printf("  -  %s\t(no value)\n", row.GetRegionDisplayName())
			continue
		}
		q := row.GetObservation().GetQuantity()
		fmt.Printf("%3d  %s\t%g %s\t%s\n", row.GetRank(), row.GetRegionDisplayName(), q.GetValue(), q.GetUnit(), q.GetOriginalText())
	}
}
