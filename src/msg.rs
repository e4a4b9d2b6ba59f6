//! The core's message catalogue: every sentence the diagnosis, the wizard's steps, the census
//! and the client settings show, and every error the CLI and the GUI say (a capture that cannot
//! be read, why the system refused with [`io_reason`], bad input), in English, Chinese (zh-CN)
//! and Vietnamese.
//!
//! A leaf module (it imports nothing of the crate), so every layer can state a message without
//! importing one above it. A message is a [`Msg`] id (an enum, see [`catalogue`]) with named
//! parameters: a [`Text`]. Values from the capture (users, frames, addresses, header values,
//! counts) are parameters and never translated; a parameter can itself be a [`Text`] (a server's
//! name that may be "the server", a clause), a list of texts, or a duration rendered in the
//! language's units.
//!
//! Templates name their parameters `{name}`. English plurals are `{name|one|other}`: `one`
//! when the parameter is `1`, else `other` (Chinese and Vietnamese do not inflect for number,
//! so their templates only name the count). The words follow `kb/glossary.json` (a test in
//! `crate::kb` holds the catalogue to it).

pub mod catalogue;

pub use catalogue::Msg;

/// The language texts are shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Lang {
    #[default]
    En,
    Zh,
    Vi,
}

impl Lang {
    /// Every language, English first.
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Zh, Lang::Vi];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
            Lang::Vi => "vi",
        }
    }
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "en" | "english" => Ok(Lang::En),
            "zh" | "zh-cn" | "zh_cn" | "chinese" | "cn" => Ok(Lang::Zh),
            "vi" | "vi-vn" | "vi_vn" | "vietnamese" => Ok(Lang::Vi),
            other => Err(format!("unknown language '{other}' (use en, zh or vi)")),
        }
    }
}

impl Lang {
    /// The language a locale name stands for: `zh_CN.UTF-8`, `zh-TW`, `zh` are Chinese,
    /// `vi_VN.UTF-8` Vietnamese, anything else (`en_US.UTF-8`, `C`, `POSIX`) English. `None`
    /// for an empty name (the variable says nothing).
    pub fn from_locale(name: &str) -> Option<Lang> {
        let n = name.trim().to_ascii_lowercase();
        if n.is_empty() {
            None
        } else if n.starts_with("zh") || n == "chinese" || n == "cn" {
            Some(Lang::Zh)
        } else if n.starts_with("vi") {
            Some(Lang::Vi)
        } else {
            Some(Lang::En)
        }
    }

    /// The language of the environment, looked up with `var`: `SIPDOCTOR_LANG` first, then
    /// the POSIX locale variables in their order of precedence (`LC_ALL`, `LC_MESSAGES`,
    /// `LANG`); English when none is set. Used for what is said before (or without) a
    /// `--lang`, such as the CLI's errors.
    pub fn from_env_with(var: impl Fn(&str) -> Option<String>) -> Lang {
        ["SIPDOCTOR_LANG", "LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|v| var(v).and_then(|s| Lang::from_locale(&s)))
            .unwrap_or_default()
    }

    /// [`Lang::from_env_with`] on the process's environment.
    pub fn from_env() -> Lang {
        Lang::from_env_with(|v| std::env::var(v).ok())
    }
}

/// Why the system refused, in words of the catalogue: one id per [`std::io::ErrorKind`] a
/// user meets (a missing file, a refused connection, a full disk...). Only a kind with no id
/// of its own keeps the system's text, quoted, as a parameter (the OS words are English).
pub fn io_reason(e: &std::io::Error) -> Text {
    use std::io::ErrorKind as K;
    let id = match e.kind() {
        K::NotFound => Msg::IoNotFound,
        K::PermissionDenied => Msg::IoPermission,
        K::ConnectionRefused => Msg::IoRefused,
        K::ConnectionReset => Msg::IoReset,
        K::ConnectionAborted => Msg::IoAborted,
        K::NotConnected => Msg::IoNotConnected,
        K::AddrInUse => Msg::IoAddrInUse,
        K::AddrNotAvailable => Msg::IoAddrNotAvailable,
        K::NetworkUnreachable => Msg::IoNetUnreachable,
        K::HostUnreachable => Msg::IoHostUnreachable,
        K::NetworkDown => Msg::IoNetDown,
        // A socket read timeout is EAGAIN on Unix (WouldBlock), ETIMEDOUT elsewhere.
        K::TimedOut | K::WouldBlock => Msg::IoTimedOut,
        K::BrokenPipe => Msg::IoBrokenPipe,
        K::Interrupted => Msg::IoInterrupted,
        K::IsADirectory => Msg::IoIsDirectory,
        K::NotADirectory => Msg::IoNotDirectory,
        K::InvalidData => Msg::IoInvalidData,
        K::InvalidInput => Msg::IoInvalidInput,
        K::UnexpectedEof => Msg::IoUnexpectedEof,
        K::StorageFull | K::QuotaExceeded => Msg::IoStorageFull,
        K::ReadOnlyFilesystem => Msg::IoReadOnly,
        K::FileTooLarge => Msg::IoFileTooLarge,
        K::OutOfMemory => Msg::IoOutOfMemory,
        K::AlreadyExists => Msg::IoAlreadyExists,
        K::Unsupported => Msg::IoUnsupported,
        _ => return Text::new(Msg::IoOther).arg("os", e.to_string()),
    };
    Text::new(id)
}

/// Why a frame or a message was skipped, said by the wire name of its reason
/// (`capture::SkipReason::as_str`, passed as a string so this module stays a leaf): English
/// keeps the name itself, Chinese and Vietnamese say it in words and keep the name after them.
/// A name without an id of its own (a reason added later) is shown as it is.
pub fn skip_reason(name: &str) -> Text {
    use Msg::*;
    let id = match name {
        "truncated-file" => SkTruncatedFile,
        "corrupt-record" => SkCorruptRecord,
        "rejected-record" => SkRejectedRecord,
        "read-error" => SkReadError,
        "truncated-frame" => SkTruncatedFrame,
        "unknown-linktype" => SkUnknownLinktype,
        "non-ip" => SkNonIp,
        "ip-header-error" => SkIpHeaderError,
        "fragment-incomplete" => SkFragmentIncomplete,
        "fragment-limit" => SkFragmentLimit,
        "fragment-memory-limit" => SkFragmentMemoryLimit,
        "too-deep" => SkTooDeep,
        "not-udp-or-tcp" => SkNotUdpOrTcp,
        "icmp-other" => SkIcmpOther,
        "gre-unsupported" => SkGreUnsupported,
        "gtp-not-user-data" => SkGtpNotUserData,
        "gtp-header-error" => SkGtpHeaderError,
        "udp-header-error" => SkUdpHeaderError,
        "tcp-header-error" => SkTcpHeaderError,
        "not-sip-udp" => SkNotSipUdp,
        "not-sip-tcp" => SkNotSipTcp,
        "tcp-retransmission" => SkTcpRetransmission,
        "tcp-gap" => SkTcpGap,
        "tcp-stream-evicted" => SkTcpStreamEvicted,
        "tcp-memory-limit" => SkTcpMemoryLimit,
        "hep-not-sip" => SkHepNotSip,
        "hep-malformed" => SkHepMalformed,
        "hep-no-payload" => SkHepNoPayload,
        "hep-decompress-error" => SkHepDecompressError,
        "unparseable-sip" => SkUnparseableSip,
        "sip-lost-in-tcp-gap" => SkSipLostInTcpGap,
        "sip-partial-at-stream-start" => SkSipPartialAtStreamStart,
        "sip-header-too-large" => SkSipHeaderTooLarge,
        "sip-body-too-large" => SkSipBodyTooLarge,
        "sip-incomplete-at-close" => SkSipIncompleteAtClose,
        "sip-incomplete-at-end" => SkSipIncompleteAtEnd,
        "sip-too-many-headers" => SkSipTooManyHeaders,
        "sip-too-many-challenges" => SkSipTooManyChallenges,
        other => return Text::new(ProtoValue).arg("value", other),
    };
    Text::new(id)
}

/// One parameter of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// A value shown as it is (a user, a frame number, an address, a header value).
    Plain(String),
    /// A message of its own, rendered in the same language.
    Text(Box<Text>),
    /// Messages joined with the language's list separator.
    List(Vec<Text>),
    /// A duration in seconds, in the language's units ("3 min 12 s", "3 分 12 秒").
    Duration(u64),
    /// A signed clock skew in seconds ("+3 min 12 s").
    Skew(i64),
    /// A count, its thousands grouped as the language writes them ("437,880", "437.880").
    Count(u64),
}

/// A count parameter (see [`Arg::Count`]): for numbers a server capture makes large, such as
/// messages, exchanges and accounts; never for frame numbers or other identifiers.
pub fn count(n: usize) -> Arg {
    Arg::Count(n as u64)
}

/// `n` with its thousands grouped: "," in English and Chinese, "." in Vietnamese.
pub fn group_thousands(n: u64, lang: Lang) -> String {
    let sep = match lang {
        Lang::En | Lang::Zh => ',',
        Lang::Vi => '.',
    };
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// Values shown as they are.
macro_rules! plain_args {
    ($($t:ty),*) => {
        $(impl From<$t> for Arg {
            fn from(v: $t) -> Arg {
                Arg::Plain(v.to_string())
            }
        })*
    };
}

plain_args!(
    String,
    &str,
    &String,
    &&str,
    char,
    u8,
    u16,
    u32,
    u64,
    usize,
    i32,
    i64,
    &u64,
    &usize,
    std::net::IpAddr,
    std::net::SocketAddr,
    &crate::sip::Sym,
    crate::sip::Endpoint
);

/// A text's English words (`{}`); [`Text::render`] gives any language.
impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.en())
    }
}

impl From<Text> for Arg {
    fn from(t: Text) -> Arg {
        Arg::Text(Box::new(t))
    }
}

impl From<Msg> for Arg {
    fn from(m: Msg) -> Arg {
        Arg::Text(Box::new(Text::new(m)))
    }
}

/// A message id with its parameters: rendered in any language with [`Text::render`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub id: Msg,
    pub args: Vec<(&'static str, Arg)>,
}

/// `text!(Id)` or `text!(Id, name = value, ...)`: a [`Text`] of the catalogue.
#[macro_export]
macro_rules! text {
    ($id:ident $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::msg::Text::new($crate::msg::Msg::$id)
            $(.arg(stringify!($name), $value))*
    };
}

impl Text {
    pub fn new(id: Msg) -> Text {
        Text {
            id,
            args: Vec::new(),
        }
    }

    /// A signed clock skew alone ("+3 min 12 s"), in any language.
    pub fn from_skew(secs: i64) -> Text {
        text!(Skew, skew = Arg::Skew(secs))
    }

    /// Add a named parameter.
    pub fn arg(mut self, name: &'static str, value: impl Into<Arg>) -> Text {
        self.args.push((name, value.into()));
        self
    }

    /// The parameter named `name`.
    pub fn get(&self, name: &str) -> Option<&Arg> {
        self.args.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// The message in `lang`, parameters filled in.
    pub fn render(&self, lang: Lang) -> String {
        fill(self.id.template(lang), lang, |name| self.get(name))
    }

    /// The English text (the JSON contract's fields and the default reports).
    pub fn en(&self) -> String {
        self.render(Lang::En)
    }
}

/// A text in a JSON document is its English words (the contract's language); screens and
/// reports render it in the user's with [`Text::render`].
impl serde::Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.en())
    }
}

/// Test texts (a literal stands for itself); production code states message ids.
#[cfg(test)]
impl From<&str> for Text {
    fn from(s: &str) -> Text {
        text!(Verbatim, text = s)
    }
}

/// Unit tests read a text as its English words.
#[cfg(test)]
impl Text {
    pub fn contains(&self, p: &str) -> bool {
        self.en().contains(p)
    }
    pub fn starts_with(&self, p: &str) -> bool {
        self.en().starts_with(p)
    }
    pub fn ends_with(&self, p: &str) -> bool {
        self.en().ends_with(p)
    }
}

#[cfg(test)]
impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.en() == *other
    }
}

#[cfg(test)]
impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.en() == other
    }
}

#[cfg(test)]
impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        self.en() == *other
    }
}

fn render_arg(a: &Arg, lang: Lang) -> String {
    match a {
        Arg::Plain(s) => s.clone(),
        Arg::Text(t) => t.render(lang),
        Arg::List(v) => {
            let sep = match lang {
                Lang::Zh => "，",
                Lang::En | Lang::Vi => ", ",
            };
            v.iter()
                .map(|t| t.render(lang))
                .collect::<Vec<_>>()
                .join(sep)
        }
        Arg::Duration(s) => format_duration_in(*s, lang),
        Arg::Count(n) => group_thousands(*n, lang),
        Arg::Skew(s) => {
            let sign = if *s < 0 { '-' } else { '+' };
            format!("{sign}{}", format_duration_in(s.unsigned_abs(), lang))
        }
    }
}

/// Fill `{name}` and `{name|one|other}` in `template`. An unknown name stays as written (the
/// catalogue's tests forbid it).
fn fill<'a>(template: &str, lang: Lang, get: impl Fn(&str) -> Option<&'a Arg>) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let inner = &after[..close];
        let mut parts = inner.split('|');
        let name = parts.next().unwrap_or("");
        match (get(name), parts.next(), parts.next()) {
            (Some(a), Some(one), Some(other)) => {
                let n = render_arg(a, lang);
                out.push_str(if n == "1" { one } else { other });
            }
            (Some(a), _, _) => out.push_str(&render_arg(a, lang)),
            (None, _, _) => {
                out.push('{');
                out.push_str(inner);
                out.push('}');
            }
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// The parameter names a template uses (`{name}` and `{name|..|..}`).
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let name = after[..close].split('|').next().unwrap_or("");
        if !out.contains(&name) {
            out.push(name);
        }
        rest = &after[close + 1..];
    }
    out.sort_unstable();
    out
}

/// A duration, readable, in the language's units: `"42 s"`, `"3 min 12 s"`, `"5 h 2 min"`,
/// `"1711 days 22 h"` in English.
pub fn format_duration_in(secs: u64, lang: Lang) -> String {
    let (d, h, m, s) = match lang {
        Lang::En => (" days ", " h", " min", " s"),
        Lang::Zh => (" 天 ", " 小时", " 分", " 秒"),
        Lang::Vi => (" ngày ", " giờ", " phút", " giây"),
    };
    match secs {
        x if x < 60 => format!("{x}{s}"),
        x if x < 3600 => format!("{}{m} {}{s}", x / 60, x % 60),
        x if x < 86_400 => format!("{}{h} {}{m}", x / 3600, (x / 60) % 60),
        x => format!("{}{d}{}{h}", x / 86_400, (x / 3600) % 24),
    }
}

#[cfg(test)]
mod tests;
