// sigessctl cf check CF...: validates each codice fiscale given and prints one line per
// code, so an administrator can check a list pasted from a spreadsheet.
#include "core/clock.h"
#include "core/codice_fiscale.h"
#include "core/text_codec.h"
#include "ctl/command.h"

#include <ostream>

namespace sigess::ctl {

int runCf(const Args &args, CommandIo io)
{
    if (args.size() < 2 || args.front() != "check") {
        io.err << "usage: sigessctl cf check CF...\n";
        return 2;
    }
    const core::SystemClock clock;
    const auto day = core::utcDay(clock.nowMs());
    bool allValid = true;
    for (auto input = args.begin() + 1; input != args.end(); ++input) {
        const std::string shown = core::normalizeCodiceFiscale(*input);
        io.out << (shown.empty() ? "\"\"" : shown) << ": ";
        const auto parsed = core::parseCodiceFiscale(*input, day);
        if (!parsed) {
            allValid = false;
            io.out << "invalid: " << parsed.error().message << '\n';
            continue;
        }
        io.out << "valid (born " << core::isoDate(parsed->birthDate) << ", "
               << (parsed->sex == core::Sex::Female ? 'F' : 'M') << ")\n";
    }
    return allValid ? 0 : 1;
}

} // namespace sigess::ctl
