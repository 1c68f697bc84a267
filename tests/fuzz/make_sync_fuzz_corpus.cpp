// Writes the seed corpus of fuzz_sync_session (tests/fuzz/corpus/sync_session/): one
// file per situation the issue names (valid Hello, Push, Pull; truncated, oversized,
// out-of-order, replayed and foreign frames), in the layout of sync_fuzz_input.h.
// Run by hand when the layout or the frames change; the files are kept in the repo.
//   make_sync_fuzz_corpus <directory>
#include "fuzz/sync_fuzz_frames.h"
#include "fuzz/sync_fuzz_input.h"
#include "sync/frame_codec.h"

#include <cstdio>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

namespace {

using namespace sigess;
using fuzz::placeholders::kiosk;
using fuzz::placeholders::tablet;

// Openings of the harness (fuzz_sync_session.cpp): none, kiosk welcomed, tablet welcomed.
constexpr std::uint8_t fromStart = 0;
constexpr std::uint8_t asKiosk = 1;
constexpr std::uint8_t asTablet = 2;

std::string encoded(const v1::Envelope &frame)
{
    return sync::encodeFrame(frame);
}

std::vector<std::pair<std::string, std::string>> seeds()
{
    const std::string kioskPush
        = encoded(fuzz::pushFrame(2, 7, {fuzz::ticketOperation(10, kiosk, 10, v1::OP_KIND_CREATE, v1::TICKET_STATE_WAITING),
                                         fuzz::ticketOperation(11, kiosk, 11, v1::OP_KIND_CREATE, v1::TICKET_STATE_WAITING)}));
    const std::string tabletPush
        = encoded(fuzz::pushFrame(2, 8, {fuzz::ticketOperation(20, tablet, 20, v1::OP_KIND_CREATE, v1::TICKET_STATE_WAITING),
                                          fuzz::ticketOperation(21, tablet, 20, v1::OP_KIND_UPDATE, v1::TICKET_STATE_CALLED),
                                          fuzz::ticketOperation(22, tablet, 20, v1::OP_KIND_UPDATE, v1::TICKET_STATE_SERVED)}));
    v1::Envelope serverFrame;
    serverFrame.set_sequence(3);
    serverFrame.mutable_ack()->set_batch_id(7);
    serverFrame.mutable_ack()->add_accepted(fuzz::fuzzUuid(10));
    // An Ack as a server of the start cursor sends it (the start of its log's epoch).
    v1::Envelope ackWithStart = serverFrame;
    ackWithStart.set_sequence(4);
    ackWithStart.mutable_ack()->set_start_cursor("0123456789abcdef0123456789abcdef:0");
    v1::Envelope strangerOp = fuzz::pushFrame(4, 9, {fuzz::ticketOperation(30, tablet, 30, v1::OP_KIND_CREATE,
                                                                            v1::TICKET_STATE_WAITING)});
    // A reset is the server's to send (a Pull from a cursor of another history of its
    // log): from a device it is one more frame refused.
    v1::Envelope resetFrame;
    resetFrame.set_sequence(5);
    resetFrame.mutable_changes()->set_reset(true);
    resetFrame.mutable_changes()->set_next_cursor("0123456789abcdef0123456789abcdef:0");
    std::string oversized = kioskPush;
    oversized.resize(17 * 1024, '\x01');
    return {
        {"hello_kiosk", fuzz::writeInput(fromStart, {encoded(fuzz::helloFrame(1, kiosk, false))})},
        {"hello_tablet", fuzz::writeInput(fromStart, {encoded(fuzz::helloFrame(1, tablet, true))})},
        {"hello_tablet_without_session", fuzz::writeInput(fromStart, {encoded(fuzz::helloFrame(1, tablet, false))})},
        {"push_kiosk", fuzz::writeInput(asKiosk, {kioskPush, encoded(fuzz::pullFrame(3, "", 0))})},
        {"push_tablet", fuzz::writeInput(asTablet, {tabletPush, encoded(fuzz::pullFrame(3, "", 2)),
                                                    encoded(fuzz::pullFrame(4, "2", 2))})},
        {"pull_cursors", fuzz::writeInput(asTablet, {encoded(fuzz::pullFrame(2, "", 0)), encoded(fuzz::pullFrame(3, "1", 1)),
                                                     encoded(fuzz::pullFrame(4, "-1", 1)),
                                                     encoded(fuzz::pullFrame(5, "99999999999999999999", 1))})},
        {"pull_epoch_cursors",
            fuzz::writeInput(asTablet, {tabletPush, encoded(fuzz::pullFrame(3, "0123456789abcdef0123456789abcdef:1", 1)),
                                        encoded(fuzz::pullFrame(4, "9", 1)), encoded(fuzz::pullFrame(5, "abc:", 1)),
                                        encoded(fuzz::pullFrame(6, ":2", 1)), encoded(fuzz::pullFrame(7, "A:1", 1))})},
        {"reset_changes_from_device", fuzz::writeInput(asKiosk, {encoded(resetFrame), kioskPush})},
        {"replayed_push", fuzz::writeInput(asKiosk, {kioskPush, kioskPush, kioskPush})},
        {"out_of_order", fuzz::writeInput(fromStart, {encoded(fuzz::pullFrame(1, "", 0)), kioskPush,
                                                      encoded(fuzz::helloFrame(3, kiosk, false)),
                                                      encoded(fuzz::helloFrame(4, kiosk, false)), kioskPush})},
        {"server_frame_from_device", fuzz::writeInput(asKiosk, {encoded(serverFrame)})},
        {"ack_with_start_cursor_from_device",
            fuzz::writeInput(asKiosk, {kioskPush, encoded(ackWithStart),
                                       encoded(fuzz::pullFrame(5, "0123456789abcdef0123456789abcdef:0", 0))})},
        {"op_of_another_device", fuzz::writeInput(asKiosk, {encoded(strangerOp)})},
        {"truncated", fuzz::writeInput(asKiosk, {kioskPush.substr(0, kioskPush.size() / 2), kioskPush})},
        {"oversized", fuzz::writeInput(asKiosk, {oversized, kioskPush})},
        {"empty_and_garbage", fuzz::writeInput(asKiosk, {std::string(), std::string("\xff\xff\xff\xff\xff\xff", 6)})},
    };
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: make_sync_fuzz_corpus <directory>\n");
        return 2;
    }
    for (const auto &[name, bytes] : seeds()) {
        const std::string path = std::string(argv[1]) + "/" + name;
        std::ofstream file(path, std::ios::binary | std::ios::trunc);
        file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        if (!file) {
            std::fprintf(stderr, "make_sync_fuzz_corpus: cannot write %s\n", path.c_str());
            return 1;
        }
    }
    return 0;
}
