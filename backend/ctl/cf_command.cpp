// sigessctl cf check CF...: validates each codice fiscale given and prints one line per
// code, so an administrator can check a list pasted from a spreadsheet.
#include "core/clock.h"
#include "core/codice_fiscale.h"
#include "ctl/command.h"

#include <chrono>
#include <iomanip>
#include <ostream>

namespace sigess::ctl {

namespace {

std::chrono::year_month_day today(const core::Clock &clock)
{
    using namespace std::chrono;
    const sys_time<milliseconds> now { milliseconds(clock.nowMs()) };
    return year_month_day { floor<days>(now) };
}

void printDate(std::ostream &out, const std::chrono::year_month_day &date)
{
    const char fill = out.fill('0');
    out << std::setw(4) << static_cast<int>(date.year()) << '-' << std::setw(2)
        << static_cast<unsigned>(date.month()) << '-' << std::setw(2) << static_cast<unsigned>(date.day());
    out.fill(fill);
}

} // namespace

int runCf(const Args &args, CommandIo io)
{
    if (args.size() < 2 || args.front() != "check") {
        io.err << "usage: sigessctl cf check CF...\n";
        return 2;
    }
    const core::SystemClock clock;
    const auto day = today(clock);
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
        io.out << "valid (born ";
        printDate(io.out, parsed->birthDate);
        io.out << ", " << (parsed->sex == core::Sex::Female ? 'F' : 'M') << ")\n";
    }
    return allValid ? 0 : 1;
}

} // namespace sigess::ctl
