// The bearer secrets of identity/: session tokens, device credentials and enrollment
// codes. Each is random (libsodium's CSPRNG) and stored only as its SHA-256, so a copy of
// the store does not let anyone in; a secret with 256 bits needs no slow hash, because
// nobody can guess it, and a fast hash keeps every authenticated request cheap.
//
// Thread safety: pure functions (the CSPRNG is thread-safe).
#pragma once

#include <string>
#include <string_view>

namespace sigess::identity {

// 256 random bits as 43 characters of unpadded base64url: safe in a header and a URL.
std::string randomToken();

// An enrollment code an admin reads out or types on a device: 60 random bits as twelve
// Crockford base-32 characters in three groups ("7KQ2-M9XD-4TRA"); ambiguous letters
// (I, L, O, U) are never produced.
std::string randomEnrollmentCode();

// What a person typed, made comparable: groups' dashes and spaces dropped, letters
// upper-cased, and I, L read as 1 and O as 0 (Crockford's rule for misreadings).
std::string normalizeEnrollmentCode(std::string_view typed);

// Raw SHA-256 (32 bytes) of a secret: the form it is stored and looked up in.
std::string secretHash(std::string_view secret);

} // namespace sigess::identity
