#include "base/files.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

TEST(WithoutTrailingSlash, AFolderWithAndWithoutItsFinalSlashIsTheSamePath) {
  EXPECT_EQ(WithoutTrailingSlash("rules/kpis/"), std::filesystem::path("rules/kpis"));
  EXPECT_EQ(WithoutTrailingSlash("rules/kpis"), std::filesystem::path("rules/kpis"));
  EXPECT_EQ(WithoutTrailingSlash("/srv/vigil/data//"), std::filesystem::path("/srv/vigil/data"));
  EXPECT_EQ(WithoutTrailingSlash("./rules/../rules/kpis/"), std::filesystem::path("rules/kpis"));
  EXPECT_EQ(WithoutTrailingSlash("/"), std::filesystem::path("/"));
}

}  // namespace
}  // namespace vigil
