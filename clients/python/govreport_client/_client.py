"""A thin, synchronous client for the govreport query server.

Every method is one RPC: it builds the request from keyword arguments, calls
the generated stub with a deadline and returns the response message as is
(`data_version`, `next_page_token` and all). Errors are not wrapped: a failed
call raises the `grpc.RpcError` the stub raised, which is also a `grpc.Call`,
so `err.code()` is a `grpc.StatusCode` and `err.details()` the server's
message.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Iterable, Iterator, Optional, Sequence, Union

import grpc

from ._stubs import (
    catalog_service_pb2 as catalog_pb,
    catalog_service_pb2_grpc as catalog_grpc,
    query_service_pb2 as query_pb,
    query_service_pb2_grpc as query_grpc,
    report_service_pb2 as report_pb,
    report_service_pb2_grpc as report_grpc,
    resources_pb2 as res_pb,
)

# The read-only methods: the ones the client calls and the service config
# retries on UNAVAILABLE. Writes (IngestDocument, PutReport, DeleteReport) are
# not retried by this config.
READ_METHODS = {
    "govreport.v1.CatalogService": None,  # None: every method of the service
    "govreport.v1.QueryService": None,
    "govreport.v1.ReportService": [
        "GetReport",
        "ListReports",
        "ListPolicyMeasures",
        "ListObservations",
    ],
}

DEFAULT_TIMEOUT = 10.0  # seconds, per call


def service_config(
    *,
    round_robin: bool = True,
    retry: bool = True,
    max_attempts: int = 4,
    initial_backoff: float = 0.1,
    max_backoff: float = 2.0,
    backoff_multiplier: float = 2.0,
) -> str:
    """The gRPC service config (JSON) the client's channel uses.

    round_robin spreads calls over every address the target resolves to (use
    a `dns:///host:port` target for several replicas); retry re-sends the
    read-only methods when they fail with UNAVAILABLE, with exponential
    backoff. gRPC's own limits apply (at most 5 attempts).
    """
    config: dict[str, Any] = {}
    if round_robin:
        config["loadBalancingConfig"] = [{"round_robin": {}}]
    if retry:
        names = []
        for service, methods in READ_METHODS.items():
            if methods is None:
                names.append({"service": service})
            else:
                names.extend({"service": service, "method": m} for m in methods)
        config["methodConfig"] = [
            {
                "name": names,
                "retryPolicy": {
                    "maxAttempts": max_attempts,
                    "initialBackoff": f"{initial_backoff}s",
                    "maxBackoff": f"{max_backoff}s",
                    "backoffMultiplier": backoff_multiplier,
                    "retryableStatusCodes": ["UNAVAILABLE"],
                },
            }
        ]
    return json.dumps(config)


def _enum(wrapper: Any, prefix: str, value: Union[int, str, None]) -> int:
    """An enum value from its number, full name or short name.

    _enum(res_pb.ObservationKind, "OBSERVATION_KIND_", "target") == 1.
    """
    if value is None:
        return 0
    if isinstance(value, int):
        return value
    name = value.upper()
    if not name.startswith(prefix):
        name = prefix + name
    return wrapper.Value(name)  # ValueError names the bad value


def _region_name(region: str) -> str:
    """`regions/410325` as is; a bare division code gets the prefix."""
    return region if region.startswith("regions/") else f"regions/{region}"


def _indicator_name(indicator: str) -> str:
    if indicator.startswith("indicators/"):
        return indicator
    return f"indicators/{indicator}"


RegionsArg = Union[query_pb.RegionSelector, query_pb.RegionSubtree, Sequence[str]]


def region_selector(regions: RegionsArg) -> query_pb.RegionSelector:
    """A RegionSelector from a list of names/codes, a subtree or a selector."""
    if isinstance(regions, query_pb.RegionSelector):
        return regions
    if isinstance(regions, query_pb.RegionSubtree):
        return query_pb.RegionSelector(subtree=regions)
    if isinstance(regions, str):
        regions = [regions]
    return query_pb.RegionSelector(
        region_list=query_pb.RegionList(names=[_region_name(r) for r in regions])
    )


def subtree(parent: str, level: Union[int, str]) -> query_pb.RegionSubtree:
    """Every region under `parent` at `level` ("county", "prefecture", ...)."""
    return query_pb.RegionSubtree(
        parent=_region_name(parent),
        level=_enum(res_pb.RegionLevel, "REGION_LEVEL_", level),
    )


class _Defaults(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor):
    """Gives every call on the channel, raw stubs included, the client's
    default deadline (unless the call has one) and the bearer token."""

    def __init__(self, timeout: Optional[float], token: Optional[str]) -> None:
        self._timeout = timeout
        self._token = token

    def _details(self, details: grpc.ClientCallDetails) -> grpc.ClientCallDetails:
        metadata = list(details.metadata or ())
        if self._token and not any(k == "authorization" for k, _ in metadata):
            metadata.append(("authorization", f"Bearer {self._token}"))
        return _CallDetails(
            method=details.method,
            timeout=self._timeout if details.timeout is None else details.timeout,
            metadata=metadata,
            credentials=details.credentials,
            wait_for_ready=details.wait_for_ready,
            compression=details.compression,
        )

    def intercept_unary_unary(self, continuation, details, request):
        return continuation(self._details(details), request)

    def intercept_unary_stream(self, continuation, details, request):
        return continuation(self._details(details), request)


class _CallDetails(grpc.ClientCallDetails):
    def __init__(self, **fields: Any) -> None:
        for name, value in fields.items():
            setattr(self, name, value)


class Client:
    """Read access to the query server (catalog, reports, comparisons).

        with Client("127.0.0.1:50052") as client:
            resp = client.compare_regions(["410325", "410308"],
                                          "urban-new-employment", year=2024)

    Args:
      target: a gRPC target, e.g. "127.0.0.1:50052" or "dns:///query:50052".
      timeout: default deadline of each call, in seconds (None: no
        deadline); every method also takes `timeout=` for that call alone.
        It applies to calls on the raw stubs too.
      token: bearer token sent as `authorization` metadata with every call,
        raw stubs included (writes need it; reads only when the server
        requires auth for reads).
      credentials: grpc.ChannelCredentials for TLS; None means plaintext.
      round_robin, retry: see service_config().
      options: more channel options, appended to the client's.
    """

    def __init__(
        self,
        target: str,
        *,
        timeout: Optional[float] = DEFAULT_TIMEOUT,
        token: Optional[str] = None,
        credentials: Optional[grpc.ChannelCredentials] = None,
        round_robin: bool = True,
        retry: bool = True,
        options: Iterable[tuple[str, Any]] = (),
    ) -> None:
        channel_options = [
            ("grpc.service_config", service_config(round_robin=round_robin, retry=retry)),
            ("grpc.enable_retries", 1 if retry else 0),
            *options,
        ]
        if credentials is None:
            self._raw_channel = grpc.insecure_channel(target, options=channel_options)
        else:
            self._raw_channel = grpc.secure_channel(target, credentials, options=channel_options)
        # The defaults apply to the raw stubs (catalog, reports, query) too.
        self._channel = grpc.intercept_channel(self._raw_channel, _Defaults(timeout, token))
        self.catalog = catalog_grpc.CatalogServiceStub(self._channel)
        self.reports = report_grpc.ReportServiceStub(self._channel)
        self.query = query_grpc.QueryServiceStub(self._channel)

    # -- lifecycle ---------------------------------------------------------

    @property
    def channel(self) -> grpc.Channel:
        return self._channel

    def close(self) -> None:
        self._raw_channel.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @staticmethod
    def _call(rpc: Callable[..., Any], request: Any, timeout: Optional[float]) -> Any:
        # timeout None: the channel's interceptor applies the default.
        return rpc(request, timeout=timeout)

    # -- CatalogService ----------------------------------------------------

    def get_region(self, name: str, *, timeout: Optional[float] = None) -> catalog_pb.GetRegionResponse:
        """GetRegion: `regions/410325` or `410325`; former codes resolve too."""
        req = catalog_pb.GetRegionRequest(name=_region_name(name))
        return self._call(self.catalog.GetRegion, req, timeout)

    def list_regions(
        self,
        parent: str = "",
        *,
        level: Union[int, str, None] = None,
        page_size: int = 0,
        page_token: str = "",
        timeout: Optional[float] = None,
    ) -> catalog_pb.ListRegionsResponse:
        """ListRegions under `parent` (empty: provinces), optionally at one level."""
        req = catalog_pb.ListRegionsRequest(
            parent=_region_name(parent) if parent else "",
            level=_enum(res_pb.RegionLevel, "REGION_LEVEL_", level),
            page_size=page_size,
            page_token=page_token,
        )
        return self._call(self.catalog.ListRegions, req, timeout)

    def get_indicator(self, name: str, *, timeout: Optional[float] = None) -> catalog_pb.GetIndicatorResponse:
        """GetIndicator: `indicators/gdp` or `gdp`."""
        req = catalog_pb.GetIndicatorRequest(name=_indicator_name(name))
        return self._call(self.catalog.GetIndicator, req, timeout)

    def list_indicators(
        self,
        query: str = "",
        *,
        page_size: int = 0,
        page_token: str = "",
        timeout: Optional[float] = None,
    ) -> catalog_pb.ListIndicatorsResponse:
        """ListIndicators, optionally matching `query` against names and aliases."""
        req = catalog_pb.ListIndicatorsRequest(
            query=query, page_size=page_size, page_token=page_token
        )
        return self._call(self.catalog.ListIndicators, req, timeout)

    # -- ReportService -----------------------------------------------------

    def get_report(
        self,
        name: str,
        *,
        view: Union[int, str, None] = None,
        timeout: Optional[float] = None,
    ) -> report_pb.GetReportResponse:
        """GetReport: `regions/410325/reports/2024`; view "basic" or "full"."""
        req = report_pb.GetReportRequest(
            name=name, view=_enum(report_pb.ReportView, "REPORT_VIEW_", view)
        )
        return self._call(self.reports.GetReport, req, timeout)

    def list_reports(
        self,
        parent: str = "regions/-",
        *,
        years: Sequence[int] = (),
        page_size: int = 0,
        page_token: str = "",
        timeout: Optional[float] = None,
    ) -> report_pb.ListReportsResponse:
        """ListReports of one region, or of all (`regions/-`, the default)."""
        req = report_pb.ListReportsRequest(
            parent=_region_name(parent),
            years=list(years),
            page_size=page_size,
            page_token=page_token,
        )
        return self._call(self.reports.ListReports, req, timeout)

    def list_observations(
        self,
        parent: str,
        *,
        indicators: Sequence[str] = (),
        kind: Union[int, str, None] = None,
        subject_texts: Sequence[str] = (),
        page_size: int = 0,
        page_token: str = "",
        timeout: Optional[float] = None,
    ) -> report_pb.ListObservationsResponse:
        """ListObservations of one report (`regions/410325/reports/2024`)."""
        req = report_pb.ListObservationsRequest(
            parent=parent,
            indicators=[_indicator_name(i) for i in indicators],
            kind=_enum(res_pb.ObservationKind, "OBSERVATION_KIND_", kind),
            subject_texts=list(subject_texts),
            page_size=page_size,
            page_token=page_token,
        )
        return self._call(self.reports.ListObservations, req, timeout)

    # -- QueryService ------------------------------------------------------

    def compare_regions(
        self,
        regions: RegionsArg,
        indicator: str,
        *,
        year: int = 0,
        kind: Union[int, str] = "target",
        value_type: Union[int, str] = "level",
        year_policy: Union[int, str, None] = None,
        order: Union[int, str, None] = None,
        exclude_unavailable: bool = False,
        page_size: int = 0,
        page_token: str = "",
        timeout: Optional[float] = None,
    ) -> query_pb.CompareRegionsResponse:
        """CompareRegions: one indicator, one year, ranked across regions."""
        req = query_pb.CompareRegionsRequest(
            regions=region_selector(regions),
            series=query_pb.SeriesKey(
                indicator=_indicator_name(indicator),
                value_type=_enum(res_pb.ValueType, "VALUE_TYPE_", value_type),
                kind=_enum(res_pb.ObservationKind, "OBSERVATION_KIND_", kind),
            ),
            year=year,
            year_policy=_enum(query_pb.YearPolicy, "YEAR_POLICY_", year_policy),
            order=_enum(query_pb.RowOrder, "ROW_ORDER_", order),
            exclude_unavailable=exclude_unavailable,
            page_size=page_size,
            page_token=page_token,
        )
        return self._call(self.query.CompareRegions, req, timeout)

    def compare_years(
        self,
        regions: Sequence[str],
        indicator: str,
        *,
        first_year: int,
        last_year: int,
        value_type: Union[int, str] = "level",
        timeout: Optional[float] = None,
    ) -> query_pb.CompareYearsResponse:
        """CompareYears: targets and results of an indicator over a span of years."""
        if isinstance(regions, str):
            regions = [regions]
        req = query_pb.CompareYearsRequest(
            regions=[_region_name(r) for r in regions],
            series=query_pb.SeriesKey(
                indicator=_indicator_name(indicator),
                value_type=_enum(res_pb.ValueType, "VALUE_TYPE_", value_type),
            ),
            years=res_pb.YearRange(first_year=first_year, last_year=last_year),
        )
        return self._call(self.query.CompareYears, req, timeout)

    def evaluate_targets(
        self,
        regions: RegionsArg,
        *,
        year: int,
        indicators: Sequence[str] = (),
        page_size: int = 0,
        page_token: str = "",
        timeout: Optional[float] = None,
    ) -> query_pb.EvaluateTargetsResponse:
        """EvaluateTargets: the targets of `year` against the results reported for it."""
        req = query_pb.EvaluateTargetsRequest(
            regions=region_selector(regions),
            indicators=[_indicator_name(i) for i in indicators],
            year=year,
            page_size=page_size,
            page_token=page_token,
        )
        return self._call(self.query.EvaluateTargets, req, timeout)

    def query_observations(
        self,
        regions: RegionsArg,
        *,
        indicators: Sequence[str] = (),
        kind: Union[int, str, None] = None,
        reference_years: Optional[tuple[int, int]] = None,
        report_years: Sequence[int] = (),
        subject_texts: Sequence[str] = (),
        page_size: int = 0,
        page_token: str = "",
        timeout: Optional[float] = None,
    ) -> query_pb.QueryObservationsResponse:
        """QueryObservations: bulk read, regions x indicators x years."""
        req = query_pb.QueryObservationsRequest(
            regions=region_selector(regions),
            indicators=[_indicator_name(i) for i in indicators],
            kind=_enum(res_pb.ObservationKind, "OBSERVATION_KIND_", kind),
            report_years=list(report_years),
            subject_texts=list(subject_texts),
            page_size=page_size,
            page_token=page_token,
        )
        if reference_years is not None:
            first, last = reference_years
            req.reference_years.CopyFrom(res_pb.YearRange(first_year=first, last_year=last))
        return self._call(self.query.QueryObservations, req, timeout)

    def summarize_coverage(
        self,
        regions: RegionsArg,
        indicators: Sequence[str],
        *,
        timeout: Optional[float] = None,
    ) -> query_pb.SummarizeCoverageResponse:
        """SummarizeCoverage: which years have data, per indicator series."""
        req = query_pb.SummarizeCoverageRequest(
            regions=region_selector(regions),
            indicators=[_indicator_name(i) for i in indicators],
        )
        return self._call(self.query.SummarizeCoverage, req, timeout)

    # -- paging ------------------------------------------------------------

    def walk(self, method: Callable[..., Any], items: str, /, **kwargs: Any) -> Iterator[Any]:
        """Yields every item of a paginated listing, page after page, to the end.

            for obs in client.walk(client.list_observations, "observations",
                                   parent="regions/410325/reports/2024",
                                   page_size=50):
                ...

        `method` is one of this client's list methods, `items` the repeated
        field of its response; `kwargs` are the method's arguments. Each page
        is its own call with its own deadline (`timeout=` applies per page).
        """
        token = kwargs.pop("page_token", "")
        seen = set()
        while True:
            response = method(page_token=token, **kwargs)
            yield from getattr(response, items)
            token = response.next_page_token
            if not token:
                return
            if token in seen:  # a server bug must not make us loop forever
                raise RuntimeError(f"page token {token!r} repeated by the server")
            seen.add(token)

    def iter_regions(self, parent: str = "", **kwargs: Any) -> Iterator[res_pb.Region]:
        """Every region of list_regions(parent, ...), across all pages."""
        return self.walk(self.list_regions, "regions", parent=parent, **kwargs)

    def iter_reports(self, parent: str = "regions/-", **kwargs: Any) -> Iterator[res_pb.Report]:
        """Every report of list_reports(parent, ...), across all pages."""
        return self.walk(self.list_reports, "reports", parent=parent, **kwargs)

    def iter_observations(self, parent: str, **kwargs: Any) -> Iterator[res_pb.Observation]:
        """Every observation of list_observations(parent, ...), across all pages."""
        return self.walk(self.list_observations, "observations", parent=parent, **kwargs)
