//! Hostile input through the CLI: a real lab capture with header values rewritten to carry
//! terminal escapes and Markdown/HTML markup; absurd ban-policy values.

use std::path::{Path, PathBuf};

use crate::fixtures;

fn run(args: &[&str], stdin: &str) -> (i32, String, String) {
    crate::cli::run(args, Some(stdin))
}

/// Rewrite the SIP payload of every Ethernet/IPv4/UDP record of a classic little-endian pcap:
/// each `(from, to)` replaced, and the record, IPv4 and UDP lengths fixed (IPv4 header checksum
/// recomputed, UDP checksum set to 0 = none, RFC 768).
fn rewrite_pcap(src: &Path, dst: &Path, replacements: &[(&[u8], &[u8])]) -> usize {
    let data = std::fs::read(src).unwrap();
    assert_eq!(&data[..4], &[0xd4, 0xc3, 0xb2, 0xa1], "classic LE pcap");
    let mut out = data[..24].to_vec();
    let mut pos = 24;
    let mut changed = 0;
    while pos + 16 <= data.len() {
        let incl = u32::from_le_bytes(data[pos + 8..pos + 12].try_into().unwrap()) as usize;
        let orig = u32::from_le_bytes(data[pos + 12..pos + 16].try_into().unwrap()) as usize;
        let mut frame = data[pos + 16..pos + 16 + incl].to_vec();
        let ihl = usize::from(frame[14] & 0x0f) * 4;
        assert_eq!(&frame[12..14], &[0x08, 0x00], "IPv4 over Ethernet");
        assert_eq!(frame[23], 17, "UDP");
        let udp = 14 + ihl;
        let mut payload = frame[udp + 8..].to_vec();
        for (from, to) in replacements {
            if let Some(at) = payload.windows(from.len()).position(|w| w == *from) {
                payload.splice(at..at + from.len(), to.iter().copied());
                changed += 1;
            }
        }
        frame.truncate(udp + 8);
        frame.extend_from_slice(&payload);
        let ip_len = (frame.len() - 14) as u16;
        frame[16..18].copy_from_slice(&ip_len.to_be_bytes());
        frame[24..26].copy_from_slice(&[0, 0]);
        let mut sum = 0u32;
        for w in frame[14..14 + ihl].chunks(2) {
            sum += u32::from(u16::from_be_bytes([w[0], w[1]]));
        }
        while sum > 0xffff {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        frame[24..26].copy_from_slice(&(!(sum as u16)).to_be_bytes());
        let udp_len = (8 + payload.len()) as u16;
        frame[udp + 4..udp + 6].copy_from_slice(&udp_len.to_be_bytes());
        frame[udp + 6..udp + 8].copy_from_slice(&[0, 0]);
        let new_len = frame.len() as u32;
        out.extend_from_slice(&data[pos..pos + 8]);
        out.extend_from_slice(&new_len.to_le_bytes());
        out.extend_from_slice(&(orig as u32 + new_len - incl as u32).to_le_bytes());
        out.extend_from_slice(&frame);
        pos += 16 + incl;
    }
    std::fs::write(dst, out).unwrap();
    changed
}

const ESCAPES: &str = "\u{1b}]0;pwned\u{7}\u{1b}[2J";
const SHOWN: &str = "\\x1b]0;pwned\\x07\\x1b[2J";
const MARKUP: &str = "`](http://evil.example/x)*b*<script>alert(1)</script>|";

/// The wrong-password lab capture with a Call-ID carrying terminal escapes and a ``` fence,
/// a Request-URI carrying an escape, and a username carrying Markdown and HTML.
fn hostile_capture(dir: &Path) -> PathBuf {
    let src = fixtures().join("02-register-wrong-password.pcap");
    let dst = dir.join("hostile.pcap");
    let call_id = format!("Call-ID: {ESCAPES}```1-23263@127.0.0.1");
    let user = format!("username=\"1001{MARKUP}\"");
    let n = rewrite_pcap(
        &src,
        &dst,
        &[
            (b"Call-ID: 1-23263@127.0.0.1", call_id.as_bytes()),
            (
                b"REGISTER sip:sipdoctor.lab SIP/2.0",
                b"REGISTER sip:sipdoctor.lab\x1b[2J SIP/2.0",
            ),
            (b"username=\"1001\"", user.as_bytes()),
        ],
    );
    assert_eq!(
        n,
        8 + 4 + 3,
        "every Call-ID, every REGISTER line, every username"
    );
    dst
}

fn no_raw_controls(what: &str, text: &str) {
    assert!(
        !text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t'),
        "{what} holds a raw control character:\n{text}"
    );
}

/// Markdown text outside code spans and fenced blocks (CommonMark 6.1, 4.5: a span closes on a
/// backtick run of the same length; a block on a fence line at least as long).
fn outside_code(md: &str) -> String {
    let mut out = String::new();
    let mut fence: Option<usize> = None;
    for line in md.lines() {
        let ticks = line.chars().take_while(|&c| c == '`').count();
        match fence {
            Some(f) => {
                if ticks >= f && line.trim_start_matches('`').trim().is_empty() {
                    fence = None;
                }
                continue;
            }
            None if ticks >= 3 => {
                fence = Some(ticks);
                continue;
            }
            None => {}
        }
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            if chars[i] == '\\' && i + 1 < chars.len() {
                i += 2; // an escaped character is literal
                continue;
            }
            if chars[i] == '`' {
                let run = chars[i..].iter().take_while(|&&c| c == '`').count();
                let mut j = i + run;
                let mut closed = None;
                while j < chars.len() {
                    let r = chars[j..].iter().take_while(|&&c| c == '`').count();
                    if r == run {
                        closed = Some(j + r);
                        break;
                    }
                    j += r.max(1);
                }
                match closed {
                    Some(end) => i = end,
                    None => {
                        out.push_str(&"`".repeat(run));
                        i += run;
                    }
                }
                continue;
            }
            out.push(chars[i]);
            i += 1;
        }
        out.push('\n');
    }
    assert!(fence.is_none(), "a code block is never closed");
    out
}

#[test]
fn terminal_and_reports_show_capture_escapes_as_text() {
    let dir = std::env::temp_dir().join(format!("sipdoctor-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cap = hostile_capture(&dir);
    let cap_s = cap.display().to_string();

    // The capture still analyses the same way: the rewrite kept it valid.
    let (code, json, _) = run(&["flows", &cap_s, "--json"], "");
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["messages"].as_array().unwrap().len(), 8);
    assert_eq!(v["skipped_total"], 0);
    // JSON stays exact: the value with its real escape characters.
    assert_eq!(
        v["messages"][0]["call_id"].as_str().unwrap(),
        format!("{ESCAPES}```1-23263@127.0.0.1")
    );

    for args in [vec!["flows", &cap_s], vec!["analyze", &cap_s]] {
        let (code, out, err) = run(&args, "");
        assert_eq!(code, 1, "{args:?}");
        no_raw_controls("terminal output", &out);
        no_raw_controls("stderr", &err);
        assert!(out.contains(SHOWN), "{args:?} shows the escapes:\n{out}");
        assert!(out.contains("sip:sipdoctor.lab\\x1b[2J"));
    }

    let md = dir.join("r.md");
    let html = dir.join("r.html");
    for report in [&md, &html] {
        let (code, _, _) = run(
            &["analyze", &cap_s, "--report", &report.display().to_string()],
            "",
        );
        assert_eq!(code, 1);
    }
    let md = std::fs::read_to_string(&md).unwrap();
    no_raw_controls("Markdown report", &md);
    assert!(md.contains(SHOWN), "{md}");
    // The ladder block's fence is longer than the ``` inside the Call-ID.
    assert!(md.contains("\n````\n"), "{md}");
    let prose = outside_code(&md);
    for live in ["<script", "](http", "*b*", "```"] {
        assert!(!prose.contains(live), "live markup {live:?} in:\n{prose}");
    }
    // The username with its markup is in the evidence, inside code spans.
    assert!(md.contains("evil.example"), "{md}");
    assert!(!prose.contains("evil.example"), "{prose}");

    let html = std::fs::read_to_string(&html).unwrap();
    no_raw_controls("HTML report", &html);
    assert!(
        !html.contains("<script>"),
        "markup from the capture is escaped"
    );
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains(SHOWN));
    std::fs::remove_dir_all(&dir).ok();
}

fn sample(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/samples")
        .join(name);
    std::fs::read_to_string(p).unwrap()
}

/// Issue 12: `check log --bantime 9223372036854775807` was accepted and wrapped (or panicked
/// with overflow checks) on the repo's own sample logs. Now: a one-line error, exit 2.
#[test]
fn check_log_rejects_absurd_policy_values() {
    for log in ["asterisk-jail-log.txt", "kamailio-auth.txt"] {
        let text = sample(log);
        for args in [
            ["--bantime", "9223372036854775807"],
            ["--findtime", "9223372036854775807"],
            ["--findtime", "0"],
            ["--maxretry", "0"],
            ["--maxretry", "4294967295"],
        ] {
            let mut all = vec!["check", "log"];
            all.extend(args);
            let (code, out, err) = run(&all, &text);
            assert_eq!(code, 2, "{log} {args:?}: {out}{err}");
            assert!(out.is_empty());
            assert_eq!(err.lines().count(), 1, "one line: {err}");
            assert!(err.contains(args[0]), "{err}");
        }
        // Large but sane values and a permanent ban work.
        for args in [
            ["--bantime", "-1"],
            ["--bantime", "31536000"],
            ["--findtime", "86400"],
        ] {
            let mut all = vec!["check", "log"];
            all.extend(args);
            let (code, out, err) = run(&all, &text);
            assert!(code == 0 || code == 1, "{log} {args:?}: {err}");
            assert!(out.contains("auth event(s)"));
        }
    }
}

/// A pasted log line carrying terminal escapes is shown escaped by `check log`, exact in JSON.
#[test]
fn check_log_escapes_pasted_controls() {
    let line = "[2024-05-01 10:00:00] NOTICE[1] chan_sip.c: Registration from '<sip:10\u{1b}[2J\u{7}01@x>' failed for '192.0.2.9:5060' - Wrong password\u{1b}]0\n";
    let (code, out, _) = run(&["check", "log"], line);
    assert_eq!(code, 0);
    no_raw_controls("check log", &out);
    assert!(out.contains("10\\x1b[2J\\x0701@x"), "{out}");
    assert!(out.contains("Wrong password\\x1b]0"), "{out}");
    let (_, json, _) = run(&["check", "log", "--json"], line);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        v["report"]["events"][0]["account"].as_str().unwrap(),
        "10\u{1b}[2J\u{7}01@x"
    );
}
