#include "sync/frame_codec.h"

#include <QTest>

#include <string>
#include <string_view>
#include <vector>

using sigess::ErrorCode;
using sigess::sync::FrameLimits;
using sigess::sync::decodeFrame;
using sigess::sync::encodeFrame;

class TestFrameCodec : public QObject {
    Q_OBJECT

private:
    static sigess::v1::Envelope pushEnvelope(int ops)
    {
        sigess::v1::Envelope envelope;
        envelope.set_sequence(7);
        auto *push = envelope.mutable_push();
        push->set_batch_id(42);
        for (int i = 0; i < ops; ++i) {
            auto *op = push->add_ops();
            op->set_op_id("0190a8e0-0000-7000-8000-00000000000" + std::to_string(i % 10));
            op->set_entity_type(sigess::v1::ENTITY_TYPE_INTAKE);
            op->set_kind(sigess::v1::OP_KIND_CREATE);
            op->add_fields(7);
            op->set_patch(std::string(100, 'x'));
        }
        return envelope;
    }

private Q_SLOTS:
    void roundTrip()
    {
        const auto sent = pushEnvelope(3);
        auto received = decodeFrame(encodeFrame(sent));
        QVERIFY(received.ok());
        QCOMPARE(received->sequence(), 7u);
        QCOMPARE(sigess::sync::frameName(*received), std::string_view("push"));
        QCOMPARE(received->push().ops_size(), 3);
        QCOMPARE(received->push().ops(2).patch(), std::string(100, 'x'));
    }

    // A frame written from stored operation bytes is the very encoding of the Envelope
    // with those operations parsed into it, so a device decodes it as before.
    void changesFrameFromEncodedOperations_data()
    {
        QTest::addColumn<quint64>("sequence");
        QTest::addColumn<int>("ops");
        QTest::addColumn<int>("patchBytes");
        QTest::addColumn<bool>("more");
        QTest::addColumn<bool>("evicted");

        QTest::newRow("empty, first frame") << quint64(0) << 0 << 0 << false << false;
        QTest::newRow("one operation") << quint64(7) << 1 << 100 << false << false;
        QTest::newRow("several, more, evictions") << quint64(300) << 5 << 100 << true << true;
        QTest::newRow("patches of 200 KiB") << quint64(1) << 3 << 200 * 1024 << true << false;
        QTest::newRow("evictions alone") << quint64(1ull << 40) << 0 << 0 << false << true;
    }

    void changesFrameFromEncodedOperations()
    {
        QFETCH(quint64, sequence);
        QFETCH(int, ops);
        QFETCH(int, patchBytes);
        QFETCH(bool, more);
        QFETCH(bool, evicted);

        sigess::v1::Envelope expected;
        expected.set_sequence(sequence);
        sigess::v1::Changes &all = *expected.mutable_changes();
        std::vector<std::string> stored;
        for (int i = 0; i < ops; ++i) {
            sigess::v1::Operation &op = *all.add_ops();
            op.set_op_id("0190a8e0-0000-7000-8000-00000000000" + std::to_string(i));
            op.mutable_hlc()->set_wall_ms(1000 + static_cast<std::uint64_t>(i));
            op.set_entity_type(sigess::v1::ENTITY_TYPE_NOTE);
            op.set_kind(sigess::v1::OP_KIND_UPDATE);
            op.add_fields(2);
            op.add_fields(300);
            op.set_patch(std::string(static_cast<std::size_t>(patchBytes), static_cast<char>('a' + i)));
            stored.push_back(op.SerializeAsString());
        }
        sigess::v1::Changes rest;
        rest.set_next_cursor("42");
        rest.set_more(more);
        if (evicted) {
            sigess::v1::EntityRef &gone = *rest.add_evicted();
            gone.set_type(sigess::v1::ENTITY_TYPE_CASE);
            gone.set_id("0190a8e0-0000-7000-8000-0000000000ff");
        }
        all.set_next_cursor(rest.next_cursor());
        all.set_more(rest.more());
        *all.mutable_evicted() = rest.evicted();

        const std::vector<std::string_view> views(stored.begin(), stored.end());
        const std::string written = sigess::sync::encodeChangesFrame(sequence, views, rest);
        QCOMPARE(written, encodeFrame(expected));
        auto decoded = decodeFrame(written);
        QVERIFY(decoded.ok());
        QCOMPARE(decoded->sequence(), sequence);
        QCOMPARE(decoded->changes().ops_size(), ops);
        QCOMPARE(decoded->SerializeAsString(), expected.SerializeAsString());
    }

    void rejectsBadBytes_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("reason");

        const std::string good = encodeFrame(pushEnvelope(2));
        QTest::newRow("empty") << QByteArray() << int(ErrorCode::Invalid) << "empty frame";
        QTest::newRow("truncated") << QByteArray(good.data(), int(good.size()) - 5)
                                   << int(ErrorCode::Invalid) << "malformed frame";
        QTest::newRow("garbage") << QByteArray("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", 11)
                                 << int(ErrorCode::Invalid) << "malformed frame";
        QTest::newRow("no frame") << QByteArray("\x08\x01", 2) << int(ErrorCode::Invalid)
                                  << "carries no frame";
        // Field 99 is unknown to v1: an envelope from a newer peer with only that.
        QTest::newRow("unknown frame") << QByteArray("\x9a\x06\x00", 3) << int(ErrorCode::Invalid)
                                       << "carries no frame";
    }

    void rejectsBadBytes()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, code);
        QFETCH(QString, reason);
        auto result = decodeFrame(std::string_view(bytes.constData(), std::size_t(bytes.size())));
        QVERIFY(!result.ok());
        QCOMPARE(int(result.error().code), code);
        QVERIFY2(QString::fromStdString(result.error().message).contains(reason),
                 result.error().message.c_str());
    }

    void rejectsOversizedFrameBeforeParsing()
    {
        const std::string big = encodeFrame(pushEnvelope(100));
        FrameLimits limits;
        limits.maxFrameBytes = big.size() - 1;
        auto result = decodeFrame(big, limits);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, ErrorCode::TooLarge);
        limits.maxFrameBytes = big.size();
        QVERIFY(decodeFrame(big, limits).ok());
    }

    void rejectsDeepNesting()
    {
        // A patch-free frame nested deeper than allowed: Push(1 level) > Operation > Hlc.
        const std::string frame = encodeFrame(pushEnvelope(1));
        FrameLimits limits;
        limits.maxNesting = 1;
        QVERIFY(!decodeFrame(frame, limits).ok());
    }
};

QTEST_GUILESS_MAIN(TestFrameCodec)
#include "tst_frame_codec.moc"
