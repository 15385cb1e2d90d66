"""The client's own behaviour, against small in-process gRPC servers: the
service config (retry on UNAVAILABLE for reads only, round_robin), the bearer
token, request building. Needs no govreport server."""

from __future__ import annotations

import json
import threading
import time
from concurrent import futures

import grpc
import pytest

from govreport_client import (
    Client,
    catalog_service_pb2 as catalog_pb,
    catalog_service_pb2_grpc as catalog_grpc,
    query_service_pb2 as query_pb,
    report_service_pb2 as report_pb,
    report_service_pb2_grpc as report_grpc,
    resources_pb2 as res_pb,
    region_selector,
    service_config,
    subtree,
)
from govreport_client._client import _enum


class FlakyCatalog(catalog_grpc.CatalogServiceServicer):
    """Fails the first `failures` GetRegion calls with `code`."""

    def __init__(self, label: str, failures: int = 0,
                 code: grpc.StatusCode = grpc.StatusCode.UNAVAILABLE) -> None:
        self.label = label
        self.failures = failures
        self.code = code
        self.calls = 0
        self.metadata = []
        self.lock = threading.Lock()

    def GetRegion(self, request, context):
        with self.lock:
            self.calls += 1
            self.metadata.append(dict(context.invocation_metadata()))
            if self.calls <= self.failures:
                context.abort(self.code, f"{self.label}: failure {self.calls}")
        return catalog_pb.GetRegionResponse(
            region=res_pb.Region(name=request.name, display_name=self.label),
            data_version="7",
        )


class SlowCatalog(catalog_grpc.CatalogServiceServicer):
    """Answers GetRegion after `delay` seconds (or when cancelled)."""

    def __init__(self, delay: float) -> None:
        self.delay = delay

    def GetRegion(self, request, context):
        done = threading.Event()
        context.add_callback(done.set)
        done.wait(self.delay)
        return catalog_pb.GetRegionResponse(region=res_pb.Region(name=request.name))


class FlakyReports(report_grpc.ReportServiceServicer):
    """Every IngestDocument fails with UNAVAILABLE."""

    def __init__(self) -> None:
        self.ingest_calls = 0

    def IngestDocument(self, request, context):
        self.ingest_calls += 1
        context.abort(grpc.StatusCode.UNAVAILABLE, "parser away")


@pytest.fixture
def serve():
    servers = []

    def start(*servicers):
        server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
        for servicer in servicers:
            if isinstance(servicer, catalog_grpc.CatalogServiceServicer):
                catalog_grpc.add_CatalogServiceServicer_to_server(servicer, server)
            else:
                report_grpc.add_ReportServiceServicer_to_server(servicer, server)
        port = server.add_insecure_port("127.0.0.1:0")
        server.start()
        servers.append(server)
        return f"127.0.0.1:{port}"

    yield start
    for server in servers:
        server.stop(None)


def test_service_config_is_valid_json_with_retry_and_round_robin():
    config = json.loads(service_config())
    assert config["loadBalancingConfig"] == [{"round_robin": {}}]
    (method_config,) = config["methodConfig"]
    policy = method_config["retryPolicy"]
    assert policy["retryableStatusCodes"] == ["UNAVAILABLE"]
    assert policy["maxAttempts"] >= 2
    names = method_config["name"]
    assert {"service": "govreport.v1.QueryService"} in names
    assert {"service": "govreport.v1.ReportService", "method": "GetReport"} in names
    assert all(n.get("method") not in ("IngestDocument", "PutReport", "DeleteReport")
               for n in names)
    assert json.loads(service_config(round_robin=False, retry=False)) == {}


def test_unavailable_is_retried(serve):
    catalog = FlakyCatalog("ok", failures=2)
    with Client(serve(catalog)) as client:
        region = client.get_region("410325").region
    assert region.name == "regions/410325"
    assert catalog.calls == 3


def test_unavailable_is_not_retried_without_retry(serve):
    catalog = FlakyCatalog("ok", failures=2)
    with Client(serve(catalog), retry=False) as client:
        with pytest.raises(grpc.RpcError) as caught:
            client.get_region("410325")
    assert caught.value.code() == grpc.StatusCode.UNAVAILABLE
    assert "failure 1" in caught.value.details()
    assert catalog.calls == 1


def test_other_codes_are_not_retried(serve):
    catalog = FlakyCatalog("ok", failures=5, code=grpc.StatusCode.NOT_FOUND)
    with Client(serve(catalog)) as client:
        with pytest.raises(grpc.RpcError) as caught:
            client.get_region("410325")
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND
    assert catalog.calls == 1


def test_writes_are_not_retried(serve):
    reports = FlakyReports()
    with Client(serve(reports)) as client:
        with pytest.raises(grpc.RpcError) as caught:
            client.reports.IngestDocument(report_pb.IngestDocumentRequest(content=b"x"),
                                          timeout=5)
    assert caught.value.code() == grpc.StatusCode.UNAVAILABLE
    assert reports.ingest_calls == 1


def test_round_robin_spreads_calls(serve):
    a, b = FlakyCatalog("a"), FlakyCatalog("b")
    target = "ipv4:" + ",".join((serve(a), serve(b)))
    with Client(target) as client:
        # round_robin picks among the connected backends, so the first calls
        # may all land on the first one to connect; then they alternate.
        end = time.monotonic() + 5
        while not (a.calls and b.calls) and time.monotonic() < end:
            client.get_region("410325")
            time.sleep(0.005)
    assert a.calls > 0 and b.calls > 0


def test_pick_first_without_round_robin(serve):
    a, b = FlakyCatalog("a"), FlakyCatalog("b")
    target = "ipv4:" + ",".join((serve(a), serve(b)))
    with Client(target, round_robin=False) as client:
        labels = {client.get_region("410325").region.display_name for _ in range(20)}
    assert len(labels) == 1


def test_per_call_deadline(serve):
    target = serve(SlowCatalog(delay=5.0))
    with Client(target, timeout=30.0) as client:
        started = time.monotonic()
        with pytest.raises(grpc.RpcError) as caught:
            client.get_region("410325", timeout=0.2)
        assert caught.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
        assert time.monotonic() - started < 3.0


def test_default_deadline(serve):
    target = serve(SlowCatalog(delay=5.0))
    with Client(target, timeout=0.2) as client:
        with pytest.raises(grpc.RpcError) as caught:
            client.get_region("410325")
    assert caught.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED


def test_raw_stubs_get_the_defaults(serve):
    catalog = SlowCatalog(delay=5.0)
    with Client(serve(catalog), timeout=0.2, token="s3cret") as client:
        with pytest.raises(grpc.RpcError) as caught:
            client.catalog.GetRegion(catalog_pb.GetRegionRequest(name="regions/1"))
    assert caught.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
    flaky = FlakyCatalog("ok")
    with Client(serve(flaky), token="s3cret") as client:
        client.catalog.GetRegion(catalog_pb.GetRegionRequest(name="regions/1"))
    assert flaky.metadata[0]["authorization"] == "Bearer s3cret"


def test_token_is_sent_as_bearer_metadata(serve):
    catalog = FlakyCatalog("ok")
    with Client(serve(catalog), token="s3cret") as client:
        client.get_region("410325")
    assert catalog.metadata[0]["authorization"] == "Bearer s3cret"


def test_enum_names():
    assert _enum(res_pb.ObservationKind, "OBSERVATION_KIND_", "target") == 1
    assert _enum(res_pb.ObservationKind, "OBSERVATION_KIND_", "OBSERVATION_KIND_ACHIEVED") == 2
    assert _enum(res_pb.ValueType, "VALUE_TYPE_", 3) == 3
    assert _enum(res_pb.ValueType, "VALUE_TYPE_", None) == 0
    with pytest.raises(ValueError):
        _enum(res_pb.ValueType, "VALUE_TYPE_", "nonsense")


def test_region_selectors():
    assert list(region_selector(["410325", "regions/410308"]).region_list.names) == [
        "regions/410325",
        "regions/410308",
    ]
    tree = region_selector(subtree("410300", "county"))
    assert tree.WhichOneof("selector") == "subtree"
    assert tree.subtree.parent == "regions/410300"
    assert tree.subtree.level == res_pb.REGION_LEVEL_COUNTY
    given = query_pb.RegionSelector(region_list=query_pb.RegionList(names=["regions/1"]))
    assert region_selector(given) is given
