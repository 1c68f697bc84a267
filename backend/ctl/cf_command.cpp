#include "ctl/command.h"

#include <ostream>

namespace sigess::ctl {

int runCf(const Args &, CommandIo io)
{
    io.err << "usage: sigessctl cf check CF...\n";
    return 2;
}

} // namespace sigess::ctl
