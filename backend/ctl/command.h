// The subcommands of sigessctl. Each takes its arguments (after the subcommand's name)
// and the streams to write to, and returns the process exit status, so that tests can
// run a command without starting a process.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace sigess::ctl {

struct CommandIo {
    std::istream &in;
    std::ostream &out;
    std::ostream &err;
};

using Args = std::vector<std::string>;

int runAudit(const Args &args, CommandIo io);
int runBackup(const Args &args, CommandIo io);
int runCatalog(const Args &args, CommandIo io);
int runCf(const Args &args, CommandIo io);
int runDevice(const Args &args, CommandIo io);
int runRestore(const Args &args, CommandIo io);
int runSeed(const Args &args, CommandIo io);
int runStore(const Args &args, CommandIo io);
int runUser(const Args &args, CommandIo io);

} // namespace sigess::ctl
