"""The Python client against the real query server, with the development
document ingested (clients/run_client_tests starts both servers)."""

from __future__ import annotations

import grpc
import pytest

from govreport_client import query_service_pb2 as query_pb
from govreport_client import resources_pb2 as res_pb

SONG = "regions/410325"  # 嵩县
MENGJIN = "regions/410308"  # 孟津区
LUOYANG = "regions/410300"  # 洛阳市
HENAN = "regions/410000"  # 河南省
INDICATOR = "indicators/urban-new-employment"
YEAR = 2024


@pytest.fixture(scope="module")
def indicator_names(client):
    """Every name the catalog knows the indicator by (display name, aliases):
    what the gold file's `subject` may say."""
    indicator = client.get_indicator(INDICATOR).indicator
    assert indicator.name == INDICATOR
    return {indicator.display_name, *indicator.aliases}


def test_get_region(client):
    region = client.get_region("410308").region
    assert region.name == MENGJIN
    assert region.display_name == "孟津区"
    assert region.level == res_pb.REGION_LEVEL_COUNTY
    assert region.parent == LUOYANG


def test_list_regions(client):
    resp = client.list_regions(LUOYANG, level="county", page_size=1000)
    names = {r.name: r.display_name for r in resp.regions}
    assert names[SONG] == "嵩县"
    assert names[MENGJIN] == "孟津区"
    assert resp.total_size == len(resp.regions)
    assert not resp.next_page_token
    assert resp.data_version


def test_get_report(client):
    name = f"{SONG}/reports/{YEAR}"
    basic = client.get_report(name).report
    assert basic.name == name
    assert basic.region == SONG
    assert basic.year == YEAR
    assert basic.title
    assert len(basic.observations) == 0  # BASIC view: metadata only

    full = client.get_report(name, view="full").report
    assert full.name == name
    assert full.observations, "the FULL view carries the observations"
    assert all(o.report == name for o in full.observations)


def test_list_reports(client):
    names = [r.name for r in client.iter_reports("regions/-", years=[YEAR])]
    assert f"{SONG}/reports/{YEAR}" in names
    assert f"{MENGJIN}/reports/{YEAR}" in names


def test_compare_regions_matches_gold(client, gold, indicator_names):
    resp = client.compare_regions(
        [SONG, MENGJIN], INDICATOR, year=YEAR, kind="target", value_type="level"
    )
    assert resp.total_size == 2
    rows = {row.region: row for row in resp.rows}
    assert set(rows) == {SONG, MENGJIN}
    for region, display in ((SONG, "嵩县"), (MENGJIN, "孟津区")):
        row = rows[region]
        assert row.region_display_name == display
        assert row.availability == query_pb.AVAILABILITY_AVAILABLE
        expected = gold.value(display, YEAR, "TARGET", indicator_names)
        assert row.observation.quantity.value == pytest.approx(expected)
        assert row.observation.indicator == INDICATOR
        assert row.observation.kind == res_pb.OBSERVATION_KIND_TARGET
    # Ranked by value, descending (the default order).
    ranked = sorted(resp.rows, key=lambda r: r.rank)
    values = [r.observation.quantity.effective_value for r in ranked]
    assert values == sorted(values, reverse=True)
    assert [r.rank for r in ranked] == [1, 2]


def test_compare_years(client, gold, indicator_names):
    regions = [MENGJIN, SONG]  # the response keeps the request order
    resp = client.compare_years(
        regions, INDICATOR, first_year=YEAR - 1, last_year=YEAR
    )
    assert [s.region for s in resp.series] == regions
    displays = {SONG: "嵩县", MENGJIN: "孟津区"}
    checked = 0
    for series in resp.series:
        assert [p.year for p in series.points] == [YEAR - 1, YEAR]
        for point in series.points:
            for kind, availability, obs in (
                ("TARGET", point.target_availability, point.target),
                ("ACHIEVED", point.achieved_availability, point.achieved),
            ):
                expected = gold.values(
                    displays[series.region], point.year, kind, indicator_names
                )
                if expected:
                    assert availability == query_pb.AVAILABILITY_AVAILABLE, (
                        series.region, point.year, kind)
                    assert obs.quantity.value == pytest.approx(expected[0])
                    checked += 1
    # At least both 2024 targets (and 孟津区's 2023 result) are in the gold file.
    assert checked >= 2


def test_unknown_region_is_not_found(client):
    with pytest.raises(grpc.RpcError) as caught:
        client.get_region("regions/999999")
    err = caught.value
    assert err.code() == grpc.StatusCode.NOT_FOUND
    assert "999999" in err.details()

    with pytest.raises(grpc.RpcError) as caught:
        client.compare_regions([SONG, "regions/999999"], INDICATOR, year=YEAR)
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND
    assert "999999" in caught.value.details()


def test_list_regions_walked_to_the_end(client):
    # Every county of the province: about 150 regions, in pages of 5.
    first = client.list_regions(HENAN, level="county", page_size=5)
    assert len(first.regions) == 5 and first.next_page_token
    names = [r.name for r in client.iter_regions(HENAN, level="county", page_size=5)]
    assert len(names) == len(set(names)), "no region twice"
    assert len(names) == first.total_size
    assert len(names) > 5
    assert names == sorted(names)  # ordered by division code
    assert SONG in names and MENGJIN in names  # descendants at that level


def test_list_observations_walked_to_the_end(client):
    report = f"{MENGJIN}/reports/{YEAR}"
    full = client.get_report(report, view="full").report
    pages = 0
    seen = []
    token = ""
    while True:
        resp = client.list_observations(report, page_size=7, page_token=token)
        pages += 1
        assert len(resp.observations) <= 7
        seen.extend(o.name for o in resp.observations)
        token = resp.next_page_token
        if not token:
            break
    assert len(seen) == len(set(seen)), "no observation twice"
    assert seen == [o.name for o in full.observations]
    assert pages == -(-len(seen) // 7)
    # The generator walks the same pages.
    assert [o.name for o in client.iter_observations(report, page_size=7)] == seen


def test_other_reads(client):
    evaluations = client.evaluate_targets([SONG, MENGJIN], year=YEAR - 1)
    assert evaluations.data_version
    observations = client.query_observations(
        [MENGJIN], indicators=[INDICATOR], report_years=[YEAR]
    )
    assert any(o.indicator == INDICATOR for o in observations.observations)
    coverage = client.summarize_coverage([SONG, MENGJIN], [INDICATOR])
    assert any(
        c.series.indicator == INDICATOR and YEAR in c.years for c in coverage.coverages
    )


def test_writes_need_the_token(query_addr, gold):
    """IngestDocument through the raw stub: UNAUTHENTICATED without the
    token; with it, the development document is already ingested."""
    import os
    import pathlib

    from govreport_client import Client
    from govreport_client import report_service_pb2 as report_pb

    token_file = os.environ.get("GOVREPORT_TOKEN_FILE")
    if not token_file:
        pytest.skip("GOVREPORT_TOKEN_FILE is not set")
    document = gold.path.with_suffix(".txt").read_bytes()
    request = report_pb.IngestDocumentRequest(content=document, source_uri="000_seed.txt")
    with Client(query_addr) as anonymous:
        with pytest.raises(grpc.RpcError) as caught:
            anonymous.reports.IngestDocument(request, timeout=30)
        assert caught.value.code() == grpc.StatusCode.UNAUTHENTICATED
    token = pathlib.Path(token_file).read_text().strip()
    with Client(query_addr, token=token) as writer:
        resp = writer.reports.IngestDocument(request, timeout=30)
    assert resp.already_ingested
    assert {r.name for r in resp.reports} >= {f"{SONG}/reports/{YEAR}", f"{MENGJIN}/reports/{YEAR}"}
