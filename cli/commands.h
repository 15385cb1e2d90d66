// The subcommands' entry points; each family lives in its own *_commands.cc.
#pragma once

#include "cli/command.h"
#include "cli/output.h"
#include "govreport/v1/resources.pb.h"

namespace govreport::cli {

// health_command.cc
absl::Status RunHealth(const CommandContext& context);

// parse_command.cc
absl::Status RunParse(const CommandContext& context);

// catalog_commands.cc
absl::Status RunRegions(const CommandContext& context);
absl::Status RunIndicators(const CommandContext& context);
absl::Status RunIndicator(const CommandContext& context);
absl::Status RunSnapshot(const CommandContext& context);

// report_commands.cc
absl::Status RunReport(const CommandContext& context);
absl::Status RunReports(const CommandContext& context);
absl::Status RunMeasures(const CommandContext& context);
absl::Status RunObservations(const CommandContext& context);
absl::Status RunIngest(const CommandContext& context);
absl::Status RunPut(const CommandContext& context);
absl::Status RunDelete(const CommandContext& context);

// query_commands.cc
absl::Status RunCompareRegions(const CommandContext& context);
absl::Status RunCompareYears(const CommandContext& context);
absl::Status RunEvaluateTargets(const CommandContext& context);
absl::Status RunQueryObservations(const CommandContext& context);
absl::Status RunCoverage(const CommandContext& context);

// Observation tables, shared by the commands that list observations.
Table ObservationTable();
void AddObservationRow(Table& table, const v1::Observation& observation);

}  // namespace govreport::cli
