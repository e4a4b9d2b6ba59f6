//! The guided fix for this capture and this server (issue 11, part 1).
//!
//! A [`Fix`] is a knowledge-base entry's steps made concrete: the detected server's commands
//! first, the commands of every other server folded into each step's `other_servers`; the
//! capture's own values (user, auth user, realm, domain, addresses, transport, the ban's source,
//! the jail, the method) filled into the `{name}` placeholders of the kb commands; a value the
//! capture lacks, or one that is not safe to paste into a shell, stays a visible `<name>`
//! placeholder; steps the app has already done are marked done; steps for another request
//! method are left out.
//!
//! Layer: above `diagnose` and `kb`, below `report`: this module imports `kb` and
//! `diagnose::server::ServerKind` only.
//!
//! Which entry a finding opens is the one table [`ROUTES`], keyed by (finding code, server,
//! hint from the capture); [`entries_for`] walks it (main entry first, then related entries),
//! falling back to the code's own entry ([`FindingCode::kb_id`]).
//!
//! JSON of a fix (the `fix` of a finding):
//! `{kb, title, server, steps: [{title, detail, check, done, done_by, commands: [{server, text}],
//! other_servers: [{server, text}]}], other_servers: [server...], see_also: [{kb, title}],
//! withheld: [placeholder...]}`. Folding is a separate list per step (`steps[].other_servers`);
//! the top-level `other_servers` names the servers folded anywhere in the fix.

use serde::Serialize;

use crate::diagnose::server::ServerKind;
use crate::finding::FindingCode;
use crate::kb::{self, Entry, Lang};

/// Something SIP Doctor itself has done for this capture; a kb step with the same `done_by`
/// is shown as done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Did {
    /// A capture with the exchange is loaded.
    Capture,
    /// The digest was recomputed with a typed password (the credentials step).
    Digest,
    /// The clocks (nonce time, Date headers) were compared.
    Clock,
}

impl Did {
    pub const ALL: [Did; 3] = [Did::Capture, Did::Digest, Did::Clock];
    /// The `done_by` value in kb steps.
    pub fn wire(self) -> &'static str {
        match self {
            Did::Capture => "capture",
            Did::Digest => "digest",
            Did::Clock => "clock",
        }
    }
    pub fn from_wire(s: &str) -> Option<Did> {
        Did::ALL.into_iter().find(|d| d.wire() == s)
    }
    /// What the app did, shown beside a done step.
    pub fn note(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Did::Capture, Lang::En) => "done: SIP Doctor has this exchange in the loaded capture",
            (Did::Capture, Lang::Zh) => "已完成：SIP Doctor 已在载入的抓包中看到这次交互",
            (Did::Capture, Lang::Vi) => {
                "đã xong: SIP Doctor đã có lượt trao đổi này trong bản bắt gói đã nạp"
            }
            (Did::Digest, Lang::En) => "done: SIP Doctor recomputed the digest response",
            (Did::Digest, Lang::Zh) => "已完成：SIP Doctor 已重新计算摘要响应",
            (Did::Digest, Lang::Vi) => "đã xong: SIP Doctor đã tính lại response digest",
            (Did::Clock, Lang::En) => "done: SIP Doctor compared the clocks in the capture",
            (Did::Clock, Lang::Zh) => "已完成：SIP Doctor 已比较抓包中的时钟",
            (Did::Clock, Lang::Vi) => "đã xong: SIP Doctor đã so sánh đồng hồ trong bản bắt gói",
        }
    }
}

/// The request method of the exchange the fix is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Register,
    Invite,
}

impl Method {
    pub fn wire(self) -> &'static str {
        match self {
            Method::Register => "REGISTER",
            Method::Invite => "INVITE",
        }
    }
    /// `REGISTER` / `INVITE` (any case); other methods have no fix of their own.
    pub fn parse(s: &str) -> Option<Method> {
        match s.trim().to_ascii_uppercase().as_str() {
            "REGISTER" => Some(Method::Register),
            "INVITE" => Some(Method::Invite),
            _ => None,
        }
    }
}

/// The capture's values the fix is filled with. Every value is untrusted (it comes from the
/// capture): [`safe_value`] decides whether it may appear in a command.
#[derive(Debug, Clone, Default)]
pub struct FixContext {
    /// The user (From/To user, the account).
    pub user: Option<String>,
    /// The username of the Authorization header.
    pub auth_user: Option<String>,
    /// The realm of the challenge.
    pub realm: Option<String>,
    /// The domain (host of the Request-URI / To).
    pub domain: Option<String>,
    /// The server's host name or address as the client addressed it.
    pub server: Option<String>,
    pub server_ip: Option<String>,
    pub server_port: Option<u16>,
    pub client_ip: Option<String>,
    /// `UDP`, `TCP`, `TLS`, `WS`, `WSS`.
    pub transport: Option<String>,
    /// The banned source address.
    pub ban_ip: Option<String>,
    /// The fail2ban jail (or the server's ban table).
    pub jail: Option<String>,
    pub method: Option<Method>,
}

/// The placeholder names a kb command may use (`{user}` ...).
pub const PLACEHOLDERS: &[&str] = &[
    "user",
    "auth_user",
    "realm",
    "domain",
    "server",
    "server_ip",
    "server_port",
    "client_ip",
    "transport",
    "ban_ip",
    "jail",
    "method",
];

impl FixContext {
    fn value(&self, name: &str) -> Option<String> {
        let s = |v: &Option<String>| v.clone();
        match name {
            "user" => s(&self.user),
            "auth_user" => s(&self.auth_user),
            "realm" => s(&self.realm),
            "domain" => s(&self.domain),
            "server" => s(&self.server),
            "server_ip" => s(&self.server_ip),
            "server_port" => self.server_port.map(|p| p.to_string()),
            "client_ip" => s(&self.client_ip),
            "transport" => s(&self.transport),
            "ban_ip" => s(&self.ban_ip),
            "jail" => s(&self.jail),
            "method" => self.method.map(|m| m.wire().to_string()),
            _ => None,
        }
    }
}

/// A value from a capture goes into a command only if it is made of characters that mean
/// nothing to a shell, a config parser or an SQL string (letters, digits, `.`, `_`, `-`, `@`,
/// `:`, `+`, `%`, `[`, `]`), does not start with `-` (no option injection) and is at most 255
/// bytes. Anything else is refused: the placeholder stays, so nothing a capture carries can
/// turn into a live command. (Refusing is simpler to prove than quoting, because the kb
/// commands put values inside single-quoted `-rx '...'` strings, SQL literals and XML.)
pub fn safe_value(v: &str) -> bool {
    !v.is_empty()
        && v.len() <= 255
        && !v.starts_with('-')
        && v.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(c, '.' | '_' | '-' | '@' | ':' | '+' | '%' | '[' | ']')
        })
}

/// A hint from the capture that picks a more specific entry for a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hint {
    /// No hint needed.
    None,
    /// The 403's reason phrase is Kamailio's stock "Not relaying".
    NotRelaying,
    /// An ICMP port/host unreachable quotes the request.
    IcmpUnreachable,
    /// The credentials check matched a whitespace or case variant of the typed password.
    PasswordVariant,
    /// The failures are followed by a 403 with a reason (the server's own ban counter).
    BanReply,
    /// Silence after a burst of requests (pike-style rate limit).
    BurstThenSilence,
    /// The client tried TLS (SIPS / port 5061) and got nothing.
    Tls,
    /// The client's port or transport is one the server does not serve.
    PortOrTransport,
    /// The REGISTER went straight to the registrar's domain where the provider wants a proxy.
    OutboundProxy,
}

/// Hints read from the capture (all optional).
#[derive(Debug, Clone, Default)]
pub struct FixHints {
    /// Reason phrase of the 403, as sent.
    pub reason: Option<String>,
    pub icmp_unreachable: bool,
    pub password_variant: bool,
    pub ban_reply: bool,
    pub burst_then_silence: bool,
    pub tls: bool,
    pub port_or_transport: bool,
    pub outbound_proxy: bool,
}

impl FixHints {
    pub fn has(&self, h: Hint) -> bool {
        match h {
            Hint::None => true,
            Hint::NotRelaying => self
                .reason
                .as_deref()
                .is_some_and(|r| r.to_ascii_lowercase().contains("not relaying")),
            Hint::IcmpUnreachable => self.icmp_unreachable,
            Hint::PasswordVariant => self.password_variant,
            Hint::BanReply => self.ban_reply,
            Hint::BurstThenSilence => self.burst_then_silence,
            Hint::Tls => self.tls,
            Hint::PortOrTransport => self.port_or_transport,
            Hint::OutboundProxy => self.outbound_proxy,
        }
    }
}

/// Whether a route names the entry of the finding or a related one shown beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Main,
    Related,
}

/// One row of the selection table.
#[derive(Debug, Clone, Copy)]
pub struct Route {
    /// Finding code; `None` = any code.
    pub code: Option<FindingCode>,
    /// Servers the row is for; empty = any server.
    pub servers: &'static [ServerKind],
    pub hint: Hint,
    pub kb: &'static str,
    pub role: Role,
}

const fn row(
    role: Role,
    code: Option<FindingCode>,
    servers: &'static [ServerKind],
    hint: Hint,
    kb: &'static str,
) -> Route {
    Route {
        code,
        servers,
        hint,
        kb,
        role,
    }
}
const MAIN: Role = Role::Main;
const ALSO: Role = Role::Related;

use ServerKind as S;
const ANY: &[ServerKind] = &[];
const PJSIP: &[ServerKind] = &[S::AsteriskPjsip];
const KAM: &[ServerKind] = &[S::Kamailio];
const KAM_OSIPS: &[ServerKind] = &[S::Kamailio, S::OpenSips];
const OSIPS: &[ServerKind] = &[S::OpenSips];
const FS: &[ServerKind] = &[S::FreeSwitch];
const AST: &[ServerKind] = &[S::Asterisk];
const AST_DRIVERS: &[ServerKind] = &[S::AsteriskPjsip, S::AsteriskChanSip];
const CHAN_SIP: &[ServerKind] = &[S::AsteriskChanSip];
const PJSIP_KAM: &[ServerKind] = &[S::AsteriskPjsip, S::Kamailio];
const UNKNOWN: &[ServerKind] = &[S::Unknown];

/// (finding code, server, hint) -> kb entry. Main rows: the first that matches wins, in table
/// order (most specific first); without one, `kb::id_for_code`. Related rows: every match is
/// listed after the main entry. To re-key on a typed code, replace `code` by the enum.
#[rustfmt::skip]
pub const ROUTES: &[Route] = &[
    // Hints first: they pin the case down whatever the code's default.
    row(MAIN, Some(FindingCode::WrongPassword), ANY, Hint::PasswordVariant, "communication/sip-password-whitespace-or-case"),
    row(MAIN, Some(FindingCode::CredentialsRejected), ANY, Hint::PasswordVariant, "communication/sip-password-whitespace-or-case"),
    row(MAIN, Some(FindingCode::ForbiddenBeforeAuth), KAM, Hint::NotRelaying, "communication/sip-kamailio-not-relaying"),
    row(MAIN, Some(FindingCode::BruteForceBlock), KAM_OSIPS, Hint::BanReply, "communication/sip-server-own-ban"),
    row(MAIN, Some(FindingCode::BruteForceBlock), KAM, Hint::BurstThenSilence, "communication/sip-pike-ratelimit-ban"),
    row(MAIN, Some(FindingCode::NoResponse), ANY, Hint::IcmpUnreachable, "communication/sip-icmp-port-unreachable"),
    row(MAIN, Some(FindingCode::NoResponse), ANY, Hint::Tls, "communication/sip-tls-transport-failure"),
    row(MAIN, Some(FindingCode::NoResponse), ANY, Hint::PortOrTransport, "communication/sip-wrong-port-or-transport"),
    row(MAIN, Some(FindingCode::NoResponse), ANY, Hint::OutboundProxy, "communication/sip-outbound-proxy-missing"),
    // Per server.
    row(MAIN, Some(FindingCode::CredentialsRejected), KAM, Hint::None, "communication/sip-kamailio-auth-failure"),
    row(MAIN, Some(FindingCode::WrongPassword), KAM, Hint::None, "communication/sip-kamailio-auth-failure"),
    row(MAIN, Some(FindingCode::PasswordOkButRejected), KAM, Hint::None, "communication/sip-password-ok-but-rejected"),
    row(MAIN, Some(FindingCode::CredentialsRejected), OSIPS, Hint::None, "communication/sip-opensips-auth-failure"),
    row(MAIN, Some(FindingCode::WrongPassword), OSIPS, Hint::None, "communication/sip-opensips-auth-failure"),
    row(MAIN, Some(FindingCode::AuthUsernameMismatch), OSIPS, Hint::None, "communication/sip-opensips-auth-failure"),
    row(MAIN, Some(FindingCode::PasswordOkButRejected), OSIPS, Hint::None, "communication/sip-opensips-auth-failure"),
    row(MAIN, Some(FindingCode::CredentialsRejected), FS, Hint::None, "communication/sip-freeswitch-auth-failure"),
    row(MAIN, Some(FindingCode::WrongPassword), FS, Hint::None, "communication/sip-freeswitch-auth-failure"),
    row(MAIN, Some(FindingCode::ForbiddenAfterAuth), FS, Hint::None, "communication/sip-freeswitch-auth-failure"),
    row(MAIN, Some(FindingCode::PasswordOkButRejected), FS, Hint::None, "communication/sip-freeswitch-auth-failure"),
    row(MAIN, Some(FindingCode::CredentialsRejected), AST, Hint::None, "communication/sip-asterisk-unknown-auth-user"),
    row(MAIN, Some(FindingCode::PasswordOkButRejected), AST_DRIVERS, Hint::None, "communication/sip-asterisk-unknown-auth-user"),
    row(MAIN, Some(FindingCode::PasswordOkButRejected), AST, Hint::None, "communication/sip-asterisk-unknown-auth-user"),
    row(MAIN, Some(FindingCode::AuthUsernameMismatch), PJSIP, Hint::None, "communication/sip-asterisk-pjsip-no-matching-endpoint"),
    row(MAIN, Some(FindingCode::ForbiddenBeforeAuth), UNKNOWN, Hint::None, "communication/sip-403-forbidden-registration"),
    // Related entries, shown as "see also".
    row(ALSO, Some(FindingCode::CredentialsRejected), PJSIP, Hint::None, "communication/sip-asterisk-unknown-auth-user"),
    row(ALSO, Some(FindingCode::CredentialsRejected), PJSIP, Hint::None, "communication/sip-asterisk-pjsip-endpoint-acl"),
    row(ALSO, Some(FindingCode::ForbiddenBeforeAuth), PJSIP, Hint::None, "communication/sip-asterisk-pjsip-endpoint-acl"),
    row(ALSO, Some(FindingCode::ForbiddenBeforeAuth), ANY, Hint::None, "communication/sip-403-ip-acl"),
    row(ALSO, Some(FindingCode::ForbiddenAfterAuth), PJSIP, Hint::None, "communication/sip-asterisk-pjsip-no-aors"),
    row(ALSO, Some(FindingCode::ForbiddenAfterAuth), ANY, Hint::None, "communication/sip-account-disabled-or-suspended"),
    row(ALSO, Some(FindingCode::ForbiddenAfterAuth), ANY, Hint::None, "communication/sip-403-forbidden-registration"),
    row(ALSO, Some(FindingCode::StaleNonce), PJSIP_KAM, Hint::None, "communication/sip-nonce-invalidated-restart-cluster"),
    row(ALSO, Some(FindingCode::NatPrivateContact), ANY, Hint::None, "communication/sip-alg-mangling"),
    row(ALSO, Some(FindingCode::BruteForceBlock), KAM_OSIPS, Hint::None, "communication/sip-server-own-ban"),
    row(ALSO, Some(FindingCode::PasswordOkButRejected), FS, Hint::None, "communication/sip-password-ok-but-rejected"),
    row(ALSO, Some(FindingCode::PasswordOkButRejected), OSIPS, Hint::None, "communication/sip-password-ok-but-rejected"),
    row(ALSO, None, CHAN_SIP, Hint::None, "communication/sip-chan-sip-removed-asterisk21"),
];

fn route_matches(r: &Route, code: FindingCode, server: ServerKind, hints: &FixHints) -> bool {
    r.code.is_none_or(|c| c == code)
        && (r.servers.is_empty() || r.servers.contains(&server))
        && hints.has(r.hint)
}

/// The entry ids for a finding: the main one first, then the related ones (no repeats).
pub fn ids_for(code: FindingCode, server: ServerKind, hints: &FixHints) -> Vec<&'static str> {
    let main = ROUTES
        .iter()
        .find(|r| r.role == Role::Main && route_matches(r, code, server, hints))
        .map(|r| r.kb)
        .or(Some(code.kb_id()));
    let mut out: Vec<&'static str> = main.into_iter().collect();
    for r in ROUTES
        .iter()
        .filter(|r| r.role == Role::Related && route_matches(r, code, server, hints))
    {
        if !out.contains(&r.kb) {
            out.push(r.kb);
        }
    }
    out
}

/// The entries for a finding, main first (ids not embedded are skipped).
pub fn entries_for(code: FindingCode, server: ServerKind, hints: &FixHints) -> Vec<&'static Entry> {
    ids_for(code, server, hints)
        .into_iter()
        .filter_map(kb::get)
        .collect()
}

/// The entry whose steps make the fix of a finding.
pub fn entry_for(
    code: FindingCode,
    server: ServerKind,
    hints: &FixHints,
) -> Option<&'static Entry> {
    entries_for(code, server, hints).into_iter().next()
}

/// The kb `commands[].server` tag of a detected server (`generic` when unknown).
pub fn server_tag(s: ServerKind) -> &'static str {
    match s {
        ServerKind::AsteriskPjsip | ServerKind::Asterisk => "asterisk-pjsip",
        ServerKind::AsteriskChanSip => "asterisk-chan_sip",
        ServerKind::FreeSwitch => "freeswitch",
        ServerKind::Kamailio => "kamailio",
        ServerKind::OpenSips => "opensips",
        ServerKind::Unknown => "generic",
    }
}

/// Tags whose commands suit any server (shown with the detected server's).
const NEUTRAL: &[&str] = &["generic", "linux", "phone"];

/// One command or config snippet, filled in.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FixCommand {
    /// The kb server tag (`kamailio`, `asterisk-pjsip`, `generic`, `linux`, `phone` ...).
    pub server: String,
    pub text: String,
}

/// One step of the fix.
#[derive(Debug, Clone, Serialize)]
pub struct FixStep {
    pub title: String,
    pub detail: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub check: String,
    /// The app did this already (see `done_by`).
    pub done: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub done_by: Option<&'static str>,
    /// The detected server's commands, then the ones for any server.
    pub commands: Vec<FixCommand>,
    /// The other servers' commands, folded.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other_servers: Vec<FixCommand>,
}

/// Another entry worth reading for this finding.
#[derive(Debug, Clone, Serialize)]
pub struct SeeAlso {
    pub kb: String,
    pub title: String,
}

/// The guided fix of one finding, in one language.
#[derive(Debug, Clone, Serialize)]
pub struct Fix {
    /// The kb entry id.
    pub kb: String,
    pub title: String,
    /// The kb server tag of the detected server (`generic` when unknown).
    pub server: String,
    pub steps: Vec<FixStep>,
    /// Server tags whose commands are folded somewhere in `steps[].other_servers`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other_servers: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub see_also: Vec<SeeAlso>,
    /// Placeholders the capture had a value for that was refused as unsafe (kept as `<name>`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub withheld: Vec<&'static str>,
}

/// Fill `{name}` placeholders; unknown `{...}` (config braces) stay as they are. A missing or
/// unsafe value leaves `<name>`; unsafe names are added to `withheld`. `{method}` without a
/// value reads REGISTER in prose (`prose`), `<method>` in commands.
fn fill(text: &str, ctx: &FixContext, prose: bool, withheld: &mut Vec<&'static str>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let name = after
            .find('}')
            .map(|j| &after[..j])
            .and_then(|n| PLACEHOLDERS.iter().find(|p| **p == n));
        match name {
            Some(&name) => {
                match ctx.value(name) {
                    Some(v) if safe_value(&v) => out.push_str(&v),
                    Some(_) => {
                        if !withheld.contains(&name) {
                            withheld.push(name);
                        }
                        out.push_str(&format!("<{name}>"));
                    }
                    None if prose && name == "method" => out.push_str("REGISTER"),
                    None => out.push_str(&format!("<{name}>")),
                }
                rest = &after[name.len() + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A kb command with no capture behind it: every `{name}` shown as the visible `<name>`.
pub fn unfilled(text: &str) -> String {
    fill(text, &FixContext::default(), false, &mut Vec::new())
}

/// Build the fix of `entry` for this server and capture.
pub fn build(entry: &Entry, server: ServerKind, ctx: &FixContext, done: &[Did], lang: Lang) -> Fix {
    let tag = server_tag(server);
    let mut withheld = Vec::new();
    let mut other_tags: Vec<String> = Vec::new();
    let method = ctx.method.unwrap_or(Method::Register).wire();
    let mut steps = Vec::new();
    for s in &entry.steps {
        if !s.applies_to.is_empty() && !s.applies_to.iter().any(|m| m.eq_ignore_ascii_case(method))
        {
            continue;
        }
        let cmd = |c: &kb::Command, w: &mut Vec<&'static str>| FixCommand {
            server: c.server.clone(),
            text: fill(&c.command, ctx, false, w),
        };
        let mut own = Vec::new();
        let mut neutral = Vec::new();
        let mut others = Vec::new();
        for c in &s.commands {
            let fc = cmd(c, &mut withheld);
            if server != ServerKind::Unknown && c.server == tag {
                own.push(fc);
            } else if NEUTRAL.contains(&c.server.as_str()) {
                neutral.push(fc);
            } else if server == ServerKind::Unknown {
                // No server detected: every server's commands, after the generic ones.
                others.push(fc);
            } else {
                if !other_tags.contains(&c.server) {
                    other_tags.push(c.server.clone());
                }
                others.push(fc);
            }
        }
        own.extend(neutral);
        if server == ServerKind::Unknown {
            own.append(&mut others);
        }
        let done_by = s.done_by.as_deref().and_then(Did::from_wire);
        steps.push(FixStep {
            title: fill(s.title(lang), ctx, true, &mut withheld),
            detail: fill(s.detail(lang), ctx, true, &mut withheld),
            check: fill(s.check(lang), ctx, true, &mut withheld),
            done: done_by.is_some_and(|d| done.contains(&d)),
            done_by: done_by.map(Did::wire),
            commands: own,
            other_servers: others,
        });
    }
    Fix {
        kb: entry.id.clone(),
        title: entry.title(lang).to_string(),
        server: tag.to_string(),
        steps,
        other_servers: other_tags,
        see_also: Vec::new(),
        withheld,
    }
}

/// The fix for a finding: its main entry's steps, the related entries as `see_also`.
pub fn fix_for(
    code: FindingCode,
    server: ServerKind,
    hints: &FixHints,
    ctx: &FixContext,
    done: &[Did],
    lang: Lang,
) -> Option<Fix> {
    let entries = entries_for(code, server, hints);
    let (first, rest) = entries.split_first()?;
    let mut fix = build(first, server, ctx, done, lang);
    fix.see_also = rest
        .iter()
        .map(|e| SeeAlso {
            kb: e.id.clone(),
            title: e.title(lang).to_string(),
        })
        .collect();
    Some(fix)
}

/// A display name for a kb server tag.
pub fn server_label(tag: &str, lang: Lang) -> &str {
    match tag {
        "asterisk-pjsip" => "Asterisk PJSIP",
        "asterisk-chan_sip" => "Asterisk chan_sip",
        "freeswitch" => "FreeSWITCH",
        "kamailio" => "Kamailio",
        "opensips" => "OpenSIPS",
        "linux" => "Linux",
        "generic" => pick(lang, "any server", "任意服务器", "mọi máy chủ"),
        "phone" => pick(lang, "phone", "话机", "điện thoại"),
        other => other,
    }
}

fn pick(lang: Lang, en: &'static str, zh: &'static str, vi: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
        Lang::Vi => vi,
    }
}

/// Words of the rendered fix.
struct Words {
    server: &'static str,
    check: &'static str,
    other: &'static str,
    see_also: &'static str,
    withheld: &'static str,
    /// After a label: ": ", or the full-width "：" in Chinese.
    colon: &'static str,
}

impl Words {
    /// `s` in parentheses after a space, or in full-width ones in Chinese.
    fn paren(&self, s: &str) -> String {
        if self.colon == "：" {
            format!("（{s}）")
        } else {
            format!(" ({s})")
        }
    }
}

fn words(lang: Lang) -> Words {
    match lang {
        Lang::En => Words {
            server: "Server",
            check: "Check",
            other: "Other servers",
            see_also: "See also",
            withheld: "Left as placeholders (the capture's value is not safe to paste into a shell)",
            colon: ": ",
        },
        Lang::Zh => Words {
            server: "服务器",
            check: "检查",
            other: "其他服务器",
            see_also: "另见",
            withheld: "保留为占位符（抓包中的值不能安全地粘贴到 shell 中）",
            colon: "：",
        },
        Lang::Vi => Words {
            server: "Máy chủ",
            check: "Kiểm tra",
            other: "Máy chủ khác",
            see_also: "Xem thêm",
            withheld: "Giữ nguyên chỗ trống (giá trị trong bản bắt gói không an toàn để dán vào shell)",
            colon: ": ",
        },
    }
}

/// Markdown prose: `<`, `>` and `&` would be read as HTML, `*` and a backtick as markup; escape
/// them with a backslash, never with an entity. (`_` inside words and a bare `[x]` are literal
/// in CommonMark and stay readable.)
fn md_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '<' | '>' | '&' | '*' | '`' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A fenced code block longer than any backtick run inside `text`.
fn md_fence(out: &mut String, indent: &str, text: &str) {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest.max(2) + 1);
    out.push_str(&format!("{indent}{fence}\n"));
    for line in text.lines() {
        out.push_str(&format!("{indent}{line}\n"));
    }
    out.push_str(&format!("{indent}{fence}\n"));
}

fn md_commands(out: &mut String, cmds: &[FixCommand], lang: Lang) {
    for c in cmds {
        out.push_str(&format!(
            "\n{}:\n\n",
            md_text(server_label(&c.server, lang))
        ));
        md_fence(out, "", &c.text);
    }
}

/// The fix as Markdown: title once, numbered steps, every command or config in a fenced block,
/// other servers' commands under their own heading per step.
pub fn to_markdown(fix: &Fix, lang: Lang) -> String {
    let w = words(lang);
    let mut out = format!("### {}\n\n", md_text(&fix.title));
    out.push_str(&format!(
        "{}{}{} · `{}`\n",
        w.server,
        w.colon,
        md_text(server_label(&fix.server, lang)),
        fix.kb
    ));
    for (i, s) in fix.steps.iter().enumerate() {
        out.push_str(&format!("\n#### {}. {}\n\n", i + 1, md_text(&s.title)));
        if let (true, Some(d)) = (s.done, s.done_by.and_then(Did::from_wire)) {
            out.push_str(&format!("✓ {}\n\n", md_text(d.note(lang))));
        }
        if !s.detail.is_empty() {
            out.push_str(&format!("{}\n", md_text(&s.detail)));
        }
        md_commands(&mut out, &s.commands, lang);
        if !s.check.is_empty() {
            out.push_str(&format!("\n{}{}{}\n", w.check, w.colon, md_text(&s.check)));
        }
        if !s.other_servers.is_empty() {
            out.push_str(&format!("\n**{}**\n", w.other));
            md_commands(&mut out, &s.other_servers, lang);
        }
    }
    if !fix.see_also.is_empty() {
        out.push_str(&format!("\n{}{}\n\n", w.see_also, w.colon.trim_end()));
        for s in &fix.see_also {
            out.push_str(&format!("- {} (`{}`)\n", md_text(&s.title), s.kb));
        }
    }
    if !fix.withheld.is_empty() {
        out.push_str(&format!(
            "\n{}{}{}\n",
            w.withheld,
            w.colon,
            fix.withheld.join(", ")
        ));
    }
    out
}

fn text_commands(out: &mut String, cmds: &[FixCommand], lang: Lang, indent: &str) {
    for c in cmds {
        out.push_str(&format!("{indent}[{}]\n", server_label(&c.server, lang)));
        for line in c.text.lines() {
            out.push_str(&format!("{indent}  {line}\n"));
        }
    }
}

/// The fix as plain text for the CLI (other servers' commands indented under their heading).
pub fn to_text(fix: &Fix, lang: Lang) -> String {
    let w = words(lang);
    let comma = if w.colon == "：" { "，" } else { ", " };
    let server = format!("{}{}{}", w.server, w.colon, server_label(&fix.server, lang));
    let mut out = format!(
        "{}{}\n",
        fix.title,
        w.paren(&format!("{server}{comma}{}", fix.kb))
    );
    for (i, s) in fix.steps.iter().enumerate() {
        let mark = if s.done { "✓ " } else { "" };
        out.push_str(&format!("\n{}. {mark}{}\n", i + 1, s.title));
        if let (true, Some(d)) = (s.done, s.done_by.and_then(Did::from_wire)) {
            out.push_str(&format!("   ({})\n", d.note(lang)));
        }
        if !s.detail.is_empty() {
            out.push_str(&format!("   {}\n", s.detail));
        }
        text_commands(&mut out, &s.commands, lang, "   ");
        if !s.check.is_empty() {
            out.push_str(&format!("   {}{}{}\n", w.check, w.colon, s.check));
        }
        if !s.other_servers.is_empty() {
            out.push_str(&format!("   {}{}\n", w.other, w.colon.trim_end()));
            text_commands(&mut out, &s.other_servers, lang, "     ");
        }
    }
    if !fix.see_also.is_empty() {
        out.push_str(&format!("\n{}{}\n", w.see_also, w.colon.trim_end()));
        for s in &fix.see_also {
            out.push_str(&format!("  - {}{}\n", s.title, w.paren(&s.kb)));
        }
    }
    if !fix.withheld.is_empty() {
        out.push_str(&format!(
            "\n{}{}{}\n",
            w.withheld,
            w.colon,
            fix.withheld.join(", ")
        ));
    }
    out
}

pub mod capture;

#[cfg(test)]
mod tests;
