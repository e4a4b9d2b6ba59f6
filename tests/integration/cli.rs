//! The command line: exit codes, the JSON contract, and secrets kept out of every output.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::fixtures;

fn cli() -> Command {
    Command::new(env!("CARGO_BIN_EXE_sipdoctor-cli"))
}

/// Run the CLI with `stdin`; (exit code, stdout, stderr). Shared by the other CLI tests.
pub(crate) fn run(args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    let mut child = cli()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn sipdoctor-cli");
    {
        let mut i = child.stdin.take().unwrap();
        if let Some(s) = stdin {
            i.write_all(s.as_bytes()).unwrap();
        }
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn fx(name: &str) -> String {
    fixtures().join(name).display().to_string()
}

#[test]
fn flows_json_contract_and_exit_codes() {
    let (code, out, _) = run(
        &["flows", &fx("02-register-wrong-password.pcap"), "--json"],
        None,
    );
    assert_eq!(code, 1, "auth failures seen");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let msgs = v["messages"].as_array().unwrap();
    assert_eq!(msgs.len(), 8);
    for m in msgs {
        for k in [
            "frame",
            "time",
            "src",
            "dst",
            "transport",
            "line",
            "call_id",
            "cseq",
        ] {
            assert!(!m[k].is_null(), "message field {k}");
        }
    }
    let ex = v["exchanges"].as_array().unwrap();
    assert!(!ex.is_empty());
    // Exchanges refer to messages by index.
    for e in ex {
        for i in e["messages"].as_array().unwrap() {
            assert!((i.as_u64().unwrap() as usize) < msgs.len());
        }
    }
    assert!(v["skips"].is_object());

    let (code, out, _) = run(&["flows", &fx("01-register-ok.pcap")], None);
    assert_eq!(code, 0);
    assert!(out.contains("REGISTER") && out.contains("401 Unauthorized") && out.contains("200 OK"));
    assert!(
        out.contains("───▶") && out.contains("◀───"),
        "ladder arrows:\n{out}"
    );
}

#[test]
fn bad_input_exits_2_with_one_line() {
    for f in ["91-bad-magic.pcap", "93-empty.pcap", "does-not-exist.pcap"] {
        let (code, out, err) = run(&["flows", &fx(f)], None);
        assert_eq!(code, 2, "{f}");
        assert!(out.is_empty());
        assert_eq!(err.trim().lines().count(), 1, "{f}: {err}");
    }
}

#[test]
fn analyze_json_contract() {
    let (code, out, _) = run(
        &[
            "analyze",
            &fx("05-register-source-not-allowed.pcap"),
            "--json",
        ],
        None,
    );
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let f = &v["findings"][0];
    assert_eq!(f["code"], "forbidden-before-auth");
    assert_eq!(f["severity"], "error");
    assert!(f["title"].is_string() && f["kb"].is_string());
    assert!(f["evidence"][0]["frame"].is_u64() && f["evidence"][0]["text"].is_string());
    assert!(v["exchanges"].is_array() && v["steps"].is_array());

    let (code, _, _) = run(&["analyze", &fx("01-register-ok.pcap")], None);
    assert_eq!(code, 0, "healthy capture: no error finding");
}

#[test]
fn secret_never_in_any_output() {
    let secret = "Zebra-Secret-77 ";
    let dir = std::env::temp_dir().join(format!("sipdoctor-secret-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let md = dir.join("r.md");
    let html = dir.join("r.html");
    for (args, report) in [(vec!["--json"], &md), (vec![], &html)] {
        let mut all = vec!["analyze", "02-x", "--password-stdin", "--report"];
        let cap = fx("02-register-wrong-password.pcap");
        all[1] = &cap;
        let rep = report.display().to_string();
        all.push(&rep);
        all.extend(args.iter());
        let (code, out, err) = run(&all, Some(&format!("{secret}\n")));
        assert_eq!(code, 1);
        let written = std::fs::read_to_string(report).unwrap();
        for text in [&out, &err, &written] {
            assert!(!text.contains(secret.trim()), "secret leaked");
        }
        assert!(
            out.contains("wrong-password"),
            "the verdict names it:\n{out}"
        );
    }
    // Focused on one phone of the office capture, with every output and the saved pcap.
    let office = fx("13-office-register-mixed.pcap");
    let rep = md.display().to_string();
    let pcap = dir.join("focus.pcap").display().to_string();
    for json in [true, false] {
        let mut all = vec![
            "analyze",
            &office,
            "--account",
            "2017",
            "--password-stdin",
            "--report",
            &rep,
            "--save",
            &pcap,
        ];
        if json {
            all.push("--json");
        }
        let (code, out, err) = run(&all, Some(&format!("{secret}\n")));
        assert_eq!(code, 1, "{err}");
        let written = std::fs::read_to_string(&md).unwrap();
        let saved = std::fs::read(&pcap).unwrap();
        for text in [&out, &err, &written] {
            assert!(!text.contains(secret.trim()), "secret leaked");
        }
        assert!(
            !saved
                .windows(secret.trim().len())
                .any(|w| w == secret.trim().as_bytes())
        );
        assert!(out.contains("wrong-password"), "{out}");
        assert!(!out.contains("2023"), "focused on 2017 only:\n{out}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn analyze_verifications_in_json() {
    let (_, out, _) = run(
        &[
            "analyze",
            &fx("02-register-wrong-password.pcap"),
            "--json",
            "--password-stdin",
        ],
        Some("wrong-1001\n"),
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let vs = v["verifications"].as_array().unwrap();
    assert_eq!(vs.len(), 3);
    for x in vs {
        assert!(x["frame"].is_u64());
        assert_eq!(x["verified"], true, "the phone used wrong-1001");
        assert!(x["differs"].is_null());
    }
}

/// `sipdoctor-cli flows BIG --json | head -1`: the reader closes the pipe after one line; the
/// program stops quietly with status 0 (as ripgrep does), without a panic on stderr.
#[test]
fn a_closed_stdout_ends_quietly_with_success() {
    use std::io::{BufRead, BufReader};
    // The real capture 02 with its records repeated: far more output than a pipe buffers.
    let bytes = std::fs::read(fixtures().join("02-register-wrong-password.pcap")).unwrap();
    let (header, records) = bytes.split_at(24);
    let mut big = header.to_vec();
    for _ in 0..200 {
        big.extend_from_slice(records);
    }
    let path = std::env::temp_dir().join(format!("sipdoctor-head-{}.pcap", std::process::id()));
    std::fs::write(&path, &big).unwrap();
    for json in [true, false] {
        let mut cmd = cli();
        cmd.arg("flows").arg(&path);
        if json {
            cmd.arg("--json");
        }
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn sipdoctor-cli");
        let mut first = String::new();
        {
            let mut out = BufReader::new(child.stdout.take().unwrap());
            out.read_line(&mut first).unwrap();
            // `out` is dropped here: the pipe is closed after one line, like `head -1`.
        }
        let done = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&done.stderr);
        assert!(!first.is_empty(), "one line was read");
        assert_eq!(done.status.code(), Some(0), "json={json}, stderr: {err}");
        assert!(err.is_empty(), "nothing on stderr: {err}");
    }
    std::fs::remove_file(&path).ok();
    // Written in full, the same capture is an auth failure (status 1).
    let (code, out, _) = run(
        &["flows", &fx("02-register-wrong-password.pcap"), "--json"],
        None,
    );
    assert_eq!(code, 1);
    assert!(out.len() < 64 * 1024);
}
