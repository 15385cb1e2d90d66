// The Node client against the real query server with the development
// document ingested (clients/run_client_tests starts both servers and sets
// GOVREPORT_QUERY_ADDR and GOVREPORT_GOLD). Skipped without them.

import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";

import {
  Availability,
  GovreportClient,
  grpc,
  isGrpcError,
  ObservationKind,
  RegionLevel,
  ReportView,
} from "../src/index";

const ADDR = process.env.GOVREPORT_QUERY_ADDR;
const GOLD_PATH =
  process.env.GOVREPORT_GOLD ??
  path.resolve(__dirname, "../../../../../shared/data/reports/000_seed.jsonl"); // from dist/test
const skip = !ADDR
  ? "GOVREPORT_QUERY_ADDR is not set (clients/run_client_tests sets it)"
  : !existsSync(GOLD_PATH)
    ? `gold file ${GOLD_PATH} is absent`
    : false;

const SONG = "regions/410325"; // 嵩县
const MENGJIN = "regions/410308"; // 孟津区
const LUOYANG = "regions/410300";
const HENAN = "regions/410000";
const INDICATOR = "indicators/urban-new-employment";
const YEAR = 2024;
const DISPLAY: Record<string, string> = { [SONG]: "嵩县", [MENGJIN]: "孟津区" };

interface GoldRow {
  region: string;
  year: number;
  kind: string;
  subject: string;
  value: number;
}
// The gold file's kinds: a plan (工作安排) figure is a target.
const GOLD_KINDS: Record<string, ObservationKind> = {
  target: ObservationKind.OBSERVATION_KIND_TARGET,
  plan: ObservationKind.OBSERVATION_KIND_TARGET,
  achieved: ObservationKind.OBSERVATION_KIND_ACHIEVED,
};

function readGold(): GoldRow[] {
  return readFileSync(GOLD_PATH, "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as GoldRow);
}

describe("against the servers", { skip }, () => {
  let client: GovreportClient;
  let gold: GoldRow[];
  let subjects: Set<string>; // every name of the indicator: what gold `subject` may say

  const goldValues = (display: string, year: number, kind: ObservationKind) =>
    gold
      .filter((r) => r.region === display && r.year === year && GOLD_KINDS[r.kind] === kind && subjects.has(r.subject))
      .map((r) => r.value);

  before(async () => {
    client = new GovreportClient(ADDR!, { timeoutMs: 10_000 });
    gold = readGold();
    const { indicator } = await client.getIndicator(INDICATOR);
    assert.equal(indicator?.name, INDICATOR);
    subjects = new Set([indicator!.displayName, ...indicator!.aliases]);
  });
  after(() => client?.close());

  test("GetRegion", async () => {
    const { region } = await client.getRegion("410308");
    assert.equal(region?.name, MENGJIN);
    assert.equal(region?.displayName, "孟津区");
    assert.equal(region?.level, RegionLevel.REGION_LEVEL_COUNTY);
    assert.equal(region?.parent, LUOYANG);
  });

  test("ListRegions", async () => {
    const resp = await client.listRegions({ parent: LUOYANG, level: "county", pageSize: 1000 });
    const names = new Map(resp.regions.map((r) => [r.name, r.displayName]));
    assert.equal(names.get(SONG), "嵩县");
    assert.equal(names.get(MENGJIN), "孟津区");
    assert.equal(resp.totalSize, resp.regions.length);
    assert.equal(resp.nextPageToken, "");
  });

  test("GetReport", async () => {
    const name = `${SONG}/reports/${YEAR}`;
    const { report } = await client.getReport(name);
    assert.equal(report?.name, name);
    assert.equal(report?.region, SONG);
    assert.equal(report?.year, YEAR);
    assert.ok(report?.title);
    assert.equal(report?.observations.length, 0); // BASIC view
    const full = (await client.getReport(name, { view: ReportView.REPORT_VIEW_FULL })).report!;
    assert.ok(full.observations.length > 0);
    assert.ok(full.observations.every((o) => o.report === name));
  });

  test("ListReports", async () => {
    const names: string[] = [];
    for await (const r of client.iterReports({ parent: "regions/-", years: [YEAR] })) names.push(r.name);
    assert.ok(names.includes(`${SONG}/reports/${YEAR}`));
    assert.ok(names.includes(`${MENGJIN}/reports/${YEAR}`));
  });

  test("CompareRegions equals the gold values", async () => {
    const resp = await client.compareRegions({
      regions: [SONG, MENGJIN],
      indicator: INDICATOR,
      year: YEAR,
      kind: "target",
      valueType: "level",
    });
    assert.equal(resp.totalSize, 2);
    assert.deepEqual(new Set(resp.rows.map((r) => r.region)), new Set([SONG, MENGJIN]));
    for (const row of resp.rows) {
      assert.equal(row.regionDisplayName, DISPLAY[row.region]);
      assert.equal(row.availability, Availability.AVAILABILITY_AVAILABLE);
      const expected = goldValues(DISPLAY[row.region], YEAR, ObservationKind.OBSERVATION_KIND_TARGET);
      assert.equal(expected.length, 1, `one gold target for ${row.regionDisplayName}: ${expected}`);
      assert.equal(row.observation?.quantity?.value, expected[0]);
      assert.equal(row.observation?.indicator, INDICATOR);
    }
    const ranked = [...resp.rows].sort((x, y) => x.rank - y.rank);
    assert.deepEqual(
      ranked.map((r) => r.rank),
      [1, 2],
    );
    const values = ranked.map((r) => r.observation!.quantity!.effectiveValue!);
    assert.ok(values[0] >= values[1]);
  });

  test("CompareYears", async () => {
    const regions = [MENGJIN, SONG];
    const resp = await client.compareYears({ regions, indicator: INDICATOR, firstYear: YEAR - 1, lastYear: YEAR });
    assert.deepEqual(
      resp.series.map((s) => s.region),
      regions,
    );
    let checked = 0;
    for (const series of resp.series) {
      assert.deepEqual(
        series.points.map((p) => p.year),
        [YEAR - 1, YEAR],
      );
      for (const point of series.points) {
        const sides = [
          [ObservationKind.OBSERVATION_KIND_TARGET, point.targetAvailability, point.target],
          [ObservationKind.OBSERVATION_KIND_ACHIEVED, point.achievedAvailability, point.achieved],
        ] as const;
        for (const [kind, availability, obs] of sides) {
          const expected = goldValues(DISPLAY[series.region], point.year, kind);
          if (expected.length === 0) continue;
          assert.equal(availability, Availability.AVAILABILITY_AVAILABLE, `${series.region} ${point.year} ${kind}`);
          assert.equal(obs?.quantity?.value, expected[0]);
          checked++;
        }
      }
    }
    assert.ok(checked >= 2);
  });

  test("unknown region: NOT_FOUND with a readable message", async () => {
    await assert.rejects(client.getRegion("regions/999999"), (err: unknown) => {
      assert.ok(isGrpcError(err, grpc.status.NOT_FOUND), String(err));
      assert.equal(grpc.status[err.code], "NOT_FOUND");
      assert.match(err.details, /999999/);
      return true;
    });
    await assert.rejects(
      client.compareRegions({ regions: [SONG, "regions/999999"], indicator: INDICATOR, year: YEAR }),
      (err: unknown) => isGrpcError(err, grpc.status.NOT_FOUND) && /999999/.test(err.details),
    );
  });

  test("ListRegions walked to the end (page size 5)", async () => {
    const first = await client.listRegions({ parent: HENAN, level: "county", pageSize: 5 });
    assert.equal(first.regions.length, 5);
    assert.ok(first.nextPageToken);
    const names: string[] = [];
    for await (const r of client.iterRegions({ parent: HENAN, level: "county", pageSize: 5 })) names.push(r.name);
    assert.equal(new Set(names).size, names.length, "no region twice");
    assert.equal(names.length, first.totalSize);
    assert.ok(names.length > 5);
    assert.deepEqual(names, [...names].sort());
    assert.ok(names.includes(SONG) && names.includes(MENGJIN));
  });

  test("ListObservations walked to the end (page size 7)", async () => {
    const parent = `${MENGJIN}/reports/${YEAR}`;
    const full = (await client.getReport(parent, { view: ReportView.REPORT_VIEW_FULL })).report!;
    const seen: string[] = [];
    let pages = 0;
    let pageToken = "";
    do {
      const resp = await client.listObservations({ parent, pageSize: 7, pageToken });
      pages++;
      assert.ok(resp.observations.length <= 7);
      seen.push(...resp.observations.map((o) => o.name));
      pageToken = resp.nextPageToken;
    } while (pageToken);
    assert.equal(new Set(seen).size, seen.length, "no observation twice");
    assert.deepEqual(
      seen,
      full.observations.map((o) => o.name),
    );
    assert.equal(pages, Math.ceil(seen.length / 7));
    const walked: string[] = [];
    for await (const o of client.iterObservations({ parent, pageSize: 7 })) walked.push(o.name);
    assert.deepEqual(walked, seen);
  });

  test("the other reads answer", async () => {
    const evaluations = await client.evaluateTargets({ regions: [SONG, MENGJIN], year: YEAR - 1 });
    assert.ok(evaluations.dataVersion);
    const obs = await client.queryObservations({ regions: [MENGJIN], indicators: [INDICATOR], reportYears: [YEAR] });
    assert.ok(obs.observations.some((o) => o.indicator === INDICATOR));
    const coverage = await client.summarizeCoverage({ regions: [SONG, MENGJIN], indicators: [INDICATOR] });
    assert.ok(coverage.coverages.some((c) => c.series?.indicator === INDICATOR && c.years.includes(YEAR)));
  });
});
