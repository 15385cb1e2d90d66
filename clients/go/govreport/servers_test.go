package govreport

// The Go client against the real query server with the development document
// ingested (clients/run_client_tests starts both servers and sets
// GOVREPORT_QUERY_ADDR and GOVREPORT_GOLD). Skipped without them.

import (
	"bufio"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	pb "govreport.dev/api/govreport/v1"
)

const (
	song      = "regions/410325" // 嵩县
	mengjin   = "regions/410308" // 孟津区
	luoyang   = "regions/410300"
	henan     = "regions/410000"
	indicator = "indicators/urban-new-employment"
	year      = 2024
)

var display = map[string]string{song: "嵩县", mengjin: "孟津区"}

type goldRow struct {
	Region  string  `json:"region"`
	Year    int32   `json:"year"`
	Kind    string  `json:"kind"`
	Subject string  `json:"subject"`
	Value   float64 `json:"value"`
}

// The gold file's kinds: a plan (工作安排) figure is a target.
var goldKinds = map[string]pb.ObservationKind{
	"target":   pb.ObservationKind_OBSERVATION_KIND_TARGET,
	"plan":     pb.ObservationKind_OBSERVATION_KIND_TARGET,
	"achieved": pb.ObservationKind_OBSERVATION_KIND_ACHIEVED,
}

type fixture struct {
	c        *Client
	ctx      context.Context
	gold     []goldRow
	subjects map[string]bool // every name of the indicator
}

func setup(t *testing.T) *fixture {
	t.Helper()
	addr := os.Getenv("GOVREPORT_QUERY_ADDR")
	if addr == "" {
		t.Skip("GOVREPORT_QUERY_ADDR is not set (clients/run_client_tests sets it)")
	}
	goldPath := os.Getenv("GOVREPORT_GOLD")
	if goldPath == "" {
		goldPath = filepath.Join("..", "..", "..", "..", "shared", "data", "reports", "000_seed.jsonl")
	}
	f, err := os.Open(goldPath)
	if err != nil {
		t.Skipf("gold file: %v", err)
	}
	defer f.Close()
	var gold []goldRow
	scanner := bufio.NewScanner(f)
	scanner.Buffer(make([]byte, 1<<20), 1<<20)
	for scanner.Scan() {
		line := strings.TrimSpace(scanner.Text())
		if line == "" {
			continue
		}
		var row goldRow
		if err := json.Unmarshal([]byte(line), &row); err != nil {
			t.Fatalf("gold %s: %v", goldPath, err)
		}
		gold = append(gold, row)
	}
	if err := scanner.Err(); err != nil {
		t.Fatal(err)
	}

	c := dial(t, addr, WithTimeout(10*time.Second))
	ctx := context.Background()
	ind, err := c.GetIndicator(ctx, &pb.GetIndicatorRequest{Name: indicator})
	if err != nil {
		t.Fatal(err)
	}
	subjects := map[string]bool{ind.GetIndicator().GetDisplayName(): true}
	for _, a := range ind.GetIndicator().GetAliases() {
		subjects[a] = true
	}
	return &fixture{c: c, ctx: ctx, gold: gold, subjects: subjects}
}

func (f *fixture) goldValues(region string, y int32, kind pb.ObservationKind) []float64 {
	var values []float64
	for _, r := range f.gold {
		if r.Region == display[region] && r.Year == y && goldKinds[r.Kind] == kind && f.subjects[r.Subject] {
			values = append(values, r.Value)
		}
	}
	return values
}

func TestServerGetRegion(t *testing.T) {
	f := setup(t)
	resp, err := f.c.GetRegion(f.ctx, &pb.GetRegionRequest{Name: RegionName("410308")})
	if err != nil {
		t.Fatal(err)
	}
	r := resp.GetRegion()
	if r.GetName() != mengjin || r.GetDisplayName() != "孟津区" ||
		r.GetLevel() != pb.RegionLevel_REGION_LEVEL_COUNTY || r.GetParent() != luoyang {
		t.Errorf("GetRegion = %v", r)
	}
}

func TestServerListRegions(t *testing.T) {
	f := setup(t)
	resp, err := f.c.ListRegions(f.ctx, &pb.ListRegionsRequest{
		Parent: luoyang, Level: pb.RegionLevel_REGION_LEVEL_COUNTY, PageSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, r := range resp.GetRegions() {
		names[r.GetName()] = r.GetDisplayName()
	}
	if names[song] != "嵩县" || names[mengjin] != "孟津区" {
		t.Errorf("counties of 洛阳市: %v", names)
	}
	if int(resp.GetTotalSize()) != len(resp.GetRegions()) || resp.GetNextPageToken() != "" {
		t.Errorf("total %d, %d regions, next %q", resp.GetTotalSize(), len(resp.GetRegions()), resp.GetNextPageToken())
	}
}

func TestServerGetReport(t *testing.T) {
	f := setup(t)
	name := song + "/reports/2024"
	basic, err := f.c.GetReport(f.ctx, &pb.GetReportRequest{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	r := basic.GetReport()
	if r.GetName() != name || r.GetRegion() != song || r.GetYear() != year || r.GetTitle() == "" {
		t.Errorf("GetReport = %v", r)
	}
	if len(r.GetObservations()) != 0 {
		t.Errorf("BASIC view has %d observations", len(r.GetObservations()))
	}
	full, err := f.c.GetReport(f.ctx, &pb.GetReportRequest{Name: name, View: pb.ReportView_REPORT_VIEW_FULL})
	if err != nil {
		t.Fatal(err)
	}
	if len(full.GetReport().GetObservations()) == 0 {
		t.Error("FULL view without observations")
	}
	for _, o := range full.GetReport().GetObservations() {
		if o.GetReport() != name {
			t.Errorf("observation %s of report %s", o.GetName(), o.GetReport())
		}
	}
}

func TestServerListReports(t *testing.T) {
	f := setup(t)
	found := map[string]bool{}
	err := f.c.WalkReports(f.ctx, &pb.ListReportsRequest{Parent: "regions/-", Years: []int32{year}},
		func(r *pb.Report) error { found[r.GetName()] = true; return nil })
	if err != nil {
		t.Fatal(err)
	}
	if !found[song+"/reports/2024"] || !found[mengjin+"/reports/2024"] {
		t.Errorf("reports of 2024: %v", found)
	}
}

func TestServerCompareRegionsMatchesGold(t *testing.T) {
	f := setup(t)
	resp, err := f.c.CompareRegions(f.ctx, &pb.CompareRegionsRequest{
		Regions: RegionList(song, mengjin),
		Series:  Series(indicator, pb.ValueType_VALUE_TYPE_LEVEL, pb.ObservationKind_OBSERVATION_KIND_TARGET),
		Year:    year,
	})
	if err != nil {
		t.Fatal(err)
	}
	if resp.GetTotalSize() != 2 || len(resp.GetRows()) != 2 {
		t.Fatalf("rows %v", resp.GetRows())
	}
	seen := map[string]bool{}
	for _, row := range resp.GetRows() {
		seen[row.GetRegion()] = true
		if row.GetRegionDisplayName() != display[row.GetRegion()] ||
			row.GetAvailability() != pb.Availability_AVAILABILITY_AVAILABLE {
			t.Errorf("row %v", row)
			continue
		}
		want := f.goldValues(row.GetRegion(), year, pb.ObservationKind_OBSERVATION_KIND_TARGET)
		if len(want) != 1 {
			t.Fatalf("gold: %d target values for %s", len(want), row.GetRegionDisplayName())
		}
		if got := row.GetObservation().GetQuantity().GetValue(); math.Abs(got-want[0]) > 1e-9 {
			t.Errorf("%s: %v, gold %v", row.GetRegionDisplayName(), got, want[0])
		}
		if row.GetObservation().GetIndicator() != indicator {
			t.Errorf("indicator %s", row.GetObservation().GetIndicator())
		}
	}
	if !seen[song] || !seen[mengjin] {
		t.Errorf("regions %v", seen)
	}
	rows := append([]*pb.RegionRow(nil), resp.GetRows()...)
	sort.Slice(rows, func(i, j int) bool { return rows[i].GetRank() < rows[j].GetRank() })
	if rows[0].GetRank() != 1 || rows[1].GetRank() != 2 ||
		rows[0].GetObservation().GetQuantity().GetEffectiveValue() < rows[1].GetObservation().GetQuantity().GetEffectiveValue() {
		t.Errorf("not ranked by value, descending: %v", rows)
	}
}

func TestServerCompareYears(t *testing.T) {
	f := setup(t)
	regions := []string{mengjin, song}
	resp, err := f.c.CompareYears(f.ctx, &pb.CompareYearsRequest{
		Regions: regions,
		Series:  Series(indicator, pb.ValueType_VALUE_TYPE_LEVEL, pb.ObservationKind_OBSERVATION_KIND_UNSPECIFIED),
		Years:   &pb.YearRange{FirstYear: year - 1, LastYear: year},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.GetSeries()) != 2 {
		t.Fatalf("series %v", resp.GetSeries())
	}
	checked := 0
	for i, s := range resp.GetSeries() {
		if s.GetRegion() != regions[i] {
			t.Errorf("series %d is %s, want %s (request order)", i, s.GetRegion(), regions[i])
		}
		if len(s.GetPoints()) != 2 || s.GetPoints()[0].GetYear() != year-1 || s.GetPoints()[1].GetYear() != year {
			t.Errorf("points of %s: %v", s.GetRegion(), s.GetPoints())
			continue
		}
		for _, p := range s.GetPoints() {
			sides := []struct {
				kind         pb.ObservationKind
				availability pb.Availability
				obs          *pb.Observation
			}{
				{pb.ObservationKind_OBSERVATION_KIND_TARGET, p.GetTargetAvailability(), p.GetTarget()},
				{pb.ObservationKind_OBSERVATION_KIND_ACHIEVED, p.GetAchievedAvailability(), p.GetAchieved()},
			}
			for _, side := range sides {
				want := f.goldValues(s.GetRegion(), p.GetYear(), side.kind)
				if len(want) == 0 {
					continue
				}
				checked++
				if side.availability != pb.Availability_AVAILABILITY_AVAILABLE {
					t.Errorf("%s %d %s: %s", s.GetRegion(), p.GetYear(), side.kind, side.availability)
				} else if got := side.obs.GetQuantity().GetValue(); math.Abs(got-want[0]) > 1e-9 {
					t.Errorf("%s %d %s: %v, gold %v", s.GetRegion(), p.GetYear(), side.kind, got, want[0])
				}
			}
		}
	}
	if checked < 2 {
		t.Errorf("only %d values checked against the gold file", checked)
	}
}

func TestServerUnknownRegionIsNotFound(t *testing.T) {
	f := setup(t)
	_, err := f.c.GetRegion(f.ctx, &pb.GetRegionRequest{Name: "regions/999999"})
	st := status.Convert(err)
	if st.Code() != codes.NotFound || !strings.Contains(st.Message(), "999999") {
		t.Errorf("GetRegion(regions/999999): %v", err)
	}
	_, err = f.c.CompareRegions(f.ctx, &pb.CompareRegionsRequest{
		Regions: RegionList(song, "999999"),
		Series:  Series(indicator, pb.ValueType_VALUE_TYPE_LEVEL, pb.ObservationKind_OBSERVATION_KIND_TARGET),
		Year:    year,
	})
	if st := status.Convert(err); st.Code() != codes.NotFound || !strings.Contains(st.Message(), "999999") {
		t.Errorf("CompareRegions with regions/999999: %v", err)
	}
}

func TestServerListRegionsWalkedToTheEnd(t *testing.T) {
	f := setup(t)
	req := &pb.ListRegionsRequest{Parent: henan, Level: pb.RegionLevel_REGION_LEVEL_COUNTY, PageSize: 5}
	first, err := f.c.ListRegions(f.ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.GetRegions()) != 5 || first.GetNextPageToken() == "" {
		t.Fatalf("first page: %d regions, next %q", len(first.GetRegions()), first.GetNextPageToken())
	}
	var names []string
	seen := map[string]bool{}
	err = f.c.WalkRegions(f.ctx, req, func(r *pb.Region) error {
		if seen[r.GetName()] {
			t.Errorf("%s twice", r.GetName())
		}
		seen[r.GetName()] = true
		names = append(names, r.GetName())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if req.GetPageToken() != "" {
		t.Error("WalkRegions changed the request")
	}
	if len(names) != int(first.GetTotalSize()) || len(names) <= 5 {
		t.Errorf("%d regions walked, total_size %d", len(names), first.GetTotalSize())
	}
	if !sort.StringsAreSorted(names) {
		t.Error("not ordered by division code")
	}
	if !seen[song] || !seen[mengjin] {
		t.Error("嵩县 or 孟津区 missing")
	}
}

func TestServerListObservationsWalkedToTheEnd(t *testing.T) {
	f := setup(t)
	parent := mengjin + "/reports/2024"
	full, err := f.c.GetReport(f.ctx, &pb.GetReportRequest{Name: parent, View: pb.ReportView_REPORT_VIEW_FULL})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, o := range full.GetReport().GetObservations() {
		want = append(want, o.GetName())
	}
	var got []string
	pages := 0
	token := ""
	for {
		resp, err := f.c.ListObservations(f.ctx, &pb.ListObservationsRequest{Parent: parent, PageSize: 7, PageToken: token})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if len(resp.GetObservations()) > 7 {
			t.Errorf("page of %d", len(resp.GetObservations()))
		}
		for _, o := range resp.GetObservations() {
			got = append(got, o.GetName())
		}
		if token = resp.GetNextPageToken(); token == "" {
			break
		}
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("walked %d observations, the report has %d (or in another order)", len(got), len(want))
	}
	if pages != (len(got)+6)/7 {
		t.Errorf("%d pages for %d observations", pages, len(got))
	}
	var walked []string
	err = f.c.WalkObservations(f.ctx, &pb.ListObservationsRequest{Parent: parent, PageSize: 7},
		func(o *pb.Observation) error { walked = append(walked, o.GetName()); return nil })
	if err != nil || strings.Join(walked, ",") != strings.Join(got, ",") {
		t.Errorf("WalkObservations: %v, %d observations", err, len(walked))
	}
}

func TestServerOtherReads(t *testing.T) {
	f := setup(t)
	if _, err := f.c.EvaluateTargets(f.ctx, &pb.EvaluateTargetsRequest{Regions: RegionList(song, mengjin), Year: year - 1}); err != nil {
		t.Error(err)
	}
	obs, err := f.c.QueryObservations(f.ctx, &pb.QueryObservationsRequest{
		Regions: RegionList(mengjin), Indicators: []string{indicator}, ReportYears: []int32{year}})
	if err != nil || len(obs.GetObservations()) == 0 {
		t.Errorf("QueryObservations: %v, %d observations", err, len(obs.GetObservations()))
	}
	cov, err := f.c.SummarizeCoverage(f.ctx, &pb.SummarizeCoverageRequest{
		Regions: RegionList(song, mengjin), Indicators: []string{indicator}})
	if err != nil || len(cov.GetCoverages()) == 0 {
		t.Errorf("SummarizeCoverage: %v, %v", err, cov.GetCoverages())
	}
}
