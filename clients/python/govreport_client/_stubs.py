"""Imports the generated stubs (scripts/gen_clients writes them to ../gen).

An installed copy of the stubs (on sys.path already) wins; otherwise the
in-repo generated tree beside this package is added to sys.path.
"""

from __future__ import annotations

import pathlib
import sys

_GEN = pathlib.Path(__file__).resolve().parent.parent / "gen"

try:
    import govreport.v1.resources_pb2  # noqa: F401
except ModuleNotFoundError:
    if not (_GEN / "govreport" / "v1" / "resources_pb2.py").is_file():
        raise ImportError(
            "govreport_client: the generated stubs are missing; "
            "run scripts/gen_clients python (they go to clients/python/gen)"
        ) from None
    sys.path.append(str(_GEN))

from govreport.v1 import catalog_service_pb2  # noqa: E402
from govreport.v1 import catalog_service_pb2_grpc  # noqa: E402
from govreport.v1 import parser_service_pb2  # noqa: E402
from govreport.v1 import parser_service_pb2_grpc  # noqa: E402
from govreport.v1 import query_service_pb2  # noqa: E402
from govreport.v1 import query_service_pb2_grpc  # noqa: E402
from govreport.v1 import report_service_pb2  # noqa: E402
from govreport.v1 import report_service_pb2_grpc  # noqa: E402
from govreport.v1 import resources_pb2  # noqa: E402

__all__ = [
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
