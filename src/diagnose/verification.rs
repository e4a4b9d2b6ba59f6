//! What the typed password proves about one authenticated request.

use super::server::ServerKind;
use super::{Collector, Draft, ev, server_name};
use crate::finding::{FindingCode, Severity};
use crate::msg::{Msg, Text};
use crate::text;
use crate::transaction::Exchange;
use crate::verify::{Differs, Verification};

/// The finding a verification that did not match (or matched and was refused anyway) gives:
/// the differing input names the code.
fn code_and_title(differs: Option<Differs>) -> (FindingCode, Msg) {
    match differs {
        Some(Differs::Password) => (FindingCode::WrongPassword, Msg::VerPasswordTitle),
        Some(Differs::PasswordWhitespace) => (FindingCode::WrongPassword, Msg::VerWhitespaceTitle),
        Some(Differs::PasswordCase) => (FindingCode::WrongPassword, Msg::VerCaseTitle),
        Some(Differs::Realm) => (FindingCode::RealmMismatch, Msg::VerRealmTitle),
        Some(Differs::Username) => (FindingCode::AuthUsernameMismatch, Msg::VerUsernameTitle),
        Some(Differs::Uri) => (FindingCode::UriMismatch, Msg::VerUriTitle),
        Some(Differs::Algorithm) | Some(Differs::UnsupportedAlgorithm) => {
            (FindingCode::AlgorithmMismatch, Msg::VerAlgoTitle)
        }
        Some(Differs::Nonce) => (FindingCode::StaleNonce, Msg::VerNonceTitle),
        Some(Differs::Qop) | Some(Differs::Incomplete) | None => {
            (FindingCode::CredentialsRejected, Msg::VerNoMatchTitle)
        }
    }
}

/// Who refused the right password: the server at fault, unless the server is one that answers
/// every refusal with 401, unknown users included (Asterisk, by design: no user enumeration).
/// There, a refused right password most often means the server does not know the auth user.
fn refused_right_password(server: ServerKind, auth_user: Option<&str>) -> Draft {
    if matches!(
        server,
        ServerKind::Asterisk | ServerKind::AsteriskPjsip | ServerKind::AsteriskChanSip
    ) {
        let who: crate::msg::Arg = match auth_user {
            Some(u) => u.into(),
            None => Msg::NoneSent.into(),
        };
        return Draft::new(
            FindingCode::PasswordOkButRejected,
            Severity::Error,
            text!(
                AsteriskUnknownTitle,
                server = server_name(server),
                who = who.clone()
            ),
            text!(AsteriskUnknownExpl, server = server_name(server), who = who),
        )
        .with_kb("communication/sip-asterisk-unknown-auth-user");
    }
    Draft::new(
        FindingCode::PasswordOkButRejected,
        Severity::Error,
        text!(ServerRefusesTitle),
        text!(ServerRefusesExpl),
    )
}

/// What the request was sent to and with: the server's kind and the digest's auth username.
#[derive(Clone, Copy)]
pub struct Sent<'a> {
    pub server: ServerKind,
    pub auth_user: Option<&'a str>,
}

/// Add what a verification proves. `refused`: the server did not accept the request.
pub fn apply(
    c: &mut Collector,
    v: &Verification,
    e: &Exchange,
    final_status: Option<u16>,
    refused: bool,
    sent: Sent,
) {
    let status: crate::msg::Arg = match final_status {
        Some(s) => s.into(),
        None => Msg::NoAnswer.into(),
    };
    let what = match (v.verified, v.differs.map(Differs::as_str)) {
        (true, None) => text!(EvVerMatch),
        (true, Some(d)) => text!(EvVerMatchDiffers, differs = d),
        (false, Some(d)) => text!(EvVerNoMatchDiffers, differs = d),
        (false, None) => text!(EvVerNoMatch),
    };
    let mut evidence = vec![ev(v.frame, what.arg("status", status))];
    if !matches!(
        v.differs,
        Some(Differs::Password | Differs::PasswordCase | Differs::PasswordWhitespace)
    ) {
        evidence.extend(
            v.texts
                .detail
                .iter()
                .take(2)
                .map(|d| ev(v.frame, d.clone())),
        );
    }
    if v.verified && v.differs.is_none() {
        if refused {
            c.add(
                refused_right_password(sent.server, sent.auth_user)
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
        Draft::new(
            code,
            Severity::Error,
            Text::new(title),
            v.texts.explanation.clone(),
        )
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

    const KAMAILIO: Sent = Sent {
        server: ServerKind::Kamailio,
        auth_user: Some("1001"),
    };

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
            apply(&mut c, v, e, Some(401), true, KAMAILIO);
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
    fn a_right_password_refused_by_asterisk_is_an_unknown_auth_user_not_a_server_fault() {
        // A scripted Asterisk-like server: the real Kamailio capture 02 (the phone sends
        // "wrong-1001" and is re-challenged with 401), its Server header rewritten to
        // Asterisk's. Typing what the phone sends makes the password "right": Asterisk's 401
        // then means it does not know (or refuses) auth user 1001.
        let mut a = server_rewritten("02-register-wrong-password.pcap", "Asterisk PBX 20.5.0");
        a.verify_with(&Secret::password("wrong-1001"), &Expectation::default());
        let f = a
            .findings
            .iter()
            .find(|f| f.code == FindingCode::PasswordOkButRejected)
            .unwrap_or_else(|| panic!("{:?}", names(&a.findings)));
        assert_eq!(f.kb_id(), "communication/sip-asterisk-unknown-auth-user");
        assert!(
            f.title.contains("does not know auth user 1001"),
            "{}",
            f.title
        );
        assert!(f.explanation.contains("matches what"), "{}", f.explanation);
        assert!(!f.explanation.contains("The server refuses it anyway"));
        // The same capture from Kamailio keeps the server-side reading and the code's entry.
        let mut k = fixture("02-register-wrong-password.pcap");
        k.verify_with(&Secret::password("wrong-1001"), &Expectation::default());
        let f = k
            .findings
            .iter()
            .find(|f| f.code == FindingCode::PasswordOkButRejected)
            .expect("password-ok-but-rejected on Kamailio");
        assert_eq!(f.kb_override, None);
        assert_eq!(f.title, "The password is right, yet the server refuses");
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
        apply(&mut c, v, e, Some(200), false, KAMAILIO);
        assert!(c.into_sorted().is_empty());
        let mut c = Collector::default();
        apply(&mut c, v, e, Some(403), true, KAMAILIO);
        assert_eq!(names(&c.into_sorted()), ["password-ok-but-rejected"]);
    }
}
