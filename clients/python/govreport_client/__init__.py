"""Python client of the govreport gRPC API.

    from govreport_client import Client

    with Client("127.0.0.1:50052") as client:
        for row in client.compare_regions(["410325", "410308"],
                                          "urban-new-employment", year=2024).rows:
            print(row.region_display_name, row.observation.quantity.value)

The generated stubs are re-exported as modules (resources_pb2,
query_service_pb2, ...) for the message and enum types; `Client.catalog`,
`Client.reports` and `Client.query` are the raw stubs for anything the wrapper
does not cover (writes, BatchGetRegions, ListIndicators, ...).
"""

from ._client import (
    DEFAULT_TIMEOUT,
    Client,
    region_selector,
    service_config,
    subtree,
)
from ._stubs import (
    catalog_service_pb2,
    catalog_service_pb2_grpc,
    parser_service_pb2,
    parser_service_pb2_grpc,
    query_service_pb2,
    query_service_pb2_grpc,
    report_service_pb2,
    report_service_pb2_grpc,
    resources_pb2,
)

__all__ = [
    "DEFAULT_TIMEOUT",
    "Client",
    "region_selector",
    "service_config",
    "subtree",
    "catalog_service_pb2",
    "catalog_service_pb2_grpc",
    "parser_service_pb2",
    "parser_service_pb2_grpc",
    "query_service_pb2",
    "query_service_pb2_grpc",
    "report_service_pb2",
    "report_service_pb2_grpc",
    "resources_pb2",
]
