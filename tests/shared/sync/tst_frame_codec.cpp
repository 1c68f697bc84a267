#include "sync/frame_codec.h"

#include <QTest>

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
