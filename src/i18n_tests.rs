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
    assert!(
        bad.is_empty(),
        "{} English leftovers:\n{}",
        bad.len(),
        bad.join("\n")
    );
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
