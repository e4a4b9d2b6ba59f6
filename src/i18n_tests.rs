//! Every word in the chosen language: the lab captures (and synthetic exchanges for the codes
//! the lab cannot make on loopback) are diagnosed, verified with the lab passwords, and every
//! finding (title, explanation, causes, evidence), verdict, census, step name and summary (the
//! wizard's status line), verification, report heading and step-5 checklist paragraph is
//! rendered in Chinese and Vietnamese. A run of three English words left in any of them fails.
//!
//! Values stay as they are (users, frames, addresses, header names, commands, protocol tokens
//! such as `SIP/2.0`, `REGISTER`, `401`, `stale=true`): they are not runs of lowercase English
//! words, or they are in [`KEEP`].

use std::collections::BTreeSet;
use std::sync::OnceLock;

use crate::clients;
use crate::diagnose::testutil::{
    PBX, PHONE, fixture, register, response, server_rewritten, undiagnosed,
};
use crate::finding::FindingCode;
use crate::model::{Analysis, TlsNote};
use crate::msg::{Lang, Msg};
use crate::secret::Secret;
use crate::verify::Expectation;

/// Lowercase words that stay as written in every language: protocol parameters, commands and
/// their arguments, product names.
const KEEP: &[&str] = &[
    "realm",
    "nonce",
    "uri",
    "qop",
    "username",
    "algorithm",
    "stale",
    "auth",
    "int",
    "digest",
    "md5",
    "sha",
    "pjsip",
    "endpoint",
    "sngrep",
    "rport",
    "nated",
    "unbanip",
    "htable",
    "pike",
    "fail2ban",
    "kamailio",
    "asterisk",
    "sip",
    "alg",
    "passthrough",
    "userhash",
    "cnonce",
    "nc",
    "sess",
    "conf",
    "ok",
    "udp",
    "tcp",
    "tls",
    "ntp",
    "id",
    "au",
    "kb",
    "communication",
    "permissions",
    "outbound",
    "proxy",
    "registrar",
    "jail",
];

/// Common English words (beside the English templates' own) a leftover sentence would use.
const COMMON: &[&str] = &[
    "the",
    "a",
    "an",
    "and",
    "or",
    "but",
    "of",
    "to",
    "in",
    "on",
    "at",
    "by",
    "for",
    "from",
    "with",
    "without",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "it",
    "its",
    "this",
    "that",
    "these",
    "those",
    "there",
    "here",
    "has",
    "have",
    "had",
    "do",
    "does",
    "did",
    "can",
    "cannot",
    "will",
    "would",
    "should",
    "must",
    "may",
    "might",
    "so",
    "then",
    "than",
    "when",
    "while",
    "which",
    "what",
    "who",
    "whose",
    "where",
    "why",
    "how",
    "all",
    "any",
    "some",
    "every",
    "each",
    "one",
    "two",
    "more",
    "most",
    "less",
    "other",
    "another",
    "again",
    "also",
    "only",
    "just",
    "yet",
    "still",
    "very",
    "too",
    "into",
    "out",
    "up",
    "down",
    "over",
    "under",
    "after",
    "before",
    "about",
    "as",
    "if",
    "because",
    "phone",
    "server",
    "password",
    "account",
    "accounts",
    "challenge",
    "request",
    "answer",
    "answered",
    "refused",
    "wrong",
    "right",
    "check",
    "type",
    "step",
    "capture",
    "clock",
    "frame",
    "frames",
    "sent",
    "seen",
];

/// The English vocabulary: the words of every English template, and [`COMMON`], without
/// [`KEEP`].
fn english_words() -> &'static BTreeSet<String> {
    static W: OnceLock<BTreeSet<String>> = OnceLock::new();
    W.get_or_init(|| {
        let mut w: BTreeSet<String> = COMMON.iter().map(|s| s.to_string()).collect();
        for &m in Msg::ALL {
            for t in tokens(m.template(Lang::En)) {
                let t = t.to_lowercase();
                if is_word(&t) {
                    w.insert(t);
                }
            }
        }
        for k in KEEP {
            w.remove(*k);
        }
        w
    })
}

/// Maximal runs of letters and digits (a letter with a diacritic is a letter: "nhưng" is one
/// token), and the separators between them.
fn tokens(s: &str) -> Vec<&str> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect()
}

fn is_word(t: &str) -> bool {
    t.len() >= 2 && t.chars().all(|c| c.is_ascii_lowercase())
}

/// `s` without its quoted values: "…" always, '…' when the quote opens after a non-letter
/// (an apostrophe inside a word, as in "phone's", opens nothing).
fn without_quotes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for c in s.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || (c == '\'' && !prev.is_alphanumeric()) => {
                quote = Some(c);
                out.push(' ');
            }
            None => out.push(c),
        }
        prev = c;
    }
    out
}

/// Runs of three or more English words separated by spaces only, in `s`.
pub fn english_runs(s: &str) -> Vec<String> {
    let unquoted = without_quotes(s);
    let s: &str = &unquoted;
    let words = english_words();
    let mut out = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    let mut flush = |run: &mut Vec<&str>| {
        if run.len() >= 3 {
            out.push(run.join(" "));
        }
        run.clear();
    };
    // Split into (token, separator-before) pairs.
    let mut rest = s;
    let mut sep_ok = true;
    while !rest.is_empty() {
        let start = rest
            .find(|c: char| c.is_alphanumeric())
            .unwrap_or(rest.len());
        let sep = &rest[..start];
        rest = &rest[start..];
        if rest.is_empty() {
            break;
        }
        let end = rest
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(rest.len());
        let tok = &rest[..end];
        rest = &rest[end..];
        // A token glued to punctuation that makes it an identifier (stale=true, a_b, a/b,
        // a-b, a.b) is a value, not a word.
        let glued = sep.ends_with(['=', '_', '/', '-', '.', '<', '@', ':', '$', '\''])
            || rest.starts_with(['=', '_', '/', '-', '<', '>', '@', '(', '$', '\''])
            || (rest.starts_with('.') && rest[1..].starts_with(|c: char| c.is_alphanumeric()));
        let is_en = !glued && is_word(tok) && words.contains(tok);
        let joined = sep.chars().all(|c| c == ' ') && !sep.is_empty();
        if is_en && (run.is_empty() || (joined && sep_ok)) {
            run.push(tok);
        } else {
            flush(&mut run);
            if is_en {
                run.push(tok);
            }
        }
        sep_ok = true;
    }
    flush(&mut run);
    out
}

/// Every sentence of one analysis in `lang`, each with where it comes from.
fn sentences(a: &Analysis, lang: Lang) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for f in &a.findings {
        let at = |what: &str| format!("{} {what}", f.code);
        out.push((at("title"), f.title_in(lang)));
        out.push((at("explanation"), f.explanation_in(lang)));
        for c in f.causes_in(lang) {
            out.push((at("cause"), c));
        }
        for e in &f.evidence {
            out.push((at("evidence"), e.text_in(lang)));
        }
    }
    out.push(("verdict".into(), crate::report::verdict_in(a, lang)));
    if let Some(c) = a.census() {
        out.push(("census".into(), c.sentence_in(lang)));
    }
    for s in crate::diagnose::steps(a) {
        out.push((format!("step {} name", s.step), s.name_in(lang).into()));
        out.push((format!("step {} summary", s.step), s.summary_in(lang)));
    }
    for v in &a.verifications {
        out.push(("verification".into(), v.explanation_in(lang)));
        for d in &v.texts.detail {
            out.push(("verification detail".into(), d.render(lang)));
        }
    }
    // The reports' words (commands and the call flows' lines as captured aside).
    let md = crate::report::markdown(a, lang);
    out.push(("markdown report".into(), without_code(&md)));
    let text = crate::report::analysis_text(a, lang);
    out.push(("text report".into(), without_commands(&text)));
    // `flows`: the header, the count and the ladders' words (the messages' lines as captured).
    out.push(("flows text".into(), crate::report::flows_text_in(a, lang)));
    out
}

/// The text report without the fix's command lines (indented five spaces under their
/// `[server]` label).
fn without_commands(text: &str) -> String {
    text.lines()
        .filter(|l| !l.starts_with("     "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Markdown without its code blocks and code spans (commands and values, kept as written).
fn without_code(md: &str) -> String {
    let mut out = String::new();
    for (i, part) in md.split("```").enumerate() {
        if i % 2 == 0 {
            for (j, p) in part.split('`').enumerate() {
                if j % 2 == 0 {
                    out.push_str(p);
                }
            }
        }
    }
    out
}

/// The step-5 checklist for an account with something to say in every item.
fn checklists(lang: Lang) -> Vec<(String, String)> {
    let a = clients::Account {
        user: "1001 ".into(),
        auth_user: Some("auth1001 ".into()),
        domain: "192.0.2.10".into(),
        proxy: Some("sbc.example.net:5080".into()),
        transport: crate::capture::Transport::Tls,
        port: None,
        realm: Some("asterisk".into()),
    };
    let b = clients::Account {
        domain: "pbx.example.com".into(),
        ..a.clone()
    };
    let secret = Secret::password("s3cret ");
    let mut out = Vec::new();
    for acc in [&a, &b] {
        let g = clients::generate_in(acc, Some(&secret), lang).expect("valid account");
        for c in g.checklist {
            out.push(("checklist setting".into(), c.setting));
            out.push(("checklist why".into(), c.why));
            if let Some(f) = c.finding {
                out.push(("checklist finding".into(), f));
            }
        }
        let none = clients::generate_in(acc, None, lang).expect("valid account");
        out.push(("password note".into(), none.password));
    }
    out
}

/// The summary line and the notes of every clock status sample of tests/samples (step 4's
/// paste), and the note on a paste cut to the limits.
fn clock_pastes(lang: Lang) -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/samples");
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        let text = std::fs::read_to_string(e.path()).unwrap_or_default();
        if let Ok(st) = crate::checks::clock::parse(&text) {
            out.push((name.clone(), st.summary_in(lang)));
            for n in &st.notes {
                out.push((format!("{name} (note)"), n.render(lang)));
            }
        }
    }
    assert!(out.len() >= 10, "clock samples parsed: {}", out.len());
    let long = "x".repeat(crate::limits::MAX_LINE_BYTES + 1);
    let limits = crate::checks::bounded(&long).1;
    out.push(("a long paste".into(), limits.text().unwrap().render(lang)));
    out
}

/// The lab captures, as the pipeline sees them and verified with each password of lab.json.
fn lab_analyses() -> Vec<(String, Analysis)> {
    let lab: serde_json::Value =
        serde_json::from_str(include_str!("../tests/fixtures/lab.json")).unwrap();
    let mut out = Vec::new();
    for row in lab.as_array().unwrap() {
        let file = row["file"].as_str().unwrap();
        if file.starts_with('9') {
            // 90-94: unreadable files, no analysis (92 and 94 are below).
            continue;
        }
        let a = fixture(file);
        let mut passwords: Vec<&str> = row["server_passwords"]
            .as_object()
            .map(|m| m.values().filter_map(|v| v.as_str()).collect())
            .unwrap_or_default();
        passwords.extend(row["client_password"].as_str());
        for (i, p) in passwords.into_iter().enumerate() {
            let mut v = a.clone();
            v.verify_with(&Secret::password(p), &Expectation::default());
            out.push((format!("{file} verified #{i}"), v));
        }
        out.push((file.to_string(), a));
    }
    for f in ["92-no-sip.pcap", "94-header-only.pcap"] {
        out.push((f.to_string(), fixture(f)));
    }
    out
}

/// Exchanges the lab cannot produce on loopback: a 407 answered with Authorization, NAT, TLS,
/// an Asterisk that refuses a right password, a typed HA1 for another realm.
fn synthetic() -> Vec<(String, Analysis)> {
    use crate::diagnose::testutil::{diagnosed, two_attempts};
    let chal = "Proxy-Authenticate: Digest realm=\"pbx.example\", nonce=\"n1\"\n";
    let auth = "Authorization: Digest username=\"1001\", realm=\"pbx.example\", nonce=\"n1\", \
                uri=\"sip:pbx.example\", response=\"00000000000000000000000000000000\"\n";
    let wrong_header = diagnosed(two_attempts(
        "407 Proxy Authentication Required",
        chal,
        auth,
        "407 Proxy Authentication Required",
        chal,
    ));
    let r = register(1, "z9hG4bK1", "192.168.1.20", "");
    let ok = response("200 OK", 1, "z9hG4bK1", "");
    let nat = diagnosed(undiagnosed(&[(PHONE, PBX, 0, &r), (PBX, PHONE, 10, &ok)]));
    let mut tls = undiagnosed(&[]);
    tls.tls.push(TlsNote {
        frame: 7,
        ts: 0,
        src: PHONE.parse().unwrap(),
        dst: "198.51.100.1:5061".parse().unwrap(),
        handshake: true,
    });
    let tls = diagnosed(tls);
    // The real capture 02, its Server header Asterisk's, verified with what the phone sends.
    let mut ast = server_rewritten("02-register-wrong-password.pcap", "Asterisk PBX 20.5.0");
    ast.verify_with(&Secret::password("wrong-1001"), &Expectation::default());
    let mut ha1 = fixture("07-register-realm-mismatch.pcap");
    ha1.verify_with(&Secret::ha1("0".repeat(32)), &Expectation::default());
    vec![
        ("407 answered with Authorization".into(), wrong_header),
        ("NAT".into(), nat),
        ("TLS".into(), tls),
        ("Asterisk, right password refused".into(), ast),
        ("HA1 for another realm".into(), ha1),
    ]
}

fn leftovers(items: &[(String, String)], lang: Lang, from: &str) -> Vec<String> {
    let mut bad = Vec::new();
    for (what, s) in items {
        for run in english_runs(s) {
            bad.push(format!("{from} · {what} ({lang:?}): \"{run}\" in: {s}"));
        }
    }
    bad
}

/// Fails with every leftover listed.
fn assert_none_left(bad: &[String]) {
    assert!(
        bad.is_empty(),
        "{} English leftovers:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

#[test]
fn the_detector_flags_an_english_sentence_and_passes_values() {
    assert_eq!(
        english_runs("服务器拒绝了凭据: the server refused the credentials"),
        ["the server refused the credentials"]
    );
    assert!(!english_runs("Máy chủ the server refuses").is_empty());
    // An apostrophe inside a word quotes nothing.
    assert!(!english_runs("话机 the phone's password is not the server's").is_empty());
    // Values, commands and protocol tokens are no English sentence.
    for ok in [
        "质询 realm=\"sipdoctor.lab\"，nonce=\"abc\"，stale=true",
        "请检查 endpoint（pjsip show endpoint / pjsip show auth）",
        "REGISTER (CSeq 2) -> 401，SIP/2.0 401 Unauthorized",
        "Máy chủ trả lời thách thức: tên người dùng xác thực",
        "fail2ban-client status, then unbanip",
        "Asterisk PJSIP 对未知用户同样回 401（其日志中为 'No matching endpoint found'）",
        "Cần khi registrar (máy chủ đăng ký) không truy cập được",
    ] {
        assert_eq!(english_runs(ok), Vec::<String>::new(), "{ok}");
    }
}

#[test]
fn every_finding_step_verdict_census_and_checklist_is_rendered_in_zh_and_vi() {
    let mut all = lab_analyses();
    all.extend(synthetic());
    let mut codes: BTreeSet<FindingCode> = BTreeSet::new();
    let mut bad = Vec::new();
    for lang in [Lang::Zh, Lang::Vi] {
        for (name, a) in &all {
            codes.extend(a.findings.iter().map(|f| f.code));
            bad.extend(leftovers(&sentences(a, lang), lang, name));
        }
        bad.extend(leftovers(&checklists(lang), lang, "step 5"));
        bad.extend(leftovers(&clock_pastes(lang), lang, "step 4 paste"));
        // Every message of the catalogue, its parameters left as placeholders.
        for &m in Msg::ALL {
            let t = m.template(lang).to_string();
            bad.extend(leftovers(&[(format!("{m:?}"), t)], lang, "catalogue"));
        }
    }
    let missing: Vec<_> = FindingCode::ALL
        .iter()
        .filter(|c| !codes.contains(c))
        .collect();
    assert!(missing.is_empty(), "codes never rendered: {missing:?}");
    assert_none_left(&bad);
}

#[test]
fn a_capture_with_many_accounts_never_says_the_phone_in_a_title() {
    let a = fixture("13-office-register-mixed.pcap");
    assert!(a.accounts.len() > 1);
    for lang in Lang::ALL {
        for f in &a.findings {
            let t = f.title_in(lang).to_lowercase();
            assert!(
                !t.contains("the phone") && !t.contains("话机") && !t.contains("điện thoại"),
                "{lang:?}: {t}"
            );
        }
        let v = crate::report::verdict_in(&a, lang).to_lowercase();
        assert!(!v.contains("the phone") && !v.contains("话机"), "{v}");
    }
    // Every title of the catalogue that names the phone has its account form.
    for &m in Msg::ALL {
        let en = m.template(Lang::En).to_lowercase();
        if format!("{m:?}").ends_with("Title") && en.contains("phone") {
            assert!(m.for_accounts().is_some(), "{m:?} has no account form");
        }
    }
}

/// The errors the CLI (and the GUI) can say, each made the way the program makes it: a
/// capture that cannot be read (missing, a folder, empty, text, gzip, cut inside its header,
/// damaged), every `io::ErrorKind` with an id, pasted output that is not recognised, a bad
/// value of an option, a bad digest or probe input, a challenge nobody can answer.
fn cli_errors() -> Vec<(String, crate::msg::Text)> {
    use crate::capture::PacketStream;
    use crate::msg::{Text, io_reason};
    use crate::text;
    use std::io::ErrorKind as K;
    use std::path::{Path, PathBuf};
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!(
        "sipdoctor-i18n-errors-{}-{call}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let real = std::fs::read(fixtures.join("02-register-wrong-password.pcap")).unwrap();
    let real_ng = std::fs::read(fixtures.join("12h-register-wrong-password.pcapng")).unwrap();
    let file = |name: &str, bytes: &[u8]| -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    };
    // A section header claiming 4 GiB, and one with a wrong byte-order magic.
    let mut huge = vec![
        0x0a, 0x0d, 0x0d, 0x0a, 0xf0, 0xff, 0xff, 0xff, 0x4d, 0x3c, 0x2b, 0x1a,
    ];
    huge.extend([0u8; 20]);
    let mut bad_order = real_ng[..32].to_vec();
    bad_order[8..12].copy_from_slice(b"XXXX");
    let captures: Vec<(&str, PathBuf)> = vec![
        ("missing file", dir.join("nothing-here.pcap")),
        ("a folder", dir.clone()),
        ("empty", fixtures.join("93-empty.pcap")),
        ("text file", fixtures.join("91-bad-magic.pcap")),
        ("gzip", file("g.pcap.gz", &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0])),
        ("3 bytes", file("three.pcap", &real[..3])),
        ("pcap cut in its header", file("cut.pcap", &real[..10])),
        (
            "pcapng cut in its header",
            file("cut.pcapng", &real_ng[..40]),
        ),
        ("pcapng header claims 4 GiB", file("huge.pcapng", &huge)),
        ("pcapng header damaged", file("order.pcapng", &bad_order)),
    ];
    let mut out: Vec<(String, Text)> = Vec::new();
    for (what, p) in captures {
        let e = PacketStream::open(&p)
            .err()
            .unwrap_or_else(|| panic!("{what} opens"));
        out.push((format!("capture: {what}"), e.text()));
    }
    let cancel = std::sync::atomic::AtomicBool::new(true);
    let ok = fixtures.join("01-register-ok.pcap");
    let Err(e) = crate::analysis::analyze_file(&ok, &mut |_| {}, &cancel) else {
        panic!("not cancelled")
    };
    out.push(("cancelled".into(), e.text()));
    let no_sip = fixtures.join("94-header-only.pcap");
    let a = crate::analysis::analyze_file(&no_sip, &mut |_| {}, &Default::default()).unwrap();
    let e = crate::report::export_relevant(&a, &no_sip, &dir.join("o.pcap")).unwrap_err();
    out.push(("nothing to save".into(), e.text()));
    let src = file("copy.pcap", &real);
    let e = crate::capture::export_frames(&src, &[1].into(), &src).unwrap_err();
    out.push(("overwrite the source".into(), e.text()));
    let corrupt = crate::Error::Corrupt {
        path: "x.pcap".into(),
        what: crate::error::Corruption::PcapngBlock {
            at: 300,
            detail: "Invalid field value".into(),
        },
    };
    out.push(("pcapng block".into(), corrupt.text()));
    for k in [
        K::NotFound,
        K::PermissionDenied,
        K::ConnectionRefused,
        K::ConnectionReset,
        K::ConnectionAborted,
        K::NotConnected,
        K::AddrInUse,
        K::AddrNotAvailable,
        K::NetworkUnreachable,
        K::HostUnreachable,
        K::NetworkDown,
        K::TimedOut,
        K::WouldBlock,
        K::BrokenPipe,
        K::Interrupted,
        K::IsADirectory,
        K::NotADirectory,
        K::InvalidData,
        K::InvalidInput,
        K::UnexpectedEof,
        K::StorageFull,
        K::ReadOnlyFilesystem,
        K::FileTooLarge,
        K::OutOfMemory,
        K::AlreadyExists,
        K::Unsupported,
    ] {
        let reason = io_reason(&std::io::Error::from(k));
        assert_ne!(reason.id, Msg::IoOther, "{k:?} has no id");
        out.push((
            format!("io {k:?}"),
            text!(CliCannotWrite, path = "r.md", reason = reason),
        ));
    }
    // Pasted output.
    use crate::checks::{clock, fail2ban, serverlog};
    let noise = "hello world, this is not it";
    out.push((
        "fail2ban paste".into(),
        fail2ban::parse(noise).unwrap_err().text(),
    ));
    out.push((
        "clock paste".into(),
        clock::parse(noise).unwrap_err().text(),
    ));
    for paste in [
        "System has not been booted with systemd as init system (PID 1). Can't operate.\nFailed to connect to bus: Host is down",
        "506 Cannot talk to daemon",
    ] {
        out.push((
            "clock tool error".into(),
            clock::parse(paste).unwrap_err().text(),
        ));
    }
    out.push((
        "log paste".into(),
        serverlog::parse(noise).unwrap_err().text(),
    ));
    for (m, f, b) in [
        (Some(0), None, None),
        (None, Some(0), None),
        (None, None, Some(i64::MAX)),
    ] {
        let e = serverlog::BanPolicy::checked(m, f, b).unwrap_err();
        out.push((
            "ban policy".into(),
            text!(CkCommand, kind = "log", e = e.text()),
        ));
    }
    // Values our parsers refuse, as clap hands them over.
    use clap::Parser;
    for argv in [
        &["analyze", "f.pcap", "--client", "1.2.3"][..],
        &["settings", "--user", "1", "--domain", "d", "--lang", "fr"],
        &["probe", "options", "--server", "h", "--transport", "sctp"],
        &["check", "log", "--ip", "not-an-ip"],
        &["probe", "options", "--server", "h", "--timeout", "soon"],
    ] {
        let e = crate::cli::Cli::try_parse_from(
            std::iter::once("sipdoctor-cli").chain(argv.iter().copied()),
        )
        .unwrap_err();
        let t = crate::cli::bad_value(&e).unwrap_or_else(|| panic!("{argv:?}: clap's own: {e}"));
        out.push((format!("argument {argv:?}"), text!(CliError, e = t)));
    }
    // Clap's usage errors, said from their kind and context (cli::usage).
    for argv in [
        &["flows", "f.pcap", "--bogus"][..],
        &["flows", "--jsn", "f.pcap"],
        &["anlyze"],
        &["flows"],
        &[],
        &["kb"],
        &["check", "x"],
        &["check", "log", "--ip"],
        &["flows", "f.pcap", "--json=3"],
        &["analyze", "f.pcap", "--password-stdin", "--ha1-stdin"],
        &["accounts", "f.pcap", "--json", "--json"],
    ] {
        let e = crate::cli::help::command(Lang::En)
            .try_get_matches_from(std::iter::once("sipdoctor-cli").chain(argv.iter().copied()))
            .unwrap_err();
        let t = crate::cli::usage_text(&e).unwrap_or_else(|| panic!("{argv:?}: clap's own: {e}"));
        out.push((format!("usage {argv:?}"), text!(CliError, e = t)));
    }
    // The digest calculator and the test client, before anything is computed or sent.
    #[derive(clap::Parser)]
    struct Dg {
        #[command(flatten)]
        a: crate::cli::digest::Args,
    }
    let base = [
        "x",
        "--username",
        "u",
        "--realm",
        "r",
        "--method",
        "REGISTER",
        "--uri",
        "sip:r",
        "--nonce",
        "n",
    ];
    for (extra, stdin) in [
        (
            &["--algorithm", "AKAv1-MD5", "--password-stdin"][..],
            "pw\n",
        ),
        (&["--qop", "auth-conf", "--password-stdin"], "pw\n"),
        (&["--qop", "auth", "--password-stdin"], "pw\n"),
        (
            &["--password-stdin", "--body-file", "/nonexistent/body"],
            "pw\n",
        ),
        (&["--password-stdin"], "\n"),
        (&["--ha1-stdin"], "\n"),
        (&["--ha1-stdin"], "zz\n"),
        (&["--ha1-stdin"], "abcd\n"),
        (
            &[
                "--password-stdin",
                "--qop",
                "auth-int",
                "--nc",
                "1",
                "--cnonce",
                "c",
            ],
            "pw\n",
        ),
    ] {
        let argv: Vec<&str> = base.iter().chain(extra).copied().collect();
        let a = Dg::try_parse_from(&argv).unwrap().a;
        for lang in [Lang::Zh, Lang::Vi] {
            let mut err = Vec::new();
            crate::cli::digest::run_in(&a, stdin.as_bytes(), &mut Vec::new(), &mut err, lang);
            let err = String::from_utf8(err).unwrap();
            assert!(!err.is_empty(), "{argv:?}: nothing said");
            out.push((
                format!("digest {extra:?} ({lang:?})"),
                // Said already in `lang`; not in quotes, which the detector skips.
                text!(Verbatim, text = err),
            ));
        }
    }
    #[derive(clap::Parser)]
    struct Pb {
        #[command(flatten)]
        c: crate::cli::probe::CommonArgs,
    }
    for extra in [
        &["--server", "h", "--timeout", "0"][..],
        &["--server", "h", "--transport", "tcp", "--bind", "127.0.0.2"],
    ] {
        let c = Pb::try_parse_from(std::iter::once("x").chain(extra.iter().copied()))
            .unwrap()
            .c;
        let e = crate::cli::probe::options_from(&c, "1001").expect_err("refused");
        out.push((format!("probe {extra:?}"), text!(PbCommand, e = e)));
    }
    use crate::probe::{ProbeOptions, Transport};
    for (server, t, user, domain) in [
        ("h", Transport::Tls, "1", None),
        ("", Transport::Udp, "1", None),
        ("[::1", Transport::Udp, "1", None),
        ("h:x", Transport::Udp, "1", None),
        ("[::1]x", Transport::Udp, "1", None),
        (":5060", Transport::Udp, "1", None),
        ("h", Transport::Udp, "", None),
        ("h", Transport::Udp, "a\"b", None),
        ("h", Transport::Udp, "1", Some("a b")),
        ("h", Transport::Udp, "a b", None),
    ] {
        let mut o = ProbeOptions::new(server, t, user);
        o.domain = domain.map(str::to_string);
        let e = o.validate(true).unwrap_err();
        out.push((
            format!("probe input {server:?} {user:?}"),
            text!(PbCommand, e = e.text()),
        ));
    }
    for header in [
        r#"Basic realm="x", Digest realm="r", nonce="n", algorithm=AKAv1-MD5"#,
        r#"Digest realm="r""#,
        r#"Digest realm="r", nonce="n", qop="auth-conf""#,
    ] {
        let e = crate::probe::challenge_error(header).expect("no answerable challenge");
        out.push((format!("challenge {header}"), text!(PrStopped, e = e)));
    }
    out.push(("challenge: no scheme".into(), text!(ChNoScheme)));
    // A name that cannot resolve (RFC 2606 .invalid): the probe's sentence, with its reason.
    let o = ProbeOptions::new("pbx.sipdoctor.invalid", Transport::Udp, "");
    let r = crate::probe::options_ping(&o, &mut |_| {});
    let t = r.message_text.expect("a sentence");
    assert!(t.en().contains("DNS failure"), "{}", t.en());
    out.push(("probe: DNS".into(), t));
    let account = crate::clients::Account {
        user: String::new(),
        auth_user: None,
        domain: "d".into(),
        proxy: None,
        transport: Transport::Udp,
        port: None,
        realm: None,
    };
    let e = crate::clients::generate_in(&account, None, Lang::En).unwrap_err();
    out.push(("settings".into(), text!(StCommand, e = e.text())));
    let _ = std::fs::remove_dir_all(&dir);
    out
}

#[test]
fn every_cli_error_is_said_in_zh_and_vi() {
    let errors = cli_errors();
    let mut bad = Vec::new();
    for lang in [Lang::Zh, Lang::Vi] {
        let items: Vec<(String, String)> = errors
            .iter()
            .map(|(what, t)| (what.clone(), t.render(lang)))
            .collect();
        bad.extend(leftovers(&items, lang, "CLI error"));
    }
    // The texts are not the English ones, and each capture error has its own id.
    for (what, t) in &errors {
        for lang in [Lang::Zh, Lang::Vi] {
            if t.id != Msg::Verbatim && t.render(lang) == t.en() {
                bad.push(format!(
                    "{what} ({lang:?}): the same as English: {}",
                    t.en()
                ));
            }
        }
        if what.starts_with("capture: ") {
            assert!(
                !matches!(t.id, Msg::ErrCorrupt | Msg::RawText | Msg::ErrNotCapture)
                    || what.contains("3 bytes"),
                "{what}: no id of its own: {}",
                t.en()
            );
        }
    }
    assert_none_left(&bad);
}

#[test]
fn capture_errors_keep_their_values_and_their_english() {
    let by = |what: &str| -> crate::msg::Text {
        cli_errors()
            .into_iter()
            .find(|(w, _)| w == what)
            .map(|(_, t)| t)
            .unwrap_or_else(|| panic!("no {what}"))
    };
    let cut = by("capture: pcap cut in its header");
    assert_eq!(cut.id, Msg::ErrHeaderCut);
    assert!(
        cut.render(Lang::Zh)
            .contains("cut.pcap：文件在文件头处就结束了"),
        "{}",
        cut.render(Lang::Zh)
    );
    assert!(cut.en().ends_with("the capture was cut short"));
    let huge = by("capture: pcapng header claims 4 GiB");
    assert_eq!(huge.id, Msg::ErrClaimsTooMuch, "{}", huge.en());
    assert!(
        huge.render(Lang::Vi)
            .contains("phần đầu section pcapng tại byte 0"),
        "{}",
        huge.render(Lang::Vi)
    );
    let text = by("capture: text file");
    assert_eq!(text.id, Msg::ErrTextFile);
    assert!(
        text.render(Lang::Zh).contains("4e 4f 50 45 \"NOPE\""),
        "{}",
        text.render(Lang::Zh)
    );
    assert_eq!(by("capture: gzip").id, Msg::ErrGzip);
    let missing = by("capture: missing file");
    assert!(
        missing
            .render(Lang::Vi)
            .ends_with("không có tệp hoặc thư mục này")
    );
    let folder = by("capture: a folder");
    assert!(
        folder
            .render(Lang::Zh)
            .ends_with("这是一个文件夹，不是文件"),
        "{}",
        folder.render(Lang::Zh)
    );
    // A kind with no id keeps the system's words, quoted.
    let other = crate::msg::io_reason(&std::io::Error::other("weird thing"));
    assert_eq!(other.render(Lang::Zh), "\"weird thing\"");
}

#[test]
fn the_language_of_errors_is_lang_then_the_environment() {
    use crate::cli::error_lang;
    let args = |v: &[&str]| v.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
    assert_eq!(
        error_lang(args(&["x", "analyze", "f", "--lang", "zh"]), Lang::Vi),
        Lang::Zh
    );
    assert_eq!(
        error_lang(args(&["x", "analyze", "--lang=vi", "f"]), Lang::En),
        Lang::Vi
    );
    // A --lang that does not parse falls back to the environment's.
    assert_eq!(
        error_lang(args(&["x", "analyze", "--lang", "fr"]), Lang::Vi),
        Lang::Vi
    );
    assert_eq!(error_lang(args(&["x", "analyze", "f"]), Lang::Zh), Lang::Zh);
    let env = |pairs: &'static [(&'static str, &'static str)]| {
        move |k: &str| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    };
    assert_eq!(Lang::from_env_with(env(&[])), Lang::En);
    assert_eq!(
        Lang::from_env_with(env(&[("LANG", "zh_CN.UTF-8")])),
        Lang::Zh
    );
    assert_eq!(
        Lang::from_env_with(env(&[("LANG", "vi_VN.UTF-8"), ("LC_ALL", "C")])),
        Lang::En
    );
    assert_eq!(
        Lang::from_env_with(env(&[("LC_ALL", "zh_TW.UTF-8"), ("SIPDOCTOR_LANG", "vi")])),
        Lang::Vi
    );
    assert_eq!(
        Lang::from_env_with(env(&[("LC_ALL", ""), ("LC_MESSAGES", "vi_VN")])),
        Lang::Vi
    );
}

// ---- the CLI's text outputs (check, probe, settings, digest, kb match) in zh and vi

/// Every file of tests/samples: (name, text).
fn samples() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/samples");
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            (name, std::fs::read_to_string(e.path()).unwrap_or_default())
        })
        .collect();
    out.sort();
    out
}

/// `sipdoctor-cli check KIND` on every real paste of tests/samples it reads, in `lang`, with
/// and without the phone's address (banned in the samples, and not): each output line.
fn check_outputs(lang: Lang) -> Vec<(String, String)> {
    use crate::cli::check::{self, Args, Kind};
    let mut out = Vec::new();
    let mut parsed = [0usize; 3];
    for (name, text) in samples() {
        for (k, kind) in [Kind::Fail2ban, Kind::Clock, Kind::Log]
            .into_iter()
            .enumerate()
        {
            for ip in [
                None,
                Some("192.0.2.10"),
                Some("127.0.0.1"),
                Some("203.0.113.99"),
            ] {
                let args = Args::for_test(kind, ip, Some(lang));
                let (_, res) = check::check_text(&args, &text);
                let Ok(s) = res else { continue };
                parsed[k] += 1;
                for l in s.lines() {
                    out.push((format!("check {kind:?} {name} --ip {ip:?}"), l.to_string()));
                }
            }
        }
    }
    assert!(parsed.iter().all(|&n| n >= 8), "pastes read: {parsed:?}");
    out
}

/// A registrar on loopback for the probe's text: it challenges every REGISTER without
/// credentials (401, Digest MD5 qop=auth) and answers the ones with credentials 200 OK when
/// `accept`, else with a fresh 401 (a wrong password). It echoes the transaction's headers
/// and stops after a second without a request.
fn scripted_registrar(accept: bool) -> (std::net::SocketAddr, std::thread::JoinHandle<()>) {
    let sock = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    sock.set_read_timeout(Some(std::time::Duration::from_secs(1)))
        .unwrap();
    let addr = sock.local_addr().unwrap();
    let h = std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok((n, from)) = sock.recv_from(&mut buf) {
            let req = String::from_utf8_lossy(&buf[..n]).to_string();
            let lines: Vec<&str> = req.split("\r\n").collect();
            let echo: Vec<&str> = lines
                .iter()
                .copied()
                .filter(|l| {
                    let l = l.to_ascii_lowercase();
                    ["via:", "from:", "to:", "call-id:", "cseq:"]
                        .iter()
                        .any(|h| l.starts_with(h))
                })
                .collect();
            let creds = lines
                .iter()
                .any(|l| l.to_ascii_lowercase().starts_with("authorization:"));
            let contact = lines
                .iter()
                .find(|l| l.to_ascii_lowercase().starts_with("contact:"))
                .copied()
                .unwrap_or("");
            let (status, extra) = if creds && accept {
                ("200 OK", format!("{contact};expires=60\r\n"))
            } else {
                (
                    "401 Unauthorized",
                    "WWW-Authenticate: Digest realm=\"lab\", nonce=\"n0nce-1\", algorithm=MD5, qop=\"auth\"\r\n"
                        .to_string(),
                )
            };
            let resp = format!(
                "SIP/2.0 {status}\r\n{}\r\n{extra}Server: scripted\r\nContent-Length: 0\r\n\r\n",
                echo.join("\r\n")
            );
            let _ = sock.send_to(resp.as_bytes(), from);
        }
    });
    (addr, h)
}

/// The probe's text report (the ladder with its details, the verdict, the sentence, the
/// phone's REGISTER and the comparison) as `sipdoctor-cli probe` prints it, in `lang`.
fn probe_text(r: &crate::probe::ProbeReport, lang: Lang) -> String {
    use crate::cli::probe::{Phone, Shown, finish, print_step};
    use crate::transaction::Outcome;
    let mut out = Vec::new();
    for s in &r.ladder {
        print_step(&mut out, s, lang);
    }
    let phone = Phone {
        user: "1001".into(),
        client: "192.0.2.10:5060".into(),
        server: "192.0.2.1:5060".into(),
        outcome: Outcome::Rejected,
        final_status: Some(401),
    };
    let shown = Shown {
        json: false,
        lang,
        comparison: crate::probe::compare_with_capture_text(r, Some(Outcome::Rejected)),
        phone: Some(&phone),
    };
    finish(&mut out, r, &shown);
    String::from_utf8(out).unwrap()
}

/// Real probe runs on loopback: registered (and unregistered), refused credentials, and an
/// OPTIONS ping to a port nothing listens on.
fn probe_reports() -> Vec<(String, crate::probe::ProbeReport)> {
    use crate::probe::{self, ProbeOptions, Transport};
    let mut out = Vec::new();
    for accept in [true, false] {
        let (addr, h) = scripted_registrar(accept);
        let mut o = ProbeOptions::new(addr.to_string(), Transport::Udp, "1001");
        o.domain = Some("lab".into());
        o.timeout = std::time::Duration::from_secs(3);
        let r = probe::register(&o, &Secret::password("pw-i18n-1"), &mut |_| {});
        let want = if accept {
            probe::Verdict::Registered
        } else {
            probe::Verdict::WrongCredentials
        };
        assert_eq!(r.verdict, want, "{r:?}");
        h.join().unwrap();
        out.push((format!("probe register (accept {accept})"), r));
    }
    let closed = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let mut o = ProbeOptions::new(format!("127.0.0.1:{port}"), Transport::Udp, "");
    o.timeout = std::time::Duration::from_secs(2);
    out.push((
        "probe options (closed port)".into(),
        probe::options_ping(&o, &mut |_| {}),
    ));
    let tcp = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = tcp.local_addr().unwrap().port();
    drop(tcp);
    let o = ProbeOptions::new(format!("127.0.0.1:{port}"), Transport::Tcp, "1001");
    let r = probe::register(&o, &Secret::password("pw-i18n-1"), &mut |_| {});
    assert_eq!(r.verdict, probe::Verdict::Unreachable, "{r:?}");
    out.push(("probe register (closed TCP port)".into(), r));
    out
}

/// `settings` and `digest` text in `lang`.
fn other_outputs(lang: Lang) -> Vec<(String, String)> {
    use clap::Parser;
    #[derive(clap::Parser)]
    struct Settings {
        #[command(flatten)]
        a: crate::cli::settings::Args,
    }
    #[derive(clap::Parser)]
    struct Digest {
        #[command(flatten)]
        a: crate::cli::digest::Args,
    }
    let mut out = Vec::new();
    let code = lang.code();
    let s = Settings::parse_from([
        "settings",
        "--user",
        "1001",
        "--auth-user",
        "a1001",
        "--domain",
        "pbx.example.com",
        "--transport",
        "tcp",
        "--lang",
        code,
    ]);
    let (_, text) = crate::cli::settings::settings_text(&s.a);
    for l in text.unwrap().lines() {
        out.push(("settings".into(), l.to_string()));
    }
    // The lab account's REGISTER in the RFC 2069 form: first the response, then a match and
    // a mismatch against it.
    let digest = |expect: Option<&str>| {
        let mut argv = vec![
            "digest",
            "--username",
            "1001",
            "--realm",
            "sipdoctor.lab",
            "--method",
            "REGISTER",
            "--uri",
            "sip:sipdoctor.lab",
            "--nonce",
            "abc",
            "--password-stdin",
            "--lang",
            code,
        ];
        argv.extend(expect.map(|e| ["--expect", e]).into_iter().flatten());
        let d = Digest::parse_from(argv);
        let (mut o, mut e) = (Vec::new(), Vec::new());
        crate::cli::digest::run_with(&d.a, "s3cret-1001\n".as_bytes(), &mut o, &mut e);
        String::from_utf8(o).unwrap() + &String::from_utf8(e).unwrap()
    };
    let response = digest(None).trim().to_string();
    assert_eq!(response.len(), 32, "{response}");
    for expect in [response.as_str(), "00000000000000000000000000000000"] {
        let text = digest(Some(expect));
        assert!(text.contains(Msg::DgMatch.template(lang)), "{text}");
        for l in text.lines() {
            out.push((format!("digest --expect {expect}"), l.to_string()));
        }
    }
    out
}

#[test]
fn the_cli_text_of_check_probe_settings_and_digest_is_in_zh_and_vi() {
    let probes = probe_reports();
    let mut bad = Vec::new();
    for lang in [Lang::Zh, Lang::Vi] {
        let mut items = check_outputs(lang);
        for (what, r) in &probes {
            for l in probe_text(r, lang).lines() {
                items.push((what.clone(), l.to_string()));
            }
        }
        items.extend(other_outputs(lang));
        bad.extend(leftovers(&items, lang, "CLI text"));
        // The words of the English text are gone (not only runs of three).
        for (what, l) in &items {
            for en in [
                "verdict:",
                "Unban:",
                "next:",
                "Note:",
                "Guide for",
                "failure(s)",
                "not banned",
                "test REGISTER",
                "OPTIONS ping",
                "phone (capture)",
                "Account ",
                "Password:",
                "no match",
                "auth event",
                "line  ",
                "(auth user",
                "no credentials",
                "TCP connect",
                "refused",
            ] {
                if l.contains(en) {
                    bad.push(format!("{what} ({lang:?}): \"{en}\" in: {l}"));
                }
            }
        }
    }
    // English stays as it was (the wire names of the verdicts, the log's own words).
    let en: String = probes
        .iter()
        .map(|(_, r)| probe_text(r, Lang::En))
        .collect();
    assert!(en.contains("verdict: registered"), "{en}");
    assert!(en.contains("verdict: wrong-credentials"), "{en}");
    assert!(
        en.contains("CSeq 1 REGISTER, Expires: 60, no credentials"),
        "{en}"
    );
    assert_none_left(&bad);
}

#[test]
fn every_skip_reason_is_said_in_words_and_keeps_its_code() {
    use crate::capture::skip::SkipReason;
    for r in SkipReason::ALL {
        let t = crate::msg::skip_reason(r.as_str());
        assert_ne!(t.id, Msg::ProtoValue, "{r}: no message of its own");
        assert_eq!(t.en(), r.as_str(), "English keeps the wire name");
        for lang in [Lang::Zh, Lang::Vi] {
            let s = t.render(lang);
            assert!(
                s.contains(r.as_str()) && s.len() > r.as_str().len() + 4,
                "{r} {lang:?}: {s}"
            );
        }
    }
    // The no-SIP finding names what was skipped in those words.
    let name = "92-no-sip.pcap";
    let a = fixture(name);
    let f = a
        .findings
        .iter()
        .find(|f| f.code == FindingCode::NoSip)
        .expect("the no-SIP finding");
    assert!(!a.skips.counts.is_empty(), "{name}");
    for lang in [Lang::Zh, Lang::Vi] {
        let e = f.explanation_in(lang);
        for k in a.skips.counts.keys() {
            let words = crate::msg::skip_reason(k.as_str()).render(lang);
            assert!(e.contains(&words), "{name} {lang:?}: {words} not in {e}");
        }
    }
}
