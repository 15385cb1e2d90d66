#include "cli/commands.h"

namespace govreport::cli {

const std::vector<Command>& AllCommands() {
  static const auto* commands = new std::vector<Command>{
      {"health", "check a server's health (grpc.health.v1)",
       "govreport health [SERVICE] --server=HOST:PORT [--format=table|json]\n"
       "  SERVICE is a full service name, e.g. govreport.v1.QueryService;\n"
       "  without it the server's overall status is checked. Exits non-zero\n"
       "  unless SERVING.",
       &RunHealth},
      {"parse", "parse a report text locally, without a server",
       "govreport parse FILE|- [--format=table|json|jsonl]\n"
       "  table (default): each report's metadata and figures, for people;\n"
       "  json: the ParseDocumentResponse in proto3 JSON;\n"
       "  jsonl: one flat row per figure (the export and scoring format).\n"
       "  Plain text and HTML are both accepted.",
       &RunParse},
      {"ingest", "parse a text file on the server and store its reports",
       "govreport ingest FILE|- --token_file=FILE [--source_uri=URI]\n"
       "  Sends the raw text to IngestDocument; the query server calls the\n"
       "  parser and stores every report found. Ingesting the same text again\n"
       "  changes nothing and says so.",
       &RunIngest},
      {"put", "store one parsed report (govreport.v1.Report as JSON)",
       "govreport put FILE|- --token_file=FILE\n"
       "  FILE holds one Report in proto3 JSON, e.g. from `govreport parse\n"
       "  --format=json`.",
       &RunPut},
      {"delete", "delete one report",
       "govreport delete REPORT --token_file=FILE\n"
       "  REPORT is regions/CODE/reports/YEAR or CODE/YEAR.",
       &RunDelete},
      {"regions", "get regions by code, or list them under a parent",
       "govreport regions [CODE...] [--parent=CODE] [--level=province|"
       "prefecture|county] [--page_size=N] [--all]\n"
       "  With codes: those regions (former codes resolve to today's).\n"
       "  Without: the regions under --parent (top level when empty).",
       &RunRegions},
      {"indicators", "list or search the indicator catalog",
       "govreport indicators [QUERY] [--page_size=N] [--all]\n"
       "  QUERY matches display names and aliases, e.g. 高标准农田.",
       &RunIndicators},
      {"indicator", "show one indicator",
       "govreport indicator SLUG   e.g. govreport indicator gdp",
       &RunIndicator},
      {"snapshot", "describe the data snapshot the server answers from",
       "govreport snapshot", &RunSnapshot},
      {"report", "show one report",
       "govreport report REPORT [--view=basic|full]\n"
       "  REPORT is regions/CODE/reports/YEAR or CODE/YEAR, e.g. 410325/2024.",
       &RunReport},
      {"reports", "list reports, of one region or of all",
       "govreport reports [CODE] [--year=Y] [--page_size=N] [--all]",
       &RunReports},
      {"measures", "list the policy measures of a report",
       "govreport measures REPORT [--page_size=N] [--all]", &RunMeasures},
      {"observations", "list the figures of a report",
       "govreport observations REPORT [--indicator=SLUG] [--kind=target|"
       "achieved] [--page_size=N] [--all]",
       &RunObservations},
      {"compare-regions", "one indicator across regions, ranked",
       "govreport compare-regions [CODE...] [--parent=CODE --level=county]\n"
       "    --indicator=SLUG [--year=Y] [--kind=target|achieved]\n"
       "    [--value_type=level|growth_rate|change] [--order=desc|asc|code]\n"
       "  Without --year each region's latest year is used. Regions without\n"
       "  a value are rows with their availability, not errors.",
       &RunCompareRegions},
      {"compare-years", "one region's indicator across years",
       "govreport compare-years CODE... --indicator=SLUG [--from_year=Y]\n"
       "    [--to_year=Y] [--value_type=level|growth_rate|change]\n"
       "  Target and achieved side by side for each year.",
       &RunCompareYears},
      {"evaluate-targets", "targets of a year against the results reported",
       "govreport evaluate-targets [CODE...] [--parent=CODE] --year=Y\n"
       "    [--indicator=SLUG]\n"
       "  The target set in year Y's report against the result for Y in a\n"
       "  later report: met, not_met, approximately_met or undetermined.",
       &RunEvaluateTargets},
      {"query-observations", "bulk read of observations",
       "govreport query-observations [CODE...] [--parent=CODE] "
       "[--indicator=SLUG]\n    [--kind=target|achieved] [--from_year=Y] "
       "[--to_year=Y] [--all]",
       &RunQueryObservations},
      {"coverage", "which years have data for an indicator",
       "govreport coverage [CODE...] [--parent=CODE] --indicator=SLUG",
       &RunCoverage},
  };
  return *commands;
}

}  // namespace govreport::cli
