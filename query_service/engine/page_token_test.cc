#include "query_service/engine/page_token.h"

#include <cstdint>
#include <limits>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "common/testing/status_matchers.h"
#include "govreport/v1/report_service.pb.h"

namespace govreport::query {
namespace {

using ::govreport::testing::IsOk;
using ::govreport::testing::StatusIs;
using ::testing::HasSubstr;

constexpr PageLimits kLimits{100, 1000};

v1::ListReportsRequest Request() {
  v1::ListReportsRequest request;
  request.set_parent("regions/-");
  request.add_years(2024);
  return request;
}

// A page refers to its request: the request must outlive it.
const v1::ListReportsRequest& TheRequest() {
  static const auto* request = new v1::ListReportsRequest(Request());
  return *request;
}

TEST(PageToken, EmptyTokenStartsAtZeroWithTheDefaultSize) {
  auto page = StartPage(TheRequest(), 0, "", kLimits, 7);
  ASSERT_THAT(page, IsOk());
  EXPECT_EQ(page->offset, 0u);
  EXPECT_EQ(page->size, 100u);
}

TEST(PageToken, PageSizeAboveTheMaximumIsCoerced) {
  EXPECT_EQ(StartPage(TheRequest(), 5000, "", kLimits, 7)->size, 1000u);
}

TEST(PageToken, NegativePageSizeIsInvalid) {
  EXPECT_THAT(
      StartPage(TheRequest(), -1, "", kLimits, 7),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_size")));
}

TEST(PageToken, NextTokenResumesWhereThePageEnded) {
  auto page = StartPage(TheRequest(), 10, "", kLimits, 7);
  const std::string token = NextPageToken(*page, 25);
  ASSERT_FALSE(token.empty());
  // Changing only the page size between pages is allowed.
  auto next = StartPage(TheRequest(), 20, token, kLimits, 7);
  ASSERT_THAT(next, IsOk());
  EXPECT_EQ(next->offset, 10u);
  EXPECT_EQ(NextPageToken(*next, 25), "");
}

TEST(PageToken, ForgedTokenIsInvalid) {
  auto page = StartPage(TheRequest(), 10, "", kLimits, 7);
  std::string token = NextPageToken(*page, 25);
  token[3] = token[3] == 'A' ? 'B' : 'A';
  EXPECT_THAT(
      StartPage(TheRequest(), 10, token, kLimits, 7),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("malformed")));
  EXPECT_THAT(
      StartPage(TheRequest(), 10, "not-a-token", kLimits, 7),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("malformed")));
}

TEST(PageToken, TokenForOtherFieldsIsInvalid) {
  auto page = StartPage(TheRequest(), 10, "", kLimits, 7);
  const std::string token = NextPageToken(*page, 25);
  v1::ListReportsRequest other = Request();
  other.add_years(2025);
  EXPECT_THAT(StartPage(other, 10, token, kLimits, 7),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("does not match")));
}

TEST(PageToken, TokenFromAnotherDataVersionIsStale) {
  auto page = StartPage(TheRequest(), 10, "", kLimits, 7);
  const std::string token = NextPageToken(*page, 25);
  EXPECT_THAT(StartPage(TheRequest(), 10, token, kLimits, 8),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("stale")));
}

TEST(PageToken, ForgedOffsetNearTheEndOfRangeGivesTheLastPage) {
  // A token with a valid checksum (the format is not secret) and an offset
  // near 2^64: no items, and no token that wraps round to the first page.
  const std::string token = EncodePageToken(
      std::numeric_limits<uint64_t>::max() - 3, RequestHash(Request()), 7);
  auto page = StartPage(TheRequest(), 10, token, kLimits, 7);
  ASSERT_THAT(page, IsOk());
  EXPECT_EQ(NextPageToken(*page, 25), "");
}

TEST(PageEnd, StopsAtTheListAndNeverWraps) {
  EXPECT_EQ(PageEnd({0, 10}, 25), 10u);
  EXPECT_EQ(PageEnd({20, 10}, 25), 25u);
  EXPECT_EQ(PageEnd({30, 10}, 25), 25u);
  EXPECT_EQ(PageEnd({std::numeric_limits<size_t>::max() - 3, 10}, 25), 25u);
  EXPECT_EQ(PageEnd({5, std::numeric_limits<size_t>::max()}, 25), 25u);
}

}  // namespace
}  // namespace govreport::query
