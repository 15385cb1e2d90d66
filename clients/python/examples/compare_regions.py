#!/usr/bin/python3
"""Compares one indicator across regions for one year, ranked.

    /usr/bin/python3 clients/python/examples/compare_regions.py \\
        --server=127.0.0.1:50052 410325 410308 \\
        --indicator=urban-new-employment --year=2024

Run scripts/gen_clients first (the stubs are generated, not committed).
"""

from __future__ import annotations

import argparse
import pathlib
import sys

import grpc

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
from govreport_client import Client  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("regions", nargs="*", default=["410325", "410308"],
                        help="division codes or regions/CODE (default: 嵩县 孟津区)")
    parser.add_argument("--server", default="127.0.0.1:50052")
    parser.add_argument("--indicator", default="urban-new-employment")
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--kind", default="target", choices=["target", "achieved"])
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds")
    args = parser.parse_args()

    with Client(args.server, timeout=args.timeout) as client:
        try:
            resp = client.compare_regions(
                args.regions, args.indicator, year=args.year, kind=args.kind
            )
        except grpc.RpcError as err:
            print(f"CompareRegions failed: {err.code().name}: {err.details()}",
                  file=sys.stderr)
            return 1
    print(f"{args.indicator} {args.kind} {args.year} (data version {resp.data_version})")
    for row in resp.rows:
        if row.rank:
            q = row.observation.quantity
            print(f"{row.rank:>3}  {row.region_display_name}\t{q.value:g} {q.unit}"
                  f"\t{q.original_text}")
        else:
            print(f"  -  {row.region_display_name}\t(no value)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
