#include "ctl/command.h"

#include <ostream>

namespace sigess::ctl {

int runStore(const Args &, CommandIo io)
{
    io.err << "usage: sigessctl store verify FILE\n";
    return 2;
}

} // namespace sigess::ctl
