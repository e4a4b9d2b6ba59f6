//! What the diagnosis concludes: findings, their codes and severities.
//!
//! A leaf module (it imports only the message catalogue, `crate::msg`, itself a leaf) so that
//! the model of an analysis, the diagnosis, the reports and the knowledge base can all name a
//! finding without importing one another. [`FindingCode`] is the one place a code's wire name, rank, wizard step and
//! knowledge-base entry are written.

use serde::{Deserialize, Serialize};

use crate::msg::{Lang, Text};

macro_rules! finding_codes {
    ($($(#[$doc:meta])* $name:ident => ($wire:literal, $step:literal, $kb:literal)),* $(,)?) => {
        /// Every finding code the diagnosis can emit. Stable: codes are added, never renamed.
        ///
        /// Declared root causes first: the declaration order is the rank findings of the same
        /// severity are listed in.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum FindingCode {
            $($(#[$doc])* $name),*
        }

        impl FindingCode {
            /// Every code, in rank order.
            pub const ALL: &'static [FindingCode] = &[$(FindingCode::$name),*];

            /// The wire name (`"wrong-password"`), as in the JSON contract.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(FindingCode::$name => $wire),*
                }
            }

            /// The wizard step (1..=5) a finding of this code belongs to.
            pub fn step(self) -> u8 {
                match self {
                    $(FindingCode::$name => $step),*
                }
            }

            /// Id of the knowledge-base entry that guides the fix (joined where findings are
            /// shown, see `crate::kb::for_code`).
            pub fn kb_id(self) -> &'static str {
                match self {
                    $(FindingCode::$name => $kb),*
                }
            }
        }
    };
}

finding_codes! {
    /// The server stopped challenging an address after refused logins (a ban).
    BruteForceBlock => ("brute-force-block", 3, "communication/sip-fail2ban-ban"),
    /// 403 before any challenge: the credentials were never checked.
    ForbiddenBeforeAuth => ("forbidden-before-auth", 3, "communication/sip-403-ip-acl"),
    WrongPassword => ("wrong-password", 2, "communication/sip-401-wrong-password"),
    PasswordOkButRejected => ("password-ok-but-rejected", 2, "communication/sip-password-ok-but-rejected"),
    RealmMismatch => ("realm-mismatch", 2, "communication/sip-realm-mismatch"),
    AlgorithmMismatch => ("algorithm-mismatch", 2, "communication/sip-digest-algorithm-mismatch"),
    /// A 407 answered with Authorization, or a 401 with Proxy-Authorization.
    ProxyAuthWrongHeader => ("proxy-auth-wrong-header", 1, "communication/sip-407-wrong-header"),
    AuthUsernameMismatch => ("auth-username-mismatch", 2, "communication/sip-auth-username-mismatch"),
    UriMismatch => ("uri-mismatch", 2, "communication/sip-digest-uri-mismatch"),
    /// The phone never answered a challenge.
    UnsupportedChallenge => ("unsupported-challenge", 1, "communication/sip-unsupported-challenge"),
    StaleNonce => ("stale-nonce", 1, "communication/sip-stale-nonce"),
    /// Credentials re-challenged, the input at fault not yet known.
    CredentialsRejected => ("credentials-rejected", 2, "communication/sip-401-unauthorized-credentials"),
    ForbiddenAfterAuth => ("forbidden-after-auth", 1, "communication/sip-403-after-auth"),
    NoResponse => ("no-response", 1, "communication/sip-no-response-firewall"),
    TlsEncrypted => ("tls-encrypted", 1, "communication/sip-tls-encrypted-capture"),
    NoSip => ("no-sip", 1, "communication/sip-capture-no-sip"),
    ClockSkew => ("clock-skew", 4, "communication/sip-clock-skew"),
    NatPrivateContact => ("nat-private-contact", 1, "communication/sip-nat-private-contact"),
    /// Challenged and accepted: the normal digest login.
    AuthOk => ("auth-ok", 1, "communication/sip-first-401-normal"),
}

impl FindingCode {
    /// Position in [`FindingCode::ALL`]: lower is listed first among findings of one severity.
    pub fn rank(self) -> usize {
        self as usize
    }

    /// The code with this wire name.
    pub fn parse(s: &str) -> Option<FindingCode> {
        FindingCode::ALL.iter().copied().find(|c| c.as_str() == s)
    }
}

impl std::fmt::Display for FindingCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Compare with a wire name (tests and pasted names).
impl PartialEq<&str> for FindingCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for FindingCode {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    /// The wire name (`"error"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    /// An error or a warning: something to act on.
    pub fn is_problem(self) -> bool {
        self <= Severity::Warning
    }
}

/// One line of evidence: a frame and the header values that prove the point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub frame: u64,
    /// The line in English (the JSON contract).
    pub text: String,
    /// The line as a message, to render in another language (`None`: a value shown as is).
    #[serde(skip)]
    pub msg: Option<Text>,
}

impl Evidence {
    /// A line shown as it is in every language.
    pub fn new(frame: u64, text: impl Into<String>) -> Evidence {
        Evidence {
            frame,
            text: text.into(),
            msg: None,
        }
    }

    /// A line from the message catalogue.
    pub fn msg(frame: u64, t: Text) -> Evidence {
        Evidence {
            frame,
            text: t.en(),
            msg: Some(t),
        }
    }

    /// The line in `lang`.
    pub fn text_in(&self, lang: Lang) -> String {
        match &self.msg {
            Some(t) if lang != Lang::En => t.render(lang),
            _ => self.text.clone(),
        }
    }
}

/// What a finding says, as messages: rendered in English into the finding's fields, and in
/// any language by [`Finding::title_in`] and the other `_in` methods.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingText {
    pub title: Text,
    pub explanation: Text,
    pub causes: Vec<Text>,
    /// "3 of 40 accounts: ..." before the explanation, with more than one account.
    pub who: Option<Text>,
}

/// One conclusion, with the evidence that proves it. The knowledge-base entry is not part of
/// it: it is joined by [`Finding::code`] where findings are shown.
///
/// `title`, `explanation` and `causes` hold the English text (the JSON contract); `text` holds
/// the same as messages, for the other languages.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub code: FindingCode,
    pub severity: Severity,
    pub title: String,
    pub explanation: String,
    /// Most likely causes, in order (for findings that cannot be pinned down further).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub causes: Vec<String>,
    pub evidence: Vec<Evidence>,
    /// Evidence lines left out to keep the finding short.
    #[serde(skip_serializing_if = "is_zero")]
    pub more_evidence: usize,
    /// Exchanges (ids) it is about.
    pub exchanges: Vec<usize>,
    /// In step with `exchanges`: the severity of the drafts about each exchange (a finding
    /// merges every draft of its code and takes the worst severity, so one exchange can be an
    /// error and another only a warning). See [`Finding::severity_for`].
    #[serde(skip)]
    pub exchange_severity: Vec<Severity>,
    /// The evidence frames of its drafts tied to no exchange, all of them (also those beyond
    /// the evidence kept): what tells whose a clock skew or a TLS stream is.
    #[serde(skip)]
    pub frames: Vec<u64>,
    /// A more specific knowledge-base entry than the code's own ([`FindingCode::kb_id`]), when
    /// the capture tells the case apart (a server's own ban vs fail2ban, Asterisk's unknown
    /// auth user). Rendered as the finding's `kb`; see [`Finding::kb_id`].
    #[serde(skip)]
    pub kb_override: Option<&'static str>,
    /// The finding's words as messages.
    #[serde(skip)]
    pub text: FindingText,
}

impl Finding {
    /// A finding from its messages, the English fields rendered from them.
    pub fn new(code: FindingCode, severity: Severity, text: FindingText) -> Finding {
        Finding {
            code,
            severity,
            title: text.title.en(),
            explanation: text.explanation.en(),
            causes: text.causes.iter().map(Text::en).collect(),
            evidence: Vec::new(),
            more_evidence: 0,
            exchanges: Vec::new(),
            exchange_severity: Vec::new(),
            frames: Vec::new(),
            kb_override: None,
            text,
        }
    }

    /// The knowledge-base entry this finding links to: its override, else its code's.
    pub fn kb_id(&self) -> &'static str {
        self.kb_override.unwrap_or(self.code.kb_id())
    }

    /// Say which accounts of several the finding is about ("3 of 40 accounts: ..."), before
    /// the explanation.
    pub fn set_who(&mut self, who: Text) {
        self.text.who = Some(who);
        self.explanation = self.explanation_in(Lang::En);
    }

    /// Give the finding another title (the same finding said of accounts, not of the phone).
    pub fn set_title(&mut self, title: Text) {
        self.title = title.en();
        self.text.title = title;
    }

    /// The title in `lang`.
    pub fn title_in(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.title.clone(),
            _ => self.text.title.render(lang),
        }
    }

    /// The explanation in `lang` (with the accounts it is about, when there are several).
    pub fn explanation_in(&self, lang: Lang) -> String {
        match &self.text.who {
            Some(who) => crate::text!(
                WhoThen,
                who = who.clone(),
                rest = self.text.explanation.clone()
            )
            .render(lang),
            None => self.text.explanation.render(lang),
        }
    }

    /// The likely causes in `lang`.
    pub fn causes_in(&self, lang: Lang) -> Vec<String> {
        match lang {
            Lang::En => self.causes.clone(),
            _ => self.text.causes.iter().map(|t| t.render(lang)).collect(),
        }
    }

    /// Its severity for its `i`-th exchange: that of the drafts about it, never worse than
    /// the finding's own (a rule may lower a whole finding); the finding's when not recorded.
    pub fn severity_for(&self, i: usize) -> Severity {
        self.exchange_severity
            .get(i)
            .map_or(self.severity, |&s| s.max(self.severity))
    }
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_are_the_serde_names_and_unique() {
        for &c in FindingCode::ALL {
            assert_eq!(serde_json::to_value(c).unwrap(), c.as_str());
            assert_eq!(FindingCode::parse(c.as_str()), Some(c));
            assert_eq!(
                serde_json::from_value::<FindingCode>(c.as_str().into()).unwrap(),
                c
            );
            assert!((1..=5).contains(&c.step()), "{c}");
            assert!(c.kb_id().starts_with("communication/"), "{c}");
        }
        let mut names: Vec<&str> = FindingCode::ALL.iter().map(|c| c.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), FindingCode::ALL.len());
        assert_eq!(FindingCode::parse("banana"), None);
        for s in [Severity::Error, Severity::Warning, Severity::Info] {
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
    }

    #[test]
    fn rank_puts_root_causes_first_and_steps_are_the_wizard_s() {
        use FindingCode::*;
        assert!(BruteForceBlock.rank() < WrongPassword.rank());
        assert!(WrongPassword.rank() < CredentialsRejected.rank());
        assert!(ClockSkew.rank() < AuthOk.rank());
        assert_eq!(AuthOk.rank(), FindingCode::ALL.len() - 1);
        assert_eq!(WrongPassword.step(), 2);
        assert_eq!(BruteForceBlock.step(), 3);
        assert_eq!(ClockSkew.step(), 4);
        assert_eq!(NoSip.step(), 1);
        assert!(WrongPassword == "wrong-password");
    }
}
