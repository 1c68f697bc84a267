// sigessctl: the administrator's command line. See `sigessctl help`.
#include "ctl/command.h"

#include <iostream>
#include <string_view>

namespace {

struct Subcommand {
    std::string_view name;
    std::string_view summary;
    int (*run)(const sigess::ctl::Args &, sigess::ctl::CommandIo);
};

constexpr Subcommand subcommands[] = {
    {"audit", "audit verify|citizen ID    check the audit log's hash chain; who accessed a citizen's records",
     sigess::ctl::runAudit},
    {"backup", "backup DEST               online, consistent backup of the configured store", sigess::ctl::runBackup},
    {"catalog", "catalog build|show|diff  build the catalog release from deploy/catalog/, show it, compare two",
     sigess::ctl::runCatalog},
    {"cf", "cf check CF...            validate codici fiscali", sigess::ctl::runCf},
    {"device", "device enroll|list|revoke  enrollment codes for kiosks and tablets, revocation (Wipe)",
     sigess::ctl::runDevice},
    {"restore", "restore SRC [--force]     replace the configured store with a backup, then verify it",
     sigess::ctl::runRestore},
    {"seed", "seed [--seed N] [--citizens N]  write a synthetic city into the configured store",
     sigess::ctl::runSeed},
    {"store", "store verify FILE        check an encrypted store (key from stdin or SIGESS_STORE_KEY)",
     sigess::ctl::runStore},
    {"user", "user add|passwd|disable|list  operator accounts (passwords from stdin)", sigess::ctl::runUser},
};

int usage(std::ostream &out, int status)
{
    out << "usage: sigessctl COMMAND [ARGS...]\n\ncommands:\n";
    for (const auto &command : subcommands)
        out << "  " << command.summary << '\n';
    out << "\naudit, backup, device, restore, seed and user act on the store of the sigess-backend config\n"
           "file: --config FILE, else $SIGESS_CONFIG, else /etc/sigess/backend.conf.\n"
           "Exit status: 0 done, 1 failed, 2 usage error.\n";
    return status;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage(std::cerr, 2);
    const std::string_view name = argv[1];
    if (name == "help" || name == "--help" || name == "-h")
        return usage(std::cout, 0);
    for (const auto &command : subcommands) {
        if (command.name == name)
            return command.run(sigess::ctl::Args(argv + 2, argv + argc), {std::cin, std::cout, std::cerr});
    }
    std::cerr << "sigessctl: unknown command '" << name << "'\n";
    return usage(std::cerr, 2);
}
