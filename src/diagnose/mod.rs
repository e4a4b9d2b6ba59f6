//! Diagnosis: from auth exchanges to ranked findings with evidence.

/// Every finding code the diagnosis can emit. Stable: codes are added, never renamed.
/// Each maps to a knowledge-base entry (tested in `kb`).
pub const CODES: &[&str] = &[
    "auth-ok",
    "credentials-rejected",
    "wrong-password",
    "password-ok-but-rejected",
    "auth-username-mismatch",
    "realm-mismatch",
    "stale-nonce",
    "algorithm-mismatch",
    "unsupported-challenge",
    "forbidden-before-auth",
    "forbidden-after-auth",
    "brute-force-block",
    "no-response",
    "clock-skew",
    "uri-mismatch",
    "nat-private-contact",
    "tls-encrypted",
    "no-sip",
    "proxy-auth-wrong-header",
];
