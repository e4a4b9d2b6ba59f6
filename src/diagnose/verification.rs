//! What the typed password proves about one authenticated request.

use super::{Collector, Draft, ev};
use crate::finding::{FindingCode, Severity};
use crate::transaction::Exchange;
use crate::verify::{Differs, Verification};

/// The finding a verification that did not match (or matched and was refused anyway) gives:
/// the differing input names the code.
fn code_and_title(differs: Option<Differs>) -> (FindingCode, &'static str) {
    match differs {
        Some(Differs::Password) => (
            FindingCode::WrongPassword,
            "The phone uses a different password",
        ),
        Some(Differs::PasswordWhitespace) => (
            FindingCode::WrongPassword,
            "The phone's password has an extra or missing space",
        ),
        Some(Differs::PasswordCase) => (
            FindingCode::WrongPassword,
            "The phone's password differs in letter case",
        ),
        Some(Differs::Realm) => (
            FindingCode::RealmMismatch,
            "The digest was computed for another realm",
        ),
        Some(Differs::Username) => (
            FindingCode::AuthUsernameMismatch,
            "The digest was computed for another username",
        ),
        Some(Differs::Uri) => (
            FindingCode::UriMismatch,
            "The digest was computed over another uri",
        ),
        Some(Differs::Algorithm) | Some(Differs::UnsupportedAlgorithm) => (
            FindingCode::AlgorithmMismatch,
            "The digest was computed with another algorithm",
        ),
        Some(Differs::Nonce) => (FindingCode::StaleNonce, "The digest answers an old nonce"),
        Some(Differs::Qop) | Some(Differs::Incomplete) | None => (
            FindingCode::CredentialsRejected,
            "The phone's digest does not match what you typed",
        ),
    }
}

/// Add what a verification proves. `refused`: the server did not accept the request.
pub fn apply(
    c: &mut Collector,
    v: &Verification,
    e: &Exchange,
    final_status: Option<u16>,
    refused: bool,
) {
    let status = final_status
        .map(|s| s.to_string())
        .unwrap_or("no answer".into());
    let what = match (v.verified, v.differs.map(Differs::as_str)) {
        (true, None) => "response matches the typed secret".to_string(),
        (true, Some(d)) => format!("response matches the typed secret; {d} differs"),
        (false, Some(d)) => format!("response does not match; differs: {d}"),
        (false, None) => "response does not match".to_string(),
    };
    let mut evidence = vec![ev(v.frame, format!("{what} -> {status}"))];
    if !matches!(
        v.differs,
        Some(Differs::Password | Differs::PasswordCase | Differs::PasswordWhitespace)
    ) {
        evidence.extend(v.detail.iter().take(2).map(|d| ev(v.frame, d.clone())));
    }
    if v.verified && v.differs.is_none() {
        if refused {
            c.add(
                Draft::new(
                    FindingCode::PasswordOkButRejected,
                    Severity::Error,
                    "The password is right, yet the server refuses",
                    "The password you typed reproduces the phone's digest exactly, so the phone \
                     is sending the right password. The server refuses it anyway: look at the \
                     server's account (stored HA1 computed for another realm, auth user bound to \
                     another account, account disabled).",
                )
                .with_evidence(evidence)
                .about(e.id),
            );
        }
        return;
    }
    if v.verified && !refused {
        return;
    }
    let (code, title) = code_and_title(v.differs);
    c.add(
        Draft::new(code, Severity::Error, title, v.explanation.clone())
            .with_evidence(evidence)
            .about(e.id),
    );
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;
    use crate::secret::Secret;
    use crate::verify::Expectation;

    fn verified(file: &str, password: &str) -> crate::model::Analysis {
        let mut a = fixture(file);
        a.verify_with(&Secret::password(password), &Expectation::default());
        a
    }

    #[test]
    fn the_differing_input_names_the_code() {
        assert_eq!(
            code_and_title(Some(Differs::PasswordCase)).0,
            FindingCode::WrongPassword
        );
        assert_eq!(
            code_and_title(Some(Differs::Realm)).0,
            FindingCode::RealmMismatch
        );
        assert_eq!(
            code_and_title(Some(Differs::Nonce)).0,
            FindingCode::StaleNonce
        );
        assert_eq!(code_and_title(None).0, FindingCode::CredentialsRejected);
    }

    #[test]
    fn a_wrong_password_on_a_real_capture_is_proven_with_evidence() {
        // 02: the phone sends "wrong-1001"; the server's password is "s3cret-1001" (lab.json).
        let a = verified("02-register-wrong-password.pcap", "s3cret-1001");
        let mut c = Collector::default();
        let e = &a.exchanges[0];
        for v in &a.verifications {
            apply(&mut c, v, e, Some(401), true);
        }
        let fs = c.into_sorted();
        assert_eq!(names(&fs), ["wrong-password"]);
        assert_eq!(fs[0].severity, Severity::Error);
        assert!(
            fs[0].evidence[0].text.contains("response does not match"),
            "{:?}",
            fs[0].evidence
        );
        assert_eq!(fs[0].exchanges, [e.id]);
    }

    #[test]
    fn a_matching_password_refused_is_password_ok_but_rejected_and_accepted_is_nothing() {
        let a = verified("01-register-ok.pcap", "s3cret-1001");
        let v = a
            .verifications
            .iter()
            .find(|v| v.verified && v.differs.is_none())
            .expect("01 verifies with the lab password");
        let e = &a.exchanges[0];
        let mut c = Collector::default();
        apply(&mut c, v, e, Some(200), false);
        assert!(c.into_sorted().is_empty());
        let mut c = Collector::default();
        apply(&mut c, v, e, Some(403), true);
        assert_eq!(names(&c.into_sorted()), ["password-ok-but-rejected"]);
    }
}
