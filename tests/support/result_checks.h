// QtTest checks of sigess::Result and Status values, for the tests only (the benches and
// the Qt-free fixtures do not include it): on failure they name the error, so a test's
// output says what went wrong, not only that something did.
// Thread safety: as QTest's own checks, on the test's thread.
#pragma once

#include "core/result.h"

#include <QTest>

// The value or status is ok; otherwise the test fails with the error's description.
#define EXPECT_OK(expr)                                                                        \
    do {                                                                                       \
        const auto &expectOk_ = (expr);                                                        \
        QVERIFY2(expectOk_.ok(), expectOk_.ok() ? "" : expectOk_.error().describe().c_str()); \
    } while (false)

// The value or status is an error with this ErrorCode.
#define EXPECT_ERROR(expr, errorCode)                                                                  \
    do {                                                                                               \
        const auto &expectError_ = (expr);                                                             \
        QVERIFY2(!expectError_.ok(), "expected an error, got success");                                \
        QCOMPARE(::sigess::errorCodeName(expectError_.error().code), ::sigess::errorCodeName(errorCode)); \
    } while (false)
