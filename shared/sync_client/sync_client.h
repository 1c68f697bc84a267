// The device end of the sync WebSocket (DESIGN.md "Sync"): one connection to the
// backend's sync endpoint, kept up for as long as the client runs.
//
// The client connects to `wss://host:port/path` (the server's certificate checked against
// a CA file and the host name) or to `ws://` on a loopback address (tests, the local
// demo), says Hello and waits for Welcome. Once welcomed it carries Pushes and Pulls,
// matching each answer (Ack, Changes, or a Reject) to its request by envelope sequence,
// and keeps at most Welcome.max_in_flight Pushes unanswered (the rest wait in order).
// When the connection ends, every request still waiting completes with Unavailable,
// exactly once, and the client connects again after an exponential backoff with jitter.
// A Wipe or a fatal Reject halts it: reconnecting cannot help a revoked device or a
// refused credential, so it waits for resume().
//
//   SyncClient client(options, events);
//   client.start();                       // returns at once; connecting happens on its thread
//   client.push(batch, [](Result<v1::Ack> ack) { ... });
//   client.stop();                        // closes, completes what waits, joins the thread
//
// Thread safety: every member may be called from any thread and never blocks on the
// network (stop() and the destructor wait for the I/O thread to end, so they must not
// be called from an event or a callback). Events and callbacks run on the client's own
// I/O thread, one at a time: they should hand work to the caller's thread and return.
#pragma once

#include "core/result.h"
#include "sigess/v1/sync.pb.h"
#include "sync/frame_codec.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace sigess::sync {

// Where the sync endpoint is, parsed from a URL.
struct Endpoint {
    bool tls = true;
    std::string host;
    std::uint16_t port = 443;
    std::string target = "/v1/sync";
};

// Accepts wss://host[:port][/path] and ws://loopback[:port][/path] (127.0.0.0/8, ::1,
// localhost); plaintext anywhere else is refused, since it would carry the device
// credential in the clear. Invalid, naming the URL, otherwise.
Result<Endpoint> parseEndpoint(std::string_view url);

struct BackoffOptions {
    std::chrono::milliseconds initial{500};
    std::chrono::milliseconds maximum{30'000};
    double factor = 2.0;
    // Each delay is drawn uniformly from [delay * (1 - jitter), delay], so kiosks that lost
    // the backend together do not all come back in the same millisecond.
    double jitter = 0.5;
};

// The wait before reconnection attempt `attempt` (0 for the first retry); `unitRandom`
// is a number in [0, 1) from the client's random source.
std::chrono::milliseconds backoffDelay(const BackoffOptions &options, unsigned attempt, double unitRandom);

struct SyncClientOptions {
    std::string url;      // see parseEndpoint()
    std::string caFile;   // PEM CA bundle for wss; empty: the system's trusted CAs
    // Sent on every connection: device id, credential, operator session (tablets),
    // catalog release and protocol version. Its cursor is replaced by setCursor()'s.
    v1::Hello hello;
    FrameLimits frameLimits;
    BackoffOptions backoff;
    std::chrono::milliseconds connectTimeout{10'000};  // TCP, TLS and WebSocket handshakes
    std::chrono::milliseconds welcomeTimeout{10'000};  // Hello to Welcome
    // A request the server leaves unanswered this long ends the connection.
    std::chrono::milliseconds answerTimeout{30'000};
    // Silence after which the connection is deemed dead; pings go out at half of it.
    std::chrono::milliseconds idleTimeout{60'000};
    // Returns a number in [0, 1) for the backoff's jitter; empty: a generator seeded
    // from std::random_device. Tests pass a fixed sequence.
    std::function<double()> random;
};

// What the connection reports besides answers. Every member may be left empty.
struct SyncEvents {
    std::function<void(const v1::Welcome &)> connected;
    // The connection is gone (or an attempt failed), with the reason.
    std::function<void(const Error &)> disconnected;
    std::function<void(const v1::Notify &)> notify;
    // The device was revoked: its data must be erased. The client halts.
    std::function<void(const v1::Wipe &)> wipe;
    std::function<void(const v1::CatalogUpdate &)> catalogUpdate;
    // A Reject that answers no pending request, or a fatal one (the client then halts).
    std::function<void(const v1::Reject &)> rejected;
};

class SyncClient {
public:
    using AckHandler = std::function<void(Result<v1::Ack>)>;
    using ChangesHandler = std::function<void(Result<v1::Changes>)>;

    // Invalid options (a bad URL, an unreadable CA file) are reported by start().
    explicit SyncClient(SyncClientOptions options, SyncEvents events = {});
    ~SyncClient();
    SyncClient(const SyncClient &) = delete;
    SyncClient &operator=(const SyncClient &) = delete;

    // Starts the I/O thread and the first connection. Invalid when the URL or the CA file
    // is unusable; Conflict when already started.
    Status start();
    // Closes the connection, completes every waiting request with Unavailable and joins
    // the I/O thread. Safe to call more than once, and before start().
    void stop();
    // Connects again after a Wipe or a fatal Reject (new credentials given by setHello()),
    // or at once when waiting out a backoff.
    void resume();

    // Replaces the event handlers; the ones already running finish first.
    void setEvents(SyncEvents events);
    // Replaces the Hello sent on the next connections (a new operator session).
    void setHello(v1::Hello hello);
    // The cursor the next Hello carries.
    void setCursor(std::string cursor);

    // `done` runs exactly once, on the I/O thread: with the Ack, or with an error (the
    // server's Reject, Unavailable when not connected or when the connection drops).
    void push(v1::Push batch, AckHandler done);
    void pull(v1::Pull request, ChangesHandler done);

    // Whether the client is welcomed right now (a snapshot: it may change at once).
    bool connected() const;

private:
    class Impl;
    std::shared_ptr<Impl> m_impl;
};

} // namespace sigess::sync
