// sync_bench: the sync protocol as devices see it, on the embedded store and on
// PostgreSQL (a server of its own from deploy/pg-test-server: fsync off, so its commits
// are cheaper than a production server's), with PouchDB replicating the same documents
// side by side (tests/bench/pouchdb/peer.js).
//
// The sync server runs in a child process (this program with --serve): the store, the
// identity service and SyncService behind the network server, as sigess-backend builds
// them, but plaintext WebSocket on 127.0.0.1 (so no TLS state in the memory figures).
// The child also enrolls the bench's devices and signs their operators in, then prints
// their credentials; its resident memory is then its own. The devices are real
// WebSocket connections from this process:
//  - idle: as many welcomed connections as the server holds (up to --idle), first, while
//    the server has served next to nothing, and the server's memory grown per connection;
//  - ingest: a coordinator's tablet (a coordinator sees the whole presidio, so every
//    record is in scope whatever the case-file rules) pushes a caseload (per case: a
//    citizen, the case, 3 visits, 3 notes, 2 assessments; ten records), in Push frames
//    of the server's batch size with its in-flight window; then as many records again
//    from --devices tablets at once, each in a presidio of its own;
//  - download: a second tablet of the same coordinator pulls every record into a fresh
//    encrypted replica (shared/sync/replica) through the tablet's own SyncClient and
//    SyncDriver, so with their pipelining: the next Pull leaves as a Changes frame
//    arrives, and the server prepares it while the device applies that one. Besides the
//    time it prints the server's and the device's CPU seconds (steady under a busy
//    machine, unlike the clock), the CPU seconds of the device's store thread alone
//    (which bounds the download while the server keeps ahead), the time the device
//    waited on the server with nothing to apply, and the time and CPU the store thread
//    then spends copying the download's WAL into the main file (after the download's
//    time, and not in the store thread's CPU seconds before it);
//  - latency: kiosks create tickets at --rate per second in all; another kiosk of the
//    presidio times each from its Push leaving to the Notify that covers it arriving.
//
// One JSON line per figure on stdout: {"name":"sync.<what>.<store>","value","unit"}, and
// for the figures PouchDB also gives, "peer":"pouchdb","peer_value","ratio" (how many
// times better SIgeSS is). The PouchDB peer needs node and tests/bench/pouchdb's
// node_modules (deploy/install-deps --bench-peers); --smoke runs without it when missing.
//   sync_bench [--smoke] [--cases N] [--devices N] [--rate N] [--seconds S] [--idle N]
//              [--embedded] [--postgresql] [--no-peer]
//   (--smoke: 50 cases, 4 devices, one second of latency, 50 idle; figures meaningless.
//   --embedded or --postgresql measure that store alone, --no-peer leaves PouchDB out:
//   for working on one figure, since a full run takes minutes.)
#include "bench/bench_support.h"
#include "core/clock.h"
#include "core/hlc.h"
#include "core/uuid.h"
#include "identity/identity_service.h"
#include "net/log.h"
#include "net/server.h"
#include "storage/presidio_repository.h"
#include "storage/storage.h"
#include "store/database.h"
#include "store/raw_key.h"
#include "sync/change_feed.h"
#include "sync/entity_registry.h"
#include "sync/frame_codec.h"
#include "sync/replica.h"
#include "sync/server_rules.h"
#include "sync/sync_service.h"
#include "sync_client/sync_client.h"
#include "sync_client/sync_driver.h"
#include "support/free_port.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket.hpp>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

using namespace sigess;
using namespace std::chrono_literals;
namespace fs = std::filesystem;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using Clock = std::chrono::steady_clock;
using sigess::testing::freeLoopbackPort;
using namespace sigess::bench;

namespace {

const fs::path sourceDir = SIGESS_SOURCE_DIR;
const fs::path workDir = SIGESS_BENCH_WORK_DIR;
constexpr std::string_view password = "sync bench password";
// Kiosks creating tickets in the latency run. Each waits for its Ack before the next
// ticket, so that one slow commit delays only its own kiosk's next ticket.
constexpr int latencyWriters = 4;

struct Settings {
    bool smoke = false;
    std::size_t cases = 5'000;
    std::size_t devices = 50;
    int rate = 1'000;
    int seconds = 10;
    int idle = 10'000;
};

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// CPU seconds (user and system, every thread) of this process.
double selfCpuSeconds()
{
    rusage usage {};
    ::getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval &time) {
        return static_cast<double>(time.tv_sec) + static_cast<double>(time.tv_usec) / 1e6;
    };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// CPU seconds of the calling thread.
double threadCpuSeconds()
{
    timespec time {};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time);
    return static_cast<double>(time.tv_sec) + static_cast<double>(time.tv_nsec) / 1e9;
}

// CPU seconds (user and system, every thread) of process `pid`, from /proc/<pid>/stat.
double processCpuSeconds(pid_t pid)
{
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    std::getline(stat, line);
    // The command name may hold spaces; the fields after it do not. utime and stime are
    // fields 14 and 15, the 12th and 13th after the name.
    std::istringstream fields(line.substr(line.rfind(')') + 2));
    std::string field;
    for (int i = 0; i < 11; ++i)
        fields >> field;
    double ticks = 0;
    for (int i = 0; i < 2; ++i) {
        fields >> field;
        ticks += std::stod(field);
    }
    return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

// The log position a cursor the server issued names ("EPOCH:SEQUENCE").
std::int64_t cursorSequence(const std::string &cursor)
{
    return std::stoll(cursor.substr(cursor.find(':') + 1));
}

std::string presidioCode(std::size_t index)
{
    char code[16];
    std::snprintf(code, sizeof code, "P-M01-%02zu", index + 1);
    return code;
}

// ---------------------------------------------------------------------------------
// The server side: this program with --serve.

struct Device {
    std::string role;   // "tablet" or "kiosk"
    std::string label;  // what the bench uses it for
    std::string id;
    std::string credential;
    std::string session;  // a tablet's operator session; "-" for a kiosk
};

int serveMain(const std::string &kind, const std::string &location, std::size_t fleet)
{
    const core::SystemClock clock;
    storage::StorageConfig config;
    if (kind == "embedded") {
        storage::EmbeddedStoreConfig embedded;
        embedded.path = (fs::path(location) / "sync.db").string();
        embedded.keyFile = (fs::path(location) / "store.key").string();
        if (Status made = storage::createKeyFile(embedded, storage::KeyFileFormat::RawHex); !made.ok())
            fail(made.error().message);
        config = embedded;
    } else {
        config = storage::PostgresStoreConfig {location, 4, 5};
    }
    Result<std::unique_ptr<storage::SqlDatabase>> opened = storage::openStorage(config);
    if (!opened.ok())
        fail("cannot open the " + kind + " store: " + opened.error().message);
    storage::SqlDatabase &database = **opened;
    core::HybridLogicalClock hlc(clock);
    core::UuidV7Generator ids(clock);
    // The presidio of the caseload and the kiosks, then one per tablet of the fleet.
    storage::PresidioRepository presidi(database);
    for (std::size_t i = 0; i <= fleet; ++i) {
        v1::Presidio presidio;
        presidio.mutable_meta()->set_id(ids.next().toString());
        presidio.set_code(presidioCode(i));
        presidio.set_municipio("M01");
        presidio.set_name(presidioCode(i));
        if (Status stored = presidi.upsert(presidio); !stored.ok())
            fail(stored.error().message);
    }
    identity::IdentityOptions identityOptions;
    // Logins are set-up here, not measured: the cheapest Argon2id keeps them out of the way.
    identityOptions.passwordCost = identity::PasswordCost::minimum();
    identity::IdentityService identity(database, clock, hlc, ids, identityOptions);
    const auto person = [&](const std::string &username, v1::Role role, const std::string &presidio) {
        v1::Operator profile;
        profile.set_username(username);
        profile.set_display_name(username);
        profile.set_role(role);
        profile.mutable_meta()->set_presidio(presidio);
        Result<v1::Operator> created = identity.createOperator(profile, password);
        if (!created.ok())
            fail("cannot create " + username + ": " + created.error().message);
        return created->meta().id();
    };
    const std::string adminId = person("bench.admin", v1::ROLE_ADMIN, {});
    const auto enroll = [&](v1::DeviceKind deviceKind, const std::string &presidio, const std::string &label) {
        Result<identity::IssuedEnrollmentCode> code = identity.issueEnrollmentCode(presidio, deviceKind, adminId);
        if (!code.ok())
            fail("cannot issue an enrollment code: " + code.error().message);
        Result<identity::EnrolledDevice> enrolled = identity.enrollDevice(code->code, label);
        if (!enrolled.ok())
            fail("cannot enroll " + label + ": " + enrolled.error().message);
        return Device {deviceKind == v1::DEVICE_KIND_KIOSK ? "kiosk" : "tablet", label, enrolled->device.meta().id(),
                       enrolled->credential, "-"};
    };
    const auto tablet = [&](const std::string &username, const std::string &presidio, const std::string &label) {
        Device device = enroll(v1::DEVICE_KIND_TABLET, presidio, label);
        Result<identity::Session> session = identity.login(username, password, device.credential);
        if (!session.ok())
            fail("cannot sign " + username + " in: " + session.error().message);
        device.session = session->token;
        return device;
    };

    std::vector<Device> devices;
    person("bench.c00", v1::ROLE_COORDINATOR, presidioCode(0));
    devices.push_back(tablet("bench.c00", presidioCode(0), "caseload"));
    devices.push_back(tablet("bench.c00", presidioCode(0), "download"));
    for (std::size_t i = 1; i <= fleet; ++i) {
        const std::string username = "bench.c" + std::to_string(i);
        person(username, v1::ROLE_COORDINATOR, presidioCode(i));
        devices.push_back(tablet(username, presidioCode(i), "fleet"));
    }
    devices.push_back(enroll(v1::DEVICE_KIND_KIOSK, presidioCode(0), "listener"));
    for (int i = 0; i < latencyWriters; ++i)
        devices.push_back(enroll(v1::DEVICE_KIND_KIOSK, presidioCode(0), "writer"));
    devices.push_back(enroll(v1::DEVICE_KIND_KIOSK, presidioCode(0), "idle"));

    syncserver::LocalChangeFeed feed;
    syncserver::SyncService service(database, identity, hlc, feed, sync::ServerRules(sync::standardCaseTransitions()));
    net::Handlers handlers;
    handlers.sync = service.sessionFactory();
    net::ServerOptions options;
    options.port = 0;
    options.transport = net::Transport::PlaintextLoopback;
    // Every device of the bench comes from 127.0.0.1, and the idle ones wait long.
    options.limits.connectionsPerClient = 20'000;
    options.limits.connections = 20'000;
    options.timeouts.websocketIdle = 10min;
    const net::Logger logger(clock, net::LogLevel::Warn, net::Logger::stderrSink());
    Result<std::unique_ptr<net::Server>> server = net::Server::create(options, std::move(handlers), logger);
    if (!server.ok())
        fail(server.error().message);
    if (Status started = (*server)->start(); !started.ok())
        fail(started.error().message);

    std::printf("port %u\n", static_cast<unsigned>((*server)->port()));
    for (const Device &device : devices)
        std::printf("device %s %s %s %s %s\n", device.role.c_str(), device.label.c_str(), device.id.c_str(),
                    device.credential.c_str(), device.session.c_str());
    std::printf("ready\n");
    std::fflush(stdout);
    // Serves until the bench closes our stdin.
    char buffer[256];
    while (std::fread(buffer, 1, sizeof buffer, stdin) > 0) {
    }
    (*server)->stop();
    (*server)->wait();
    return 0;
}

// The --serve child as the bench sees it.
class ServerProcess {
public:
    ServerProcess(const std::string &self, const std::string &kind, const std::string &location, std::size_t fleet)
    {
        int toChild[2];
        int fromChild[2];
        if (::pipe(toChild) != 0 || ::pipe(fromChild) != 0)
            fail("cannot make pipes");
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, toChild[0], STDIN_FILENO);
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], STDOUT_FILENO);
        posix_spawn_file_actions_addclose(&actions, toChild[1]);
        posix_spawn_file_actions_addclose(&actions, fromChild[0]);
        std::vector<std::string> args = {self, "--serve", kind, location, std::to_string(fleet)};
        std::vector<char *> argv;
        for (std::string &arg : args)
            argv.push_back(arg.data());
        argv.push_back(nullptr);
        const int spawned = posix_spawn(&m_pid, self.c_str(), &actions, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        ::close(toChild[0]);
        ::close(fromChild[1]);
        if (spawned != 0)
            fail("cannot start the server process");
        m_input = toChild[1];
        FILE *output = ::fdopen(fromChild[0], "r");
        char line[1024];
        while (std::fgets(line, sizeof line, output) != nullptr) {
            std::istringstream words(line);
            std::string word;
            words >> word;
            if (word == "ready")
                break;
            if (word == "port") {
                words >> m_port;
            } else if (word == "device") {
                Device device;
                words >> device.role >> device.label >> device.id >> device.credential >> device.session;
                m_devices.push_back(std::move(device));
            }
        }
        std::fclose(output);
        if (m_port == 0)
            fail("the server process did not start (see its errors above)");
    }

    ~ServerProcess() { stop(); }
    ServerProcess(const ServerProcess &) = delete;
    ServerProcess &operator=(const ServerProcess &) = delete;

    // Closes its stdin, which drains and stops it; the exit status.
    int stop()
    {
        if (m_pid <= 0)
            return m_status;
        ::close(m_input);
        int status = 0;
        ::waitpid(m_pid, &status, 0);
        m_pid = -1;
        m_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        return m_status;
    }

    std::uint16_t port() const { return m_port; }
    long rssKiB() const { return procStatusKiB(m_pid, "VmRSS"); }
    double cpuSeconds() const { return processCpuSeconds(m_pid); }
    long peakKiB() const { return procStatusKiB(m_pid, "VmHWM"); }

    std::vector<Device> devices(std::string_view label) const
    {
        std::vector<Device> found;
        std::copy_if(m_devices.begin(), m_devices.end(), std::back_inserter(found),
                     [&](const Device &device) { return device.label == label; });
        if (found.empty())
            fail("the server process named no " + std::string(label) + " device");
        return found;
    }

private:
    pid_t m_pid = -1;
    int m_status = -1;
    int m_input = -1;
    std::uint16_t m_port = 0;
    std::vector<Device> m_devices;
};

// ---------------------------------------------------------------------------------
// The device side.

// A blocking WebSocket connection speaking sync frames, with a deadline on every wait.
class SyncConnection {
public:
    SyncConnection(asio::io_context &io, std::uint16_t port) : m_ws(io)
    {
        beast::tcp_stream &stream = beast::get_lowest_layer(m_ws);
        stream.expires_after(30s);
        stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), m_error);
        // A device sends each frame at once rather than waiting for the last one's ACK.
        if (!m_error)
            stream.socket().set_option(asio::ip::tcp::no_delay(true), m_error);
        if (!m_error)
            m_ws.handshake("127.0.0.1", "/v1/sync", m_error);
        m_ws.binary(true);
    }

    // Why the connection could not be made; empty when it was.
    beast::error_code error() const { return m_error; }

    void send(v1::Envelope frame)
    {
        frame.set_sequence(++m_sequence);
        beast::get_lowest_layer(m_ws).expires_after(30s);
        m_ws.write(asio::buffer(sync::encodeFrame(frame)), m_error);
        if (m_error)
            fail("cannot send a frame: " + m_error.message());
    }

    // The next frame, or an error once `limit` passes without one.
    Result<v1::Envelope> receive(std::chrono::milliseconds limit = 60s)
    {
        beast::get_lowest_layer(m_ws).expires_after(limit);
        beast::flat_buffer buffer;
        m_ws.read(buffer, m_error);
        if (m_error)
            return makeError(ErrorCode::Unavailable, m_error.message());
        return sync::decodeFrame(beast::buffers_to_string(buffer.data()));
    }

    // The answer to what was sent, past the Notify frames the server may send first.
    v1::Envelope reply()
    {
        for (;;) {
            Result<v1::Envelope> frame = receive();
            if (!frame.ok())
                fail("no answer from the server: " + frame.error().message);
            if (frame->has_reject())
                fail("the server rejected a frame: " + frame->reject().code() + ": " + frame->reject().reason());
            if (!frame->has_notify())
                return std::move(frame).value();
        }
    }

    // Hello and Welcome; the Welcome.
    v1::Welcome hello(const Device &device)
    {
        v1::Envelope frame;
        frame.mutable_hello()->set_protocol_version(1);
        frame.mutable_hello()->set_device_id(device.id);
        frame.mutable_hello()->set_device_credential(device.credential);
        if (device.session != "-")
            frame.mutable_hello()->set_operator_session(device.session);
        send(frame);
        v1::Envelope answer = reply();
        if (!answer.has_welcome())
            fail(device.label + " was not welcomed: " + answer.ShortDebugString());
        return answer.welcome();
    }

    v1::Changes pull(const std::string &cursor)
    {
        v1::Envelope frame;
        frame.mutable_pull()->set_cursor(cursor);
        send(frame);
        v1::Envelope answer = reply();
        if (!answer.has_changes())
            fail("a Pull was answered with " + answer.ShortDebugString());
        return std::move(*answer.mutable_changes());
    }

    // The cursor at the end of the log as this device may read it.
    std::string pullToEnd(std::size_t *records = nullptr)
    {
        std::string cursor;
        for (bool more = true; more;) {
            v1::Changes changes = pull(cursor);
            if (records != nullptr)
                *records += static_cast<std::size_t>(changes.ops_size());
            cursor = changes.next_cursor();
            more = changes.more();
        }
        return cursor;
    }

private:
    websocket::stream<beast::tcp_stream> m_ws;
    beast::error_code m_error;
    std::uint64_t m_sequence = 0;
};

// The records of a coordinator's caseload, as operations of the tablet that makes them
// and as the documents PouchDB replicates (Protobuf's JSON of each record, with _id).
class CaseloadMaker {
public:
    explicit CaseloadMaker(std::uint64_t seed) : m_random(seed) {}

    std::vector<v1::Operation> make(const std::string &deviceId, const std::string &presidio,
                                    const std::string &operatorId, std::size_t cases,
                                    std::vector<std::string> *documents = nullptr)
    {
        m_ops.clear();
        m_documents = documents;
        for (std::size_t c = 0; c < cases; ++c) {
            v1::Citizen citizen;
            citizen.set_temporary_id("TMP-" + std::to_string(m_random() % 100'000'000));
            citizen.set_given_name(pick(givenNames));
            citizen.set_family_name(pick(familyNames));
            citizen.set_birth_date(date(1930, 2015));
            citizen.set_sex(m_random() % 2 == 0 ? v1::SEX_FEMALE : v1::SEX_MALE);
            citizen.set_citizenship("IT");
            citizen.set_preferred_language("it");
            citizen.set_phone("+39 06 " + std::to_string(1'000'000 + m_random() % 9'000'000));
            citizen.set_address("Via " + pick(familyNames) + " " + std::to_string(1 + m_random() % 200) + ", Roma");
            const std::string citizenId
                = add(deviceId, presidio, citizen, {2, 3, 4, 5, 6, 7, 8, 9, 10, 11}).entity_id();

            v1::Case file;
            file.set_citizen(citizenId);
            file.set_state("OPEN");
            file.set_responsible_operator(operatorId);
            file.add_target_groups("AREA_FAMIGLIA_MINORI");
            file.set_prevalent_target_group("AREA_FAMIGLIA_MINORI");
            file.set_opened_on(date(2024, 2026));
            const std::string caseId = add(deviceId, presidio, file, {2, 3, 4, 5, 6, 7}).entity_id();

            for (int i = 0; i < 3; ++i) {
                v1::Visit visit;
                visit.set_case_id(caseId);
                visit.set_operator_(operatorId);
                visit.set_scheduled_for(date(2025, 2026) + "T10:00:00Z");
                visit.set_performed_on(date(2025, 2026) + "T10:30:00Z");
                visit.set_place("domicilio");
                visit.set_outcome(sentence(18));
                add(deviceId, presidio, visit, {2, 3, 4, 5, 6, 7});
            }
            for (int i = 0; i < 3; ++i) {
                v1::Note note;
                note.set_case_id(caseId);
                note.set_entry_type("DIARIO_COLLOQUIO");
                note.set_text(sentence(45));
                note.set_author(operatorId);
                add(deviceId, presidio, note, {2, 3, 4, 5});
            }
            for (int i = 0; i < 2; ++i) {
                v1::Assessment assessment;
                assessment.set_case_id(caseId);
                assessment.set_form("SVAMA");
                for (int item = 1; item <= 8; ++item) {
                    v1::AssessmentAnswer *answer = assessment.add_answers();
                    answer->set_item(std::string("Q").append(std::to_string(item)));
                    answer->set_value(std::to_string(m_random() % 5));
                }
                assessment.set_score(static_cast<double>(m_random() % 400) / 10.0);
                assessment.set_operator_(operatorId);
                assessment.set_performed_on(date(2025, 2026));
                add(deviceId, presidio, assessment, {2, 3, 4, 5, 6, 7});
            }
        }
        return std::move(m_ops);
    }

private:
    static constexpr std::string_view givenNames[] = {"Maria", "Giuseppe", "Anna", "Ahmed", "Elena", "Marco",
                                                      "Fatima", "Luca", "Giulia", "Andrei", "Chiara", "Wei"};
    static constexpr std::string_view familyNames[] = {"Rossi", "Bianchi", "Romano", "Colombo", "Ricci",
                                                       "Marino", "Greco", "Bruno", "Gallo", "Conti"};
    static constexpr std::string_view words[] = {"la", "famiglia", "riferisce", "difficoltà", "economiche",
                                                 "il", "minore", "frequenta", "scuola", "con", "regolarità",
                                                 "colloquio", "servizio", "casa", "sostegno", "lavoro"};

    std::string pick(std::span<const std::string_view> from)
    {
        return std::string(from[m_random() % from.size()]);
    }

    std::string date(int fromYear, int toYear)
    {
        char text[16];
        std::snprintf(text, sizeof text, "%04d-%02d-%02d",
                      fromYear + static_cast<int>(m_random() % static_cast<std::uint64_t>(toYear - fromYear)),
                      1 + static_cast<int>(m_random() % 12), 1 + static_cast<int>(m_random() % 28));
        return text;
    }

    std::string sentence(int length)
    {
        std::string text;
        for (int i = 0; i < length; ++i) {
            if (i > 0)
                text += ' ';
            text += words[m_random() % std::size(words)];
        }
        text += '.';
        return text;
    }

    const v1::Operation &add(const std::string &deviceId, const std::string &presidio,
                             google::protobuf::Message &record, const std::vector<std::uint32_t> &fields)
    {
        v1::Operation &operation = m_ops.emplace_back();
        operation.set_op_id(m_ids.next().toString());
        *operation.mutable_hlc() = m_hlc.now().toProto();
        operation.set_device(deviceId);
        const sync::EntityKind &kind = *sync::findEntityKind(record.GetDescriptor());
        operation.set_entity_type(kind.type);
        operation.set_entity_id(m_ids.next().toString());
        operation.set_kind(kind.writeRule == sync::WriteRule::AppendOnly ? v1::OP_KIND_APPEND : v1::OP_KIND_CREATE);
        for (const std::uint32_t field : fields)
            operation.add_fields(field);
        // Every entity's meta is its field 1 (entities.proto).
        auto &meta = static_cast<v1::EntityMeta &>(
            *record.GetReflection()->MutableMessage(&record, record.GetDescriptor()->FindFieldByNumber(1)));
        meta.set_presidio(presidio);
        operation.set_patch(record.SerializeAsString());
        if (m_documents != nullptr) {
            meta.set_id(operation.entity_id());
            std::string json;
            if (!google::protobuf::util::MessageToJsonString(record, &json).ok())
                fail("cannot print a record as JSON");
            m_documents->push_back("{\"_id\":\"" + operation.entity_id() + "\"," + json.substr(1));
        }
        return operation;
    }

    std::mt19937_64 m_random;
    core::SystemClock m_clock;
    core::HybridLogicalClock m_hlc {m_clock};
    core::UuidV7Generator m_ids {m_clock};
    std::vector<v1::Operation> m_ops;
    std::vector<std::string> *m_documents = nullptr;
};

// Pushes every operation in Push frames of the server's batch size, keeping its window
// of frames in flight; fails unless the server accepts every one.
void pushAll(SyncConnection &connection, const v1::Welcome &welcome, const std::vector<v1::Operation> &ops)
{
    const std::size_t batch = std::max<std::uint32_t>(welcome.max_batch(), 1);
    const std::size_t window = std::max<std::uint32_t>(welcome.max_in_flight(), 1);
    std::size_t sent = 0;
    std::size_t inFlight = 0;
    std::size_t accepted = 0;
    std::uint64_t batchId = 0;
    while (sent < ops.size() || inFlight > 0) {
        while (sent < ops.size() && inFlight < window) {
            v1::Envelope frame;
            frame.mutable_push()->set_batch_id(++batchId);
            const std::size_t end = std::min(ops.size(), sent + batch);
            for (; sent < end; ++sent)
                *frame.mutable_push()->add_ops() = ops[sent];
            connection.send(std::move(frame));
            ++inFlight;
        }
        const v1::Envelope answer = connection.reply();
        if (!answer.has_ack())
            fail("a Push was answered with " + answer.ShortDebugString());
        if (answer.ack().rejected_size() > 0)
            fail("the server rejected " + std::to_string(answer.ack().rejected_size()) + " operations, e.g. "
                 + answer.ack().rejected(0).code() + ": " + answer.ack().rejected(0).reason());
        accepted += static_cast<std::size_t>(answer.ack().accepted_size());
        --inFlight;
    }
    if (accepted != ops.size())
        fail("the server accepted " + std::to_string(accepted) + " of " + std::to_string(ops.size()) + " operations");
}

// What the PouchDB peer measured, or nothing when it could not run.
struct PeerFigures {
    double ingestOne = 0;   // docs/s from one client
    double ingestMany = 0;  // docs/s from --devices clients at once
    double downloadSeconds = 0;
    double clientKiB = 0;
    double serverKiB = 0;
};

// A number field of the peer's one-line JSON objects.
double jsonNumber(const std::string &line, std::string_view field)
{
    const std::string key = "\"" + std::string(field) + "\":";
    const auto at = line.find(key);
    if (at == std::string::npos)
        fail("the PouchDB peer printed no " + std::string(field) + ": " + line);
    return std::stod(line.substr(at + key.size()));
}

struct StoreFigures {
    std::string store;
    double ingestOne = 0;
    double ingestMany = 0;
    double downloadSeconds = 0;
    double serverPeakKiB = 0;
};

class Bench {
public:
    Bench(Settings settings, std::string self) : m_settings(settings), m_self(std::move(self))
    {
        fs::create_directories(workDir);
    }

    StoreFigures embedded()
    {
        const fs::path dir = workDir / "embedded";
        fs::remove_all(dir);
        fs::create_directories(dir);
        return measure("embedded", dir.string());
    }

    StoreFigures postgresql()
    {
        const fs::path dir = workDir / "postgresql";
        const std::string script = quoted((sourceDir / "deploy" / "pg-test-server").string());
        const std::string server
            = capture(script + " start " + quoted(dir.string()) + " " + std::to_string(freeLoopbackPort()));
        // A fresh schema each run: the figures are of a log that starts empty.
        const auto admin = storage::openPostgresDatabase({server, 1, 5});
        if (!admin.ok())
            fail(admin.error().message);
        for (const std::string statement : {"DROP SCHEMA IF EXISTS sync_bench CASCADE", "CREATE SCHEMA sync_bench"}) {
            if (auto done = (*admin)->execute(statement, {}); !done.ok())
                fail(done.error().message);
        }
        StoreFigures figures = measure("postgresql", server + " options='-c search_path=sync_bench'");
        capture(script + " stop " + quoted(dir.string()));
        return figures;
    }

    // The same documents through PouchDB; nothing when node or its modules are missing
    // in a smoke run (a full run fails instead: the comparison is part of its answer).
    std::optional<PeerFigures> pouchdb()
    {
        const fs::path peerDir = sourceDir / "tests" / "bench" / "pouchdb";
        if (!fs::exists(peerDir / "node_modules" / "pouchdb") || std::system("node --version >/dev/null 2>&1") != 0) {
            const std::string why = "the PouchDB peer is not installed (node and " + (peerDir / "node_modules").string()
                + "; deploy/install-deps --bench-peers installs them)";
            if (!m_settings.smoke)
                fail(why);
            std::fprintf(stderr, "# %s: no side-by-side figures\n", why.c_str());
            return std::nullopt;
        }
        const fs::path docs = workDir / "pouchdb-docs.jsonl";
        {
            std::ofstream out(docs, std::ios::binary | std::ios::trunc);
            for (const std::string &document : m_documents)
                out << document << '\n';
            if (!out)
                fail("cannot write " + docs.string());
        }
        std::fprintf(stderr, "# pouchdb: the same %zu documents\n", m_documents.size());
        const std::string output = capture("node " + quoted((peerDir / "peer.js").string()) + " --docs "
                                           + quoted(docs.string()) + " --devices " + std::to_string(m_settings.devices)
                                           + " --dir " + quoted((workDir / "pouchdb").string()));
        PeerFigures figures;
        std::istringstream lines(output);
        for (std::string line; std::getline(lines, line);) {
            if (line.find("\"run\":\"ingest1\"") != std::string::npos)
                figures.ingestOne = jsonNumber(line, "docs") / jsonNumber(line, "seconds");
            else if (line.find("\"run\":\"download\"") != std::string::npos)
                figures.downloadSeconds = jsonNumber(line, "seconds");
            else if (line.find("\"run\":\"memory\"") != std::string::npos) {
                figures.clientKiB = jsonNumber(line, "client_kib");
                figures.serverKiB = jsonNumber(line, "server_kib");
            } else if (line.find("\"run\":\"ingest") != std::string::npos)
                figures.ingestMany = jsonNumber(line, "docs") / jsonNumber(line, "seconds");
        }
        if (figures.ingestOne <= 0 || figures.ingestMany <= 0 || figures.downloadSeconds <= 0 || figures.serverKiB <= 0)
            fail("the PouchDB peer did not report every figure: " + output);
        return figures;
    }

    std::size_t records() const { return m_settings.cases * recordsPerCase; }

private:
    static constexpr std::size_t recordsPerCase = 10;

    StoreFigures measure(const std::string &store, const std::string &location)
    {
        StoreFigures figures;
        figures.store = store;
        std::fprintf(stderr, "# %s: starting the server and enrolling %zu devices\n", store.c_str(),
                     m_settings.devices + 7);
        ServerProcess server(m_self, store, location, m_settings.devices);
        idleConnections(store, server);
        figures.ingestOne = ingestOne(store, server);
        figures.downloadSeconds = download(store, server);
        figures.ingestMany = ingestMany(store, server);
        latency(store, server);
        figures.serverPeakKiB = static_cast<double>(server.peakKiB());
        if (const int status = server.stop(); status != 0)
            fail("the " + store + " server process exited with " + std::to_string(status));
        return figures;
    }

    // Welcomed connections that then say nothing, opened one after the other until
    // --idle are open or one fails; then the server's memory grown per connection held.
    void idleConnections(const std::string &store, const ServerProcess &server)
    {
        const Device device = server.devices("idle").front();
        asio::io_context io;
        const long before = server.rssKiB();
        std::vector<std::unique_ptr<SyncConnection>> held;
        std::string stoppedBy;
        const auto start = Clock::now();
        for (int i = 0; i < m_settings.idle; ++i) {
            auto connection = std::make_unique<SyncConnection>(io, server.port());
            if (connection->error()) {
                stoppedBy = connection->error().message();
                break;
            }
            connection->hello(device);
            held.push_back(std::move(connection));
        }
        const double openSeconds = secondsSince(start);
        // Still serving others while it holds them.
        SyncConnection probe(io, server.port());
        const bool serving = !probe.error() && probe.hello(device).scope().presidio() == presidioCode(0);
        const long after = server.rssKiB();
        if (!stoppedBy.empty())
            std::fprintf(stderr, "# %s: idle connections stopped at %zu: %s\n", store.c_str(), held.size(),
                         stoppedBy.c_str());
        emit("sync.idle.held." + store, static_cast<double>(held.size()), "connections");
        emit("sync.idle.open_rate." + store, static_cast<double>(held.size()) / openSeconds, "connections/s");
        emit("sync.idle.rss_per_connection." + store,
             held.empty() ? 0.0 : static_cast<double>(after - before) / static_cast<double>(held.size()), "KiB");
        emit("sync.idle.serving." + store, serving ? 1 : 0, "bool");
    }

    // The server's and this process's CPU per operation pushed, in microseconds: steady
    // on a machine other work keeps busy, unlike the ops/s beside them.
    void emitIngestCpu(const std::string &name, const ServerProcess &server, double serverCpuBefore,
                       double clientCpuBefore, std::size_t ops)
    {
        const double perOp = 1e6 / static_cast<double>(std::max<std::size_t>(ops, 1));
        emit("sync.ingest.server_cpu." + name, (server.cpuSeconds() - serverCpuBefore) * perOp, "us/op");
        emit("sync.ingest.client_cpu." + name, (selfCpuSeconds() - clientCpuBefore) * perOp, "us/op");
    }

    // The caseload from one tablet; ops/s.
    double ingestOne(const std::string &store, const ServerProcess &server)
    {
        asio::io_context io;
        const Device device = server.devices("caseload").front();
        SyncConnection connection(io, server.port());
        const v1::Welcome welcome = connection.hello(device);
        CaseloadMaker maker(1);
        m_documents.clear();
        const std::vector<v1::Operation> ops = maker.make(
            device.id, welcome.scope().presidio(), welcome.scope().operator_id(), m_settings.cases, &m_documents);
        const double serverCpu = server.cpuSeconds();
        const double clientCpu = selfCpuSeconds();
        const auto start = Clock::now();
        pushAll(connection, welcome, ops);
        const double seconds = secondsSince(start);
        emitIngestCpu(store + ".1dev", server, serverCpu, clientCpu, ops.size());
        return static_cast<double>(ops.size()) / seconds;
    }

    // The fleet's tablets at once, each its share of as many records; ops/s.
    double ingestMany(const std::string &store, const ServerProcess &server)
    {
        const std::vector<Device> fleet = server.devices("fleet");
        const std::size_t casesEach = std::max<std::size_t>(m_settings.cases / fleet.size(), 1);
        std::vector<std::vector<v1::Operation>> work(fleet.size());
        std::vector<std::unique_ptr<asio::io_context>> contexts;
        std::vector<std::unique_ptr<SyncConnection>> connections;
        std::vector<v1::Welcome> welcomes;
        std::size_t total = 0;
        for (std::size_t i = 0; i < fleet.size(); ++i) {
            contexts.push_back(std::make_unique<asio::io_context>());
            connections.push_back(std::make_unique<SyncConnection>(*contexts.back(), server.port()));
            welcomes.push_back(connections.back()->hello(fleet[i]));
            CaseloadMaker maker(100 + i);
            work[i] = maker.make(fleet[i].id, welcomes[i].scope().presidio(), welcomes[i].scope().operator_id(),
                                 casesEach);
            total += work[i].size();
        }
        std::vector<std::thread> devices;
        const double serverCpu = server.cpuSeconds();
        const double clientCpu = selfCpuSeconds();
        const auto start = Clock::now();
        for (std::size_t i = 0; i < fleet.size(); ++i)
            devices.emplace_back([&, i] { pushAll(*connections[i], welcomes[i], work[i]); });
        for (std::thread &device : devices)
            device.join();
        const double seconds = secondsSince(start);
        emitIngestCpu(store + "." + std::to_string(fleet.size()) + "dev", server, serverCpu, clientCpu, total);
        return static_cast<double>(total) / seconds;
    }

    // A second tablet of the caseload's coordinator, on a fresh encrypted replica: every
    // record it may read, through SyncClient and SyncDriver as the tablet app syncs (the
    // store thread is this one, the client's I/O thread its own); seconds from the
    // client's start to the last frame applied. The client's CPU is this process's: the
    // bench's other connections are closed by then.
    double download(const std::string &store, const ServerProcess &server)
    {
        const Device device = server.devices("download").front();
        const fs::path file = workDir / (store + "-tablet.db");
        fs::remove(file);
        fs::remove(file.string() + "-wal");
        fs::remove(file.string() + "-shm");
        Result<store::Database> database = store::Database::open(file.string(), store::RawKey::random(),
                                                                 store::OpenMode::CreateIfMissing);
        if (!database.ok())
            fail("cannot open the tablet's store: " + database.error().message);
        core::SystemClock clock;
        core::HybridLogicalClock hlc(clock);
        core::UuidV7Generator ids(clock);
        Result<sync::Replica> replica = sync::Replica::open(*database, device.id, hlc, ids);
        if (!replica.ok())
            fail("cannot open the tablet's replica: " + replica.error().message);

        sync::SyncClientOptions options;
        options.url = "ws://127.0.0.1:" + std::to_string(server.port()) + "/v1/sync";
        options.hello.set_protocol_version(1);
        options.hello.set_device_id(device.id);
        options.hello.set_device_credential(device.credential);
        options.hello.set_operator_session(device.session);
        sync::SyncClient client(options);

        // The store thread: what the driver posts runs here, timed, until the last frame.
        asio::io_context storeIo;
        auto work = asio::make_work_guard(storeIo);
        double busy = 0;
        std::size_t received = 0;
        bool finished = false;
        sync::SyncDriverHandlers handlers;
        handlers.applied = [&](const v1::Changes &changes) {
            received += static_cast<std::size_t>(changes.ops_size());
            finished = finished || !changes.more();
        };
        handlers.statusChanged = [](const sync::SyncStatus &status) {
            if (status.lastError)
                fail("the tablet's sync failed: " + status.lastError->message);
        };
        double storeCpu = 0;
        const auto post = [&storeIo, &busy, &storeCpu](std::function<void()> task) {
            asio::post(storeIo, [&busy, &storeCpu, task = std::move(task)] {
                const auto began = Clock::now();
                const double cpuBefore = threadCpuSeconds();
                task();
                storeCpu += threadCpuSeconds() - cpuBefore;
                busy += secondsSince(began);
            });
        };
        sync::SyncDriver driver(client, *replica, post, clock, handlers, sync::SyncDriver::Options {});
        driver.start();
        const double serverCpu = server.cpuSeconds();
        const double clientCpu = selfCpuSeconds();
        const auto start = Clock::now();
        if (Status started = client.start(); !started.ok())
            fail("the tablet's sync client did not start: " + started.error().message);
        const auto deadline = start + 10min;
        while (!finished) {
            if (storeIo.run_one_until(deadline) == 0)
                fail("the tablet's download did not finish within 10 minutes");
        }
        const double seconds = secondsSince(start);
        const double serverCpuUsed = server.cpuSeconds() - serverCpu;
        const double clientCpuUsed = selfCpuSeconds() - clientCpu;
        const double storeCpuToLastFrame = storeCpu;
        const double busyToLastFrame = busy;
        // What the driver queued behind the last frame: the copy of the download's WAL
        // into the main file, which its frames' commits left to the end.
        const auto afterLast = Clock::now();
        storeIo.poll();
        const double afterLastSeconds = secondsSince(afterLast);
        client.stop();
        if (received != records())
            fail("the tablet received " + std::to_string(received) + " of " + std::to_string(records()) + " records");
        emit("sync.download.records." + store, static_cast<double>(received), "records");
        emit("sync.download.server_wait." + store, seconds - busyToLastFrame, "s");
        emit("sync.download.server_cpu." + store, serverCpuUsed, "s");
        emit("sync.download.client_cpu." + store, clientCpuUsed, "s");
        emit("sync.download.store_cpu." + store, storeCpuToLastFrame, "s");
        emit("sync.download.checkpoint_after." + store, afterLastSeconds, "s");
        emit("sync.download.checkpoint_after_cpu." + store, storeCpu - storeCpuToLastFrame, "s");
        return seconds;
    }

    // Kiosks create tickets at --rate per second; a kiosk of the same presidio times
    // each from its Push leaving to the first Notify at or past its place in the log.
    void latency(const std::string &store, const ServerProcess &server)
    {
        asio::io_context listenerIo;
        SyncConnection listener(listenerIo, server.port());
        listener.hello(server.devices("listener").front());
        const std::int64_t base = cursorSequence(listener.pullToEnd());

        const std::vector<Device> writers = server.devices("writer");
        const std::size_t perWriter
            = static_cast<std::size_t>(m_settings.rate * m_settings.seconds) / writers.size();
        const auto interval = std::chrono::duration_cast<Clock::duration>(
            std::chrono::duration<double>(static_cast<double>(writers.size()) / m_settings.rate));
        std::map<std::string, Clock::time_point> sentAt;  // by op id
        std::vector<double> ackMs;  // each Push to its Ack, as the writer waits
        std::mutex sentMutex;
        std::vector<std::pair<std::int64_t, Clock::time_point>> notified;
        // Every ticket is accepted (the writers check), so the log ends there.
        const std::int64_t last = base + static_cast<std::int64_t>(perWriter * writers.size());

        std::thread listening([&] {
            while (notified.empty() || notified.back().first < last) {
                Result<v1::Envelope> frame = listener.receive();
                if (!frame.ok())
                    fail("the listener heard no Notify: " + frame.error().message);
                if (frame->has_notify())
                    notified.emplace_back(cursorSequence(frame->notify().latest_cursor()), Clock::now());
            }
        });
        std::vector<std::thread> writing;
        const auto start = Clock::now() + 100ms;
        for (std::size_t w = 0; w < writers.size(); ++w) {
            writing.emplace_back([&, w] {
                asio::io_context io;
                SyncConnection connection(io, server.port());
                const Device &kiosk = writers[w];
                const v1::Welcome welcome = connection.hello(kiosk);
                core::SystemClock clock;
                core::HybridLogicalClock hlc(clock);
                core::UuidV7Generator ids(clock);
                // The writers take turns within each interval, so the rate is even.
                auto next = start + interval * static_cast<long>(w) / static_cast<long>(writers.size());
                for (std::size_t i = 0; i < perWriter; ++i, next += interval) {
                    std::this_thread::sleep_until(next);
                    v1::Ticket ticket;
                    ticket.mutable_meta()->set_presidio(welcome.scope().presidio());
                    // Numbers are unique per presidio and day: a letter per writer.
                    char number[32];
                    std::snprintf(number, sizeof number, "%c-%05zu", static_cast<char>('K' + w), i);
                    ticket.set_number(number);
                    ticket.set_state(v1::TICKET_STATE_WAITING);
                    v1::Envelope frame;
                    v1::Operation *op = frame.mutable_push()->add_ops();
                    op->set_op_id(ids.next().toString());
                    *op->mutable_hlc() = hlc.now().toProto();
                    op->set_device(kiosk.id);
                    op->set_entity_type(v1::ENTITY_TYPE_TICKET);
                    op->set_entity_id(ids.next().toString());
                    op->set_kind(v1::OP_KIND_CREATE);
                    op->add_fields(2);
                    op->add_fields(4);
                    op->set_patch(ticket.SerializeAsString());
                    frame.mutable_push()->set_batch_id(i + 1);
                    const std::string opId = op->op_id();
                    const auto sent = Clock::now();
                    {
                        const std::lock_guard lock(sentMutex);
                        sentAt[opId] = sent;
                    }
                    connection.send(std::move(frame));
                    const v1::Envelope answer = connection.reply();
                    if (!answer.has_ack() || answer.ack().accepted_size() != 1)
                        fail("a ticket was not accepted: " + answer.ShortDebugString());
                    const std::chrono::duration<double, std::milli> acked = Clock::now() - sent;
                    const std::lock_guard lock(sentMutex);
                    ackMs.push_back(acked.count());
                }
            });
        }
        for (std::thread &writer : writing)
            writer.join();
        const double seconds = secondsSince(start);
        listening.join();

        // The log holds nothing but the tickets after `base`, in commit order: the
        // listener's pull gives each its place.
        std::vector<double> ms;
        std::string cursor = std::to_string(base);
        std::int64_t place = base;
        for (bool more = true; more;) {
            v1::Changes changes = listener.pull(cursor);
            for (const v1::Operation &operation : changes.ops()) {
                ++place;
                const auto sent = sentAt.find(operation.op_id());
                if (sent == sentAt.end())
                    fail("the log holds an operation the latency run did not push");
                const auto heard = std::find_if(notified.begin(), notified.end(),
                                                [&](const auto &notify) { return notify.first >= place; });
                if (heard == notified.end())
                    fail("no Notify covered log position " + std::to_string(place));
                ms.push_back(std::chrono::duration<double, std::milli>(heard->second - sent->second).count());
            }
            cursor = changes.next_cursor();
            more = changes.more();
        }
        if (ms.size() != sentAt.size() || cursorSequence(cursor) != place)
            fail("the listener read " + std::to_string(ms.size()) + " of " + std::to_string(sentAt.size())
                 + " tickets, or the log has gaps");
        emit("sync.push_latency.rate." + store, static_cast<double>(ms.size()) / seconds, "changes/s");
        emit("sync.push_latency.p50." + store, percentile(ms, 0.50), "ms");
        emit("sync.push_latency.p99." + store, percentile(ms, 0.99), "ms");
        emit("sync.push_ack.p50." + store, percentile(ackMs, 0.50), "ms");
        emit("sync.push_ack.p99." + store, percentile(ackMs, 0.99), "ms");
    }

    Settings m_settings;
    std::string m_self;
    std::vector<std::string> m_documents;  // the single tablet's caseload, for PouchDB
};

} // namespace

int main(int argc, char **argv)
{
    // A peer closing a connection under us must not kill either process.
    ::signal(SIGPIPE, SIG_IGN);
    if (argc == 5 && std::string_view(argv[1]) == "--serve") {
        const std::optional<int> fleet = positiveNumber(argv[4]);
        if (!fleet)
            fail("--serve needs a fleet size");
        return serveMain(argv[2], argv[3], static_cast<std::size_t>(*fleet));
    }

    const std::optional<Arguments> arguments
        = Arguments::parse(argc, argv, {"--cases", "--devices", "--rate", "--seconds", "--idle"},
                           "sync_bench [--smoke] [--cases N] [--devices N] [--rate N] [--seconds S] [--idle N] "
                           "[--embedded] [--postgresql] [--no-peer]",
                           {"--embedded", "--postgresql", "--no-peer"});
    if (!arguments)
        return 2;
    Settings settings;
    settings.smoke = arguments->smoke();
    settings.cases = arguments->valueOr("--cases", settings.cases, std::size_t {50});
    settings.devices = arguments->valueOr("--devices", settings.devices, std::size_t {4});
    settings.rate = arguments->valueOr("--rate", settings.rate, 200);
    settings.seconds = arguments->valueOr("--seconds", settings.seconds, 1);
    settings.idle = arguments->valueOr("--idle", settings.idle, 50);

    raiseDescriptorLimit();
    std::string self = fs::canonical("/proc/self/exe").string();
    Bench bench(settings, self);
    const bool everyStore = !arguments->has("--embedded") && !arguments->has("--postgresql");
    std::vector<StoreFigures> stores;
    if (everyStore || arguments->has("--embedded"))
        stores.push_back(bench.embedded());
    if (everyStore || arguments->has("--postgresql"))
        stores.push_back(bench.postgresql());
    const std::optional<PeerFigures> peer = arguments->has("--no-peer") ? std::nullopt : bench.pouchdb();
    rusage usage {};
    ::getrusage(RUSAGE_SELF, &usage);
    const std::string fleet = std::to_string(settings.devices) + "dev";
    for (const StoreFigures &figures : stores) {
        const std::string &store = figures.store;
        if (!peer) {
            emit("sync.ingest." + store + ".1dev", figures.ingestOne, "ops/s");
            emit("sync.ingest." + store + "." + fleet, figures.ingestMany, "ops/s");
            emit("sync.download." + store, figures.downloadSeconds, "s");
            emit("sync.memory.server_peak." + store, figures.serverPeakKiB, "KiB");
            continue;
        }
        emitCompared("sync.ingest." + store + ".1dev", figures.ingestOne, "ops/s", "pouchdb", peer->ingestOne,
                     Better::Higher);
        emitCompared("sync.ingest." + store + "." + fleet, figures.ingestMany, "ops/s", "pouchdb", peer->ingestMany,
                     Better::Higher);
        emitCompared("sync.download." + store, figures.downloadSeconds, "s", "pouchdb", peer->downloadSeconds,
                     Better::Lower);
        emitCompared("sync.memory.server_peak." + store, figures.serverPeakKiB, "KiB", "pouchdb", peer->serverKiB,
                     Better::Lower);
    }
    // This process held every device of both runs, the tablet's replica included.
    const auto clientKiB = static_cast<double>(usage.ru_maxrss);
    if (peer)
        emitCompared("sync.memory.client_peak", clientKiB, "KiB", "pouchdb", peer->clientKiB, Better::Lower);
    else
        emit("sync.memory.client_peak", clientKiB, "KiB");
    return 0;
}
