// libFuzzer target on what a sync connection does with bytes from the network: each
// message goes through decodeFrame, as the server's WebSocket session does, and what
// decodes goes to a real SyncService session over an encrypted embedded store, with a
// kiosk and a coordinator's tablet really enrolled. Input layout: sync_fuzz_input.h.
// Besides the sanitizers it checks that every frame handed to the session is answered,
// first, by a frame in reply to it; that everything the server sends decodes; and that
// a connection not yet welcomed never writes to the log.
#include "backend/sync/sync_world.h"
#include "fuzz/sync_fuzz_frames.h"
#include "fuzz/sync_fuzz_input.h"
#include "net/handler.h"
#include "sync/frame_codec.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace {

using namespace sigess;

void require(bool holds, const char *what)
{
    if (holds)
        return;
    std::fprintf(stderr, "fuzz_sync_session: broken invariant: %s\n", what);
    std::abort();
}

// Stands in for the server's WebSocket session: keeps what the service sends.
class RecordingChannel : public net::SyncChannel {
public:
    void sendEncoded(std::shared_ptr<const std::string> frame) override { m_sent.push_back(*frame); }
    void close(boost::beast::websocket::close_code, std::string) override { m_closed = true; }
    void post(std::function<void(net::SyncSession &)> work) override { m_posted.push_back(std::move(work)); }

    // Work posted for the session runs after the frame that caused it, as on a strand.
    void runPosted(net::SyncSession &session)
    {
        while (!m_posted.empty()) {
            auto work = std::move(m_posted.front());
            m_posted.erase(m_posted.begin());
            work(session);
        }
    }

    std::vector<std::string> takeSent() { return std::exchange(m_sent, {}); }
    bool closed() const { return m_closed; }

private:
    std::vector<std::string> m_sent;
    std::vector<std::function<void(net::SyncSession &)>> m_posted;
    bool m_closed = false;
};

// What one fuzz run builds once: libFuzzer's entry point takes no context, so the
// server lives here for the whole run and every input meets the state earlier ones
// left (a replayed op id, an entity already created), as a long-running server does.
class Harness {
public:
    Harness()
    {
        std::string pattern = (std::filesystem::temp_directory_path() / "sigess-fuzz-XXXXXX").string();
        require(::mkdtemp(pattern.data()) != nullptr, "a temporary directory for the store");
        m_directory = pattern;
        syncserver::SyncOptions options;
        options.maxBatch = 8;
        options.maxPull = 16;
        auto world = test::SyncWorld::open(m_directory, options);
        if (!world.ok()) {
            std::fprintf(stderr, "fuzz_sync_session: %s\n", world.error().describe().c_str());
            std::abort();
        }
        m_world = std::move(world).value();
        auto kiosk = m_world->enrollKiosk(test::ourPresidio);
        auto tablet = m_world->enrollTablet("coordinatore", v1::ROLE_COORDINATOR, test::ourPresidio);
        require(kiosk.ok() && tablet.ok(), "enrolled devices");
        m_kiosk = *kiosk;
        m_tablet = *tablet;
        // A second tablet stays connected, so that commits reach the Notify path.
        auto observer = m_world->enrollTablet("osservatore", v1::ROLE_COORDINATOR, test::ourPresidio);
        require(observer.ok(), "an observing tablet");
        m_observerChannel = std::make_shared<RecordingChannel>();
        m_observer = m_world->service().sessionFactory()(net::SyncLink(m_observerChannel), net::PeerInfo{});
        v1::Envelope hello = fuzz::helloFrame(1, fuzz::placeholders::tablet, true);
        hello.mutable_hello()->set_device_id(observer->id);
        hello.mutable_hello()->set_device_credential(observer->credential);
        hello.mutable_hello()->set_operator_session(observer->session);
        m_observer->onFrame(hello);
        const std::vector<std::string> welcome = m_observerChannel->takeSent();
        require(welcome.size() == 1 && sync::decodeFrame(welcome.front()).ok()
                    && sync::decodeFrame(welcome.front())->has_welcome(),
                "the observer is welcomed");
    }

    ~Harness()
    {
        m_observer.reset();
        m_world.reset();
        std::error_code ignored;
        std::filesystem::remove_all(m_directory, ignored);
    }

    Harness(const Harness &) = delete;
    Harness &operator=(const Harness &) = delete;

    void run(const fuzz::FuzzInput &input)
    {
        auto channel = std::make_shared<RecordingChannel>();
        std::unique_ptr<net::SyncSession> session
            = m_world->service().sessionFactory()(net::SyncLink(channel), net::PeerInfo{});
        bool welcomed = false;
        auto deliver = [&](v1::Envelope frame) {
            resolvePlaceholders(frame);
            const std::int64_t loggedBefore = welcomed ? 0 : loggedOperations();
            session->onFrame(frame);
            channel->runPosted(*session);
            const std::vector<std::string> sent = channel->takeSent();
            require(!sent.empty(), "every frame gets an answer");
            for (std::size_t i = 0; i < sent.size(); ++i) {
                Result<v1::Envelope> reply = sync::decodeFrame(sent[i]);
                require(reply.ok(), "the server sends only frames that decode");
                if (i == 0)
                    require(reply->sequence() == frame.sequence(), "the answer carries the frame's sequence");
                welcomed = welcomed || reply->has_welcome();
            }
            if (!welcomed)
                require(loggedOperations() == loggedBefore, "nothing is written before Welcome");
        };
        for (const v1::Envelope &frame : opening(input.opening)) {
            if (channel->closed())
                break;
            deliver(frame);
        }
        sync::FrameLimits limits;
        limits.maxFrameBytes = maxFrameBytes;
        for (const std::string_view message : input.messages) {
            if (channel->closed())
                break;
            // What does not decode never reaches the session: the server answers it.
            Result<v1::Envelope> frame = sync::decodeFrame(message, limits);
            if (frame.ok())
                deliver(std::move(frame).value());
        }
        session->onClose();
        session.reset();
        static_cast<void>(m_observerChannel->takeSent());
    }

    // Small enough that the corpus holds an oversized frame cheaply.
    static constexpr std::size_t maxFrameBytes = 16 * 1024;

private:
    std::vector<v1::Envelope> opening(std::uint8_t choice) const
    {
        using fuzz::placeholders::kiosk;
        using fuzz::placeholders::tablet;
        switch (choice % 5) {
        case 1: return {fuzz::helloFrame(1, kiosk, false)};
        case 2: return {fuzz::helloFrame(1, tablet, true)};
        case 3:
            return {fuzz::helloFrame(1, kiosk, false),
                    fuzz::pushFrame(2, 1, {fuzz::ticketOperation(1, kiosk, 1, v1::OP_KIND_CREATE, v1::TICKET_STATE_WAITING)})};
        case 4:
            return {fuzz::helloFrame(1, tablet, true),
                    fuzz::pushFrame(2, 1, {fuzz::ticketOperation(2, tablet, 2, v1::OP_KIND_CREATE, v1::TICKET_STATE_WAITING),
                                           fuzz::ticketOperation(3, tablet, 2, v1::OP_KIND_UPDATE, v1::TICKET_STATE_CALLED)}),
                    fuzz::pullFrame(3, "", 0)};
        default: return {};
        }
    }

    void resolvePlaceholders(v1::Envelope &frame) const
    {
        auto resolve = [this](std::string &value, bool credential) {
            const test::DeviceCredentials *device = value == fuzz::placeholders::kiosk    ? &m_kiosk
                                                    : value == fuzz::placeholders::tablet ? &m_tablet
                                                                                          : nullptr;
            if (device != nullptr)
                value = credential ? device->credential : device->id;
        };
        if (frame.has_hello()) {
            v1::Hello &hello = *frame.mutable_hello();
            resolve(*hello.mutable_device_id(), false);
            resolve(*hello.mutable_device_credential(), true);
            if (hello.operator_session() == fuzz::placeholders::operatorSession)
                hello.set_operator_session(m_tablet.session);
        }
        if (frame.has_push()) {
            for (v1::Operation &operation : *frame.mutable_push()->mutable_ops())
                resolve(*operation.mutable_device(), false);
        }
    }

    std::int64_t loggedOperations()
    {
        std::int64_t count = -1;
        const Status counted = m_world->database().query("SELECT COUNT(*) FROM sync_ops", {},
                                                         [&](const storage::SqlRow &row) -> Status {
                                                             count = row.int64(0);
                                                             return {};
                                                         });
        require(counted.ok(), "the log can be counted");
        return count;
    }

    std::string m_directory;
    std::unique_ptr<test::SyncWorld> m_world;
    test::DeviceCredentials m_kiosk;
    test::DeviceCredentials m_tablet;
    std::shared_ptr<RecordingChannel> m_observerChannel;
    std::unique_ptr<net::SyncSession> m_observer;
};

std::unique_ptr<Harness> harness;

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    harness = std::make_unique<Harness>();
    std::atexit([] { harness.reset(); });
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    harness->run(sigess::fuzz::parseInput(data, size));
    return 0;
}
