// Builds the catalog release of deploy/catalog/ into the file named by its argument:
// the ctest fixture that gives `sigess-kiosk --self-test` a catalog to load.
#include "catalog/builder.h"
#include "core/catalog.h"

#include <filesystem>
#include <fstream>
#include <iostream>

int main(int argc, char *argv[])
{
    if (argc != 2) {
        std::cerr << "usage: make_test_catalog OUT_FILE\n";
        return 2;
    }
    const sigess::catalog::BuildResult built
        = sigess::catalog::buildCatalog(std::filesystem::path(SIGESS_SOURCE_DIR) / "deploy" / "catalog");
    for (const auto &issue : built.errors)
        std::cerr << issue.describe() << '\n';
    if (!built.ok())
        return 1;
    std::filesystem::create_directories(std::filesystem::path(argv[1]).parent_path());
    std::ofstream out(argv[1], std::ios::binary | std::ios::trunc);
    out << sigess::core::serializeRelease(built.release);
    return out.good() ? 0 : 1;
}
