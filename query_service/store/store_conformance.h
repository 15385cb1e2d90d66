// The behaviour every Store implementation must have, as a value-
// parameterized gtest suite. An implementation's test instantiates it with a
// factory:
//   INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformanceTest,
//                            ::testing::Values(StoreFactory{"memory", ...}));
// and adds store_conformance.cc to its sources.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "gtest/gtest.h"

#include "common/clock.h"
#include "query_service/store/store.h"

namespace govreport::query {

// Makes a fresh, empty store using `clock` (which outlives it).
struct StoreFactory {
  std::string name;  // gtest parameter name, e.g. "SqliteMemory"
  std::function<std::unique_ptr<Store>(const Clock& clock)> make;
};

class StoreConformanceTest : public ::testing::TestWithParam<StoreFactory> {};

// Names instantiations after StoreFactory::name.
std::string StoreFactoryName(
    const ::testing::TestParamInfo<StoreFactory>& info);

}  // namespace govreport::query
