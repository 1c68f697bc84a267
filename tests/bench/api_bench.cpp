// api_bench: the backend's JSON API as its clients see it. The real programs run:
// sigessctl seeds a city and adds the bench's coordinator, sigess-backend serves it over
// TLS (a CA made by deploy/make-demo-tls), and clients of ours (Beast, keep-alive, one
// thread per connection) measure requests per second and p50/p99 latency of login,
// citizen search and case read, on the embedded store and on PostgreSQL (a server of
// its own, started with deploy/pg-test-server: fsync off, so its writes are cheaper than
// a production server's). Before the loads, as many idle TLS connections as the server
// holds (up to --idle), and its resident memory per connection.
//
// Seeding 200,000 citizens takes minutes, so seeded stores are kept under the build
// directory (api-bench-cache/), keyed by the number of citizens, and reused by the next
// run; a store whose seeding did not finish is seeded again.
//
// One JSON line per figure on stdout: {"name":"api.<what>.<store>","value","unit"}.
//   api_bench [--smoke] [--citizens N] [--seconds S] [--connections C] [--idle N]
//   (--smoke: 500 citizens, one second per load, figures meaningless; for CI)
#include "bench/bench_support.h"
#include "https_client.h"
#include "storage/embedded_database.h"
#include "storage/postgres_database.h"
#include "support/free_port.h"

#include <boost/asio/io_context.hpp>
#include <boost/beast/http/verb.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

using namespace sigess;
using sigess::testing::HttpsClient;
using sigess::testing::HttpsReply;
using sigess::testing::freeLoopbackPort;
using namespace sigess::bench;
namespace fs = std::filesystem;
namespace http = boost::beast::http;
using Clock = std::chrono::steady_clock;

namespace {

const fs::path sourceDir = SIGESS_SOURCE_DIR;
const fs::path cacheDir = SIGESS_BENCH_CACHE_DIR;
const std::string backendBinary = SIGESS_BACKEND_BINARY;
const std::string ctlBinary = SIGESS_CTL_BINARY;
constexpr std::string_view presidio = "P-M01-01";
constexpr std::string_view username = "bench.coordinator";
constexpr std::string_view password = "api bench password";
// Name prefixes for the searches, common in the seeded city and spread over the alphabet.
constexpr std::string_view searchPrefixes[] = {"ro", "bi", "co", "ma", "ri", "fe", "es", "gr", "ru", "ga",
                                               "de", "sa", "mo", "pa", "li", "ca", "ba", "ve", "fa", "ne"};

struct Settings {
    bool smoke = false;
    std::size_t citizens = 200'000;
    int seconds = 10;
    int connections = 16;
    int idle = 10'000;
};

void writeFile(const fs::path &file, const std::string &text)
{
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out)
        fail("cannot write " + file.string());
}

std::string readFile(const fs::path &file)
{
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// The value of a top-level string field in a JSON object: enough for a token or an id,
// without a JSON library in the benchmark.
std::string jsonString(const std::string &json, std::string_view field)
{
    const std::string key = "\"" + std::string(field) + "\":\"";
    const auto start = json.find(key);
    if (start == std::string::npos)
        return {};
    const auto from = start + key.size();
    return json.substr(from, json.find('"', from) - from);
}

// sigess-backend as a child process, its log in a file.
class BackendProcess {
public:
    BackendProcess(const fs::path &config, const fs::path &log)
    {
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
        std::string configText = config.string();
        std::string flag = "--config";
        std::string binary = backendBinary;
        char *argv[] = {binary.data(), flag.data(), configText.data(), nullptr};
        const int spawned = posix_spawn(&m_pid, binary.c_str(), &actions, nullptr, argv, environ);
        posix_spawn_file_actions_destroy(&actions);
        if (spawned != 0)
            fail("cannot start " + backendBinary);
    }

    ~BackendProcess() { stop(); }

    // SIGTERM and the drain; the exit status.
    int stop()
    {
        if (m_pid <= 0)
            return m_status;
        ::kill(m_pid, SIGTERM);
        int status = 0;
        ::waitpid(m_pid, &status, 0);
        m_pid = -1;
        m_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        return m_status;
    }

    bool running() const { return m_pid > 0 && ::waitpid(m_pid, nullptr, WNOHANG) == 0; }

    long rssKiB() const { return procStatusKiB(m_pid, "VmRSS"); }

private:
    pid_t m_pid = -1;
    int m_status = -1;
};

struct Latencies {
    std::vector<double> ms;  // of the answered requests
    std::size_t errors = 0;  // transport errors and non-2xx answers
    std::map<int, std::size_t> errorStatuses;  // 0 for a transport error
    std::map<int, std::string> firstError;     // the first body or transport error of each
    double seconds = 0;
};

// One request of a load.
using Work = std::function<HttpsReply(HttpsClient &client, std::size_t worker, std::size_t iteration)>;

class Bench {
public:
    explicit Bench(Settings settings) : m_settings(settings)
    {
        fs::create_directories(cacheDir);
        run(quoted((sourceDir / "deploy" / "make-demo-tls").string()) + " " + quoted((cacheDir / "tls").string()));
        run(quoted(ctlBinary) + " catalog build --source " + quoted((sourceDir / "deploy" / "catalog").string())
            + " --out " + quoted(catalogFile().string()));
        writeFile(cacheDir / "cursor.key", std::string(64, 'b') + "\n");
        m_tls.emplace(testing::makeClientTls((cacheDir / "tls" / "ca.crt").string()));
    }

    void embedded()
    {
        const fs::path dir = cacheDir / ("embedded-" + std::to_string(m_settings.citizens));
        const fs::path marker = dir / "seeded";
        std::string storage = "kind = embedded\npath = " + (dir / "backend.db").string()
            + "\nkey_file = " + (dir / "store.key").string() + "\n";
        if (!fs::exists(marker)) {
            fs::remove_all(dir);
            fs::create_directories(dir);
            storage::EmbeddedStoreConfig key;
            key.keyFile = (dir / "store.key").string();
            if (Status made = storage::createKeyFile(key, storage::KeyFileFormat::RawHex); !made.ok())
                fail(made.error().message);
        }
        measure("embedded", dir, storage, marker);
    }

    void postgresql()
    {
        const fs::path dir = cacheDir / "postgresql";
        const std::string script = quoted((sourceDir / "deploy" / "pg-test-server").string());
        const std::string server
            = capture(script + " start " + quoted(dir.string()) + " " + std::to_string(freeLoopbackPort()));
        const std::string schema = "bench_" + std::to_string(m_settings.citizens);
        const fs::path marker = dir / ("seeded-" + std::to_string(m_settings.citizens));
        if (!fs::exists(marker)) {
            auto admin = storage::openPostgresDatabase({server, 1, 5});
            if (!admin.ok())
                fail(admin.error().message);
            for (const std::string &statement :
                 {"DROP SCHEMA IF EXISTS " + schema + " CASCADE", "CREATE SCHEMA " + schema}) {
                if (auto done = (*admin)->execute(statement, {}); !done.ok())
                    fail(done.error().message);
            }
        }
        measure("postgresql", dir, "kind = postgresql\nconninfo = " + server + " options='-c search_path=" + schema + "'\n",
                marker);
        run(script + " stop " + quoted(dir.string()));
    }

private:
    static fs::path catalogFile() { return cacheDir / "catalog.pb"; }

    void measure(const std::string &store, const fs::path &dir, const std::string &storage, const fs::path &marker)
    {
        const std::uint16_t port = freeLoopbackPort();
        const fs::path config = dir / "backend.conf";
        writeFile(config, "[listen]\naddress = 127.0.0.1\nport = " + std::to_string(port) + "\n"
                          "[tls]\ncertificate = " + (cacheDir / "tls" / "server.crt").string()
                          + "\nprivate_key = " + (cacheDir / "tls" / "server.key").string() + "\n"
                          // Every client of the bench comes from 127.0.0.1, and idle ones wait long.
                          "[limits]\nconnections_per_client = 20000\nconnections = 20000\n"
                          "[timeouts]\nidle = 10min\n"
                          // One log line per request would measure the log.
                          "[server]\nlog_level = warn\n"
                          "[storage]\n" + storage
                          + "[catalog]\nrelease = " + catalogFile().string() + "\n"
                          "[api]\ncursor_key_file = " + (cacheDir / "cursor.key").string() + "\n");
        const std::string withConfig = " --config " + quoted(config.string());
        if (!fs::exists(marker)) {
            std::fprintf(stderr, "# seeding %zu citizens into the %s store (cached for the next run)\n",
                         m_settings.citizens, store.c_str());
            run(quoted(ctlBinary) + " seed --force --seed 1 --password-stdin --citizens "
                    + std::to_string(m_settings.citizens) + withConfig,
                std::string(password) + "\n");
            run(quoted(ctlBinary) + " user add " + std::string(username) + " --role coordinator --presidio "
                    + std::string(presidio) + withConfig,
                std::string(password) + "\n");
            writeFile(marker, "seeded\n");
        }

        BackendProcess backend(config, dir / "backend.log");
        m_port = port;
        waitUntilServing(backend, dir / "backend.log");
        // First, while the server has served next to nothing: memory freed by the loads
        // would otherwise be reused by the idle connections and hide their cost.
        idleConnections(store, backend);
        const std::string token = login();
        const std::vector<std::string> cases = caseIds(token);

        const std::string loginBody = "{\"username\":\"" + std::string(username) + "\",\"password\":\""
            + std::string(password) + "\"}";
        report("login", store, load([&](HttpsClient &client, std::size_t, std::size_t) {
                   return client.request(http::verb::post, "/api/v1/login", loginBody);
               }));
        report("citizen_search", store, load([&](HttpsClient &client, std::size_t worker, std::size_t i) {
                   const std::string_view prefix = searchPrefixes[(worker * 7 + i) % std::size(searchPrefixes)];
                   return client.request(http::verb::get,
                                         "/api/v1/citizens?presidio=" + std::string(presidio)
                                             + "&q=" + std::string(prefix) + "&limit=20",
                                         {}, token);
               }));
        report("case_read", store, load([&](HttpsClient &client, std::size_t worker, std::size_t i) {
                   const std::string &id = cases[(worker * 7919 + i) % cases.size()];
                   return client.request(http::verb::get, "/api/v1/cases/" + id, {}, token);
               }));
        if (const int status = backend.stop(); status != 0)
            fail("sigess-backend exited with " + std::to_string(status) + "; see " + (dir / "backend.log").string());
    }

    void waitUntilServing(const BackendProcess &backend, const fs::path &log)
    {
        boost::asio::io_context io;
        const auto deadline = Clock::now() + std::chrono::seconds(120);
        while (Clock::now() < deadline) {
            if (!backend.running())
                fail("sigess-backend stopped: " + readFile(log));
            HttpsClient client(io, *m_tls, m_port, std::chrono::seconds(2));
            if (client.request(http::verb::get, "/healthz").status == 200)
                return;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        fail("sigess-backend did not answer /healthz: " + readFile(log));
    }

    std::string login()
    {
        boost::asio::io_context io;
        HttpsClient client(io, *m_tls, m_port);
        const HttpsReply reply = client.request(http::verb::post, "/api/v1/login",
                                                "{\"username\":\"" + std::string(username) + "\",\"password\":\""
                                                    + std::string(password) + "\"}");
        const std::string token = jsonString(reply.body, "token");
        if (reply.status != 200 || token.empty())
            fail("login failed: " + std::to_string(reply.status) + " " + reply.body);
        return token;
    }

    // The cases of the coordinator's presidio: one page, as many as a page holds.
    std::vector<std::string> caseIds(const std::string &token)
    {
        boost::asio::io_context io;
        HttpsClient client(io, *m_tls, m_port);
        const HttpsReply reply = client.request(
            http::verb::get, "/api/v1/cases?presidio=" + std::string(presidio) + "&limit=500", {}, token);
        if (reply.status != 200)
            fail("cannot list cases: " + std::to_string(reply.status) + " " + reply.body);
        // Protobuf's JSON printer writes fields in number order, and a case's meta (with
        // its id first) is field 1: each case starts with its own id.
        std::vector<std::string> ids;
        const std::string key = "\"meta\":{\"id\":\"";
        for (auto at = reply.body.find(key); at != std::string::npos; at = reply.body.find(key, at + 1)) {
            const auto from = at + key.size();
            ids.push_back(reply.body.substr(from, reply.body.find('"', from) - from));
        }
        if (ids.empty())
            fail("the seeded presidio " + std::string(presidio) + " has no cases");
        return ids;
    }

    Latencies load(const Work &work)
    {
        const auto duration = std::chrono::seconds(m_settings.seconds);
        std::vector<Latencies> perWorker(static_cast<std::size_t>(m_settings.connections));
        std::vector<std::thread> workers;
        const auto start = Clock::now();
        const auto end = start + duration;
        for (std::size_t w = 0; w < perWorker.size(); ++w) {
            workers.emplace_back([&, w] {
                boost::asio::io_context io;
                HttpsClient client(io, *m_tls, m_port, std::chrono::seconds(60));
                // The handshake stays out of the first request's latency; should it fail,
                // the first request connects again and counts the error.
                static_cast<void>(client.connect());
                Latencies &mine = perWorker[w];
                for (std::size_t i = 0; Clock::now() < end; ++i) {
                    const auto sent = Clock::now();
                    const HttpsReply reply = work(client, w, i);
                    const std::chrono::duration<double, std::milli> took = Clock::now() - sent;
                    if (reply.status >= 200 && reply.status < 300) {
                        mine.ms.push_back(took.count());
                        continue;
                    }
                    ++mine.errors;
                    ++mine.errorStatuses[reply.status];
                    mine.firstError.try_emplace(reply.status, reply.error ? reply.error.message() : reply.body);
                }
            });
        }
        for (std::thread &worker : workers)
            worker.join();
        Latencies all;
        all.seconds = std::chrono::duration<double>(Clock::now() - start).count();
        for (Latencies &one : perWorker) {
            all.ms.insert(all.ms.end(), one.ms.begin(), one.ms.end());
            all.errors += one.errors;
            for (const auto &[status, count] : one.errorStatuses)
                all.errorStatuses[status] += count;
            all.firstError.merge(one.firstError);
        }
        return all;
    }

    void report(const std::string &what, const std::string &store, Latencies latencies)
    {
        const std::string prefix = "api." + what + ".";
        emit(prefix + "rps." + store, static_cast<double>(latencies.ms.size()) / latencies.seconds, "req/s");
        emit(prefix + "p50." + store, percentile(latencies.ms, 0.50), "ms");
        emit(prefix + "p99." + store, percentile(latencies.ms, 0.99), "ms");
        emit(prefix + "errors." + store, static_cast<double>(latencies.errors), "requests");
        for (const auto &[status, count] : latencies.errorStatuses)
            std::fprintf(stderr, "# %s %s: %zu failed with %s, e.g. %s\n", what.c_str(), store.c_str(), count,
                         status == 0 ? "a transport error" : ("status " + std::to_string(status)).c_str(),
                         latencies.firstError[status].c_str());
    }

    // Opens TLS connections that send nothing, one after the other, until --idle are open
    // or one is refused; then the server's memory grown per connection held.
    void idleConnections(const std::string &store, const BackendProcess &backend)
    {
        boost::asio::io_context io;
        const long before = backend.rssKiB();
        std::vector<std::unique_ptr<HttpsClient>> held;
        std::string stoppedBy;
        const auto start = Clock::now();
        for (int i = 0; i < m_settings.idle; ++i) {
            auto client = std::make_unique<HttpsClient>(io, *m_tls, m_port);
            if (const auto error = client->connect()) {
                stoppedBy = error.message();
                break;
            }
            held.push_back(std::move(client));
        }
        const double openSeconds = std::chrono::duration<double>(Clock::now() - start).count();
        // The server is still serving others while it holds them.
        HttpsClient probe(io, *m_tls, m_port);
        const bool serving = probe.request(http::verb::get, "/healthz").status == 200;
        probe.close();
        const long after = backend.rssKiB();
        if (!stoppedBy.empty())
            std::fprintf(stderr, "# %s: idle connections stopped at %zu: %s\n", store.c_str(), held.size(),
                         stoppedBy.c_str());
        emit("api.idle.held." + store, static_cast<double>(held.size()), "connections");
        emit("api.idle.open_rate." + store, static_cast<double>(held.size()) / openSeconds, "connections/s");
        emit("api.idle.rss_per_connection." + store,
             held.empty() ? 0.0 : static_cast<double>(after - before) / static_cast<double>(held.size()), "KiB");
        emit("api.idle.serving." + store, serving ? 1 : 0, "bool");
        held.clear();
    }

    Settings m_settings;
    std::optional<boost::asio::ssl::context> m_tls;
    std::uint16_t m_port = 0;
};

} // namespace

int main(int argc, char **argv)
{
    const std::optional<Arguments> arguments
        = Arguments::parse(argc, argv, {"--citizens", "--seconds", "--connections", "--idle"},
                           "api_bench [--smoke] [--citizens N] [--seconds S] [--connections C] [--idle N]");
    if (!arguments)
        return 2;
    Settings settings;
    settings.smoke = arguments->smoke();
    settings.citizens = arguments->valueOr("--citizens", settings.citizens, std::size_t {500});
    settings.seconds = arguments->valueOr("--seconds", settings.seconds, 1);
    settings.connections = arguments->valueOr("--connections", settings.connections, 2);
    settings.idle = arguments->valueOr("--idle", settings.idle, 50);

    raiseDescriptorLimit();
    // A server that closes a connection under a client must not kill the bench.
    ::signal(SIGPIPE, SIG_IGN);
    Bench bench(settings);
    bench.embedded();
    bench.postgresql();
    return 0;
}
