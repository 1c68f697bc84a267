// A device process for tst_kill_rounds, which kills it with SIGKILL at random points and
// starts it again on the same store. It opens its Replica in an encrypted store file
// and keeps it in step with the server through SyncClient and SyncDriver, as the kiosk
// and the tablet do.
//   sync_kill_child <store> <key hex> <device id> <credential> <session> <url> <seed> work|settle
// work:   records ticket changes (a new ticket, or another desk for a known one) every
//         few milliseconds and syncs them, until killed. Each step is announced on stdout
//         as it happens, one unbuffered line each, so the parent can kill it there:
//         "record" (about to record), "recorded <op id>" (committed), "push" (sync asked
//         for), "acked" (an Ack was settled), "applied" (a Changes frame was applied).
// settle: records nothing; syncs until a round has pushed and pulled everything with
//         the outbox empty, then prints "settled" and exits 0 (1 after 20 s without).
#include "backend/sync/device_client.h"
#include "backend/sync/device_support.h"
#include "core/clock.h"
#include "core/hlc.h"
#include "core/uuid.h"
#include "store/database.h"
#include "store/raw_key.h"
#include "sync/replica.h"
#include "sync_client/sync_client.h"
#include "sync_client/sync_driver.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <string>

namespace {

using namespace sigess;
using namespace std::chrono_literals;

// The presidio of the test's tablet (test::ourPresidio); this process links no backend code.
constexpr char presidio[] = "P-M01-01";

// Written with write(2): a line must be out before the next step, whatever kills us.
void announce(const std::string &line)
{
    const std::string text = line + "\n";
    static_cast<void>(::write(STDOUT_FILENO, text.data(), text.size()));
}

int fail(const std::string &what)
{
    std::fprintf(stderr, "sync_kill_child: %s\n", what.c_str());
    return 1;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 9)
        return fail("usage: sync_kill_child <store> <key hex> <device id> <credential> <session> <url> <seed> work|settle");
    const std::string mode = argv[8];
    const bool settle = mode == "settle";
    if (!settle && mode != "work")
        return fail("the mode is work or settle, not " + mode);
    Result<store::RawKey> key = store::RawKey::fromHex(argv[2]);
    if (!key.ok())
        return fail(key.error().describe());
    Result<store::Database> database = store::Database::open(argv[1], *key, store::OpenMode::CreateIfMissing);
    if (!database.ok())
        return fail(database.error().describe());
    core::SystemClock clock;
    core::HybridLogicalClock hlc(clock);
    core::UuidV7Generator ids(clock);
    Result<sync::Replica> replica = sync::Replica::open(*database, argv[3], hlc, ids);
    if (!replica.ok())
        return fail(replica.error().describe());

    std::mt19937_64 random(std::stoull(argv[7]));
    sync::SyncClientOptions options = test::clientOptionsFor(argv[6], {argv[3], argv[4], argv[5]});
    options.backoff.initial = 20ms;
    options.backoff.maximum = 200ms;
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::mt19937_64 jitter(random());
    options.random = [jitter, unit]() mutable { return unit(jitter); };
    sync::SyncClient client(options);

    test::WorkQueue queue;
    bool settled = false;
    sync::SyncDriverHandlers handlers;
    handlers.acknowledged = [](const v1::Ack &) { announce("acked"); };
    handlers.applied = [](const v1::Changes &) { announce("applied"); };
    handlers.statusChanged = [&](const sync::SyncStatus &status) {
        settled = settled || (status.online && status.outbox == 0 && status.lastSyncMs && !status.lastError);
    };
    {
        sync::SyncDriver driver(client, *replica, [&queue](std::function<void()> work) { queue.post(std::move(work)); },
                                clock, handlers, sync::SyncDriver::Options{});
        driver.start();
        if (Status started = client.start(); !started.ok())
            return fail(started.error().describe());
        const auto deadline = std::chrono::steady_clock::now() + 20s;
        while (settle && !settled) {
            if (std::chrono::steady_clock::now() > deadline)
                return fail("not settled within 20 s");
            queue.runFor(50ms);
        }
        while (!settle) {
            queue.runFor(5ms);
            announce("record");
            Result<v1::Operation> recorded = test::recordRandomTicketEdit(*replica, random, presidio);
            if (!recorded.ok())
                return fail(recorded.error().describe());
            announce("recorded " + recorded->op_id());
            announce("push");
            driver.syncNow();
        }
    }
    client.stop();
    announce("settled");
    return 0;
}
