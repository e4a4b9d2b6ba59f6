//! The CLI's errors in the user's language: the real binary on a real lab capture cut short
//! at test time, in Chinese and Vietnamese, chosen by `--lang` or by the environment.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::fixtures;

/// Run the CLI with a clean locale plus `env`; (exit code, stdout, stderr).
fn run(args: &[&str], env: &[(&str, &str)], stdin: &str) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sipdoctor-cli"));
    for v in ["SIPDOCTOR_LANG", "LC_ALL", "LC_MESSAGES", "LANG"] {
        cmd.env_remove(v);
    }
    cmd.envs(env.iter().copied())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn sipdoctor-cli");
    {
        use std::io::Write;
        let mut i = child.stdin.take().unwrap();
        let _ = i.write_all(stdin.as_bytes());
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The first `n` bytes of a lab capture, written to a fresh file.
fn cut(fixture: &str, n: usize, name: &str) -> PathBuf {
    let bytes = std::fs::read(fixtures().join(fixture)).unwrap();
    assert!(n < bytes.len(), "{fixture} is shorter than {n} bytes");
    let dir = std::env::temp_dir().join(format!("sipdoctor-i18n-it-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, &bytes[..n]).unwrap();
    p
}

fn s(p: &Path) -> String {
    p.display().to_string()
}

fn no_panic(err: &str) {
    assert!(!err.contains("panicked"), "a panic: {err}");
}

#[test]
fn a_capture_cut_in_its_header_is_said_in_chinese_and_vietnamese() {
    let pcap = cut("02-register-wrong-password.pcap", 10, "cut-header.pcap");
    let pcapng = cut(
        "12h-register-wrong-password.pcapng",
        40,
        "cut-header.pcapng",
    );
    // --lang decides.
    let (code, out, err) = run(&["analyze", &s(&pcap), "--lang", "zh"], &[], "");
    assert_eq!(code, 2, "{out}{err}");
    assert!(out.is_empty());
    no_panic(&err);
    assert_eq!(
        err.trim(),
        format!(
            "sipdoctor-cli：{}：文件在文件头处就结束了：抓包文件不完整（被截断）",
            s(&pcap)
        )
    );
    // Without --lang, the environment decides: SIPDOCTOR_LANG, then the locale.
    let (code, _, err) = run(&["flows", &s(&pcapng)], &[("SIPDOCTOR_LANG", "vi")], "");
    assert_eq!(code, 2);
    no_panic(&err);
    assert!(
        err.contains("tệp kết thúc ngay trong phần đầu tệp: tệp bắt gói bị cắt cụt"),
        "{err}"
    );
    let (_, _, err) = run(&["accounts", &s(&pcap)], &[("LANG", "zh_CN.UTF-8")], "");
    assert!(err.contains("抓包文件不完整"), "{err}");
    // --lang wins over the environment; English without either.
    let (_, _, err) = run(
        &["analyze", &s(&pcap), "--lang", "vi"],
        &[("LANG", "zh_CN.UTF-8")],
        "",
    );
    assert!(err.contains("bị cắt cụt"), "{err}");
    let (_, _, err) = run(&["analyze", &s(&pcap)], &[], "");
    assert!(err.contains("the capture was cut short"), "{err}");
}

#[test]
fn a_capture_cut_inside_a_record_is_analysed_in_the_language() {
    // Cut in the middle of the third frame: the first two are analysed, the rest is counted.
    let p = cut("02-register-wrong-password.pcap", 1500, "cut-record.pcap");
    for (lang, words) in [("zh", "结论"), ("vi", "Kết luận")] {
        let (code, out, err) = run(&["analyze", &s(&p), "--lang", lang], &[], "");
        assert!(code == 0 || code == 1, "{lang}: {code} {err}");
        no_panic(&err);
        assert!(err.is_empty(), "{lang}: {err}");
        assert!(out.contains(words), "{lang}: {out}");
        assert!(
            out.contains("truncated-file"),
            "{lang}: the cut is counted: {out}"
        );
    }
}

/// (arguments, environment, standard input, what standard error must contain).
type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)], &'a str, &'a str);

#[test]
fn other_errors_are_said_in_the_language_and_clap_keeps_its_own() {
    let missing = s(&fixtures().join("does-not-exist.pcap"));
    let text = s(&fixtures().join("91-bad-magic.pcap"));
    let ok = s(&fixtures().join("01-register-ok.pcap"));
    let vi = [("LANG", "vi_VN.UTF-8")];
    let cases: [Case; 8] = [
        (
            &["analyze", &missing, "--lang", "zh"],
            &[],
            "",
            "：文件或目录不存在",
        ),
        (
            &["flows", &text],
            &[("LC_ALL", "vi_VN.UTF-8")],
            "",
            "đây là tệp văn bản",
        ),
        // A --lang that is not one is named in the environment's language.
        (
            &["analyze", &ok, "--lang", "fr"],
            &vi,
            "",
            "sipdoctor-cli: --lang phải là en, zh hoặc vi, không phải \"fr\"",
        ),
        // A value our parser refuses, and an account that is not there.
        (
            &["analyze", &ok, "--client", "1.2.3", "--lang", "zh"],
            &[],
            "",
            "--client 的值 \"1.2.3\" 无效",
        ),
        (
            &["analyze", &ok, "--account", "nobody", "--lang", "vi"],
            &[],
            "",
            "không có tài khoản nào trong",
        ),
        // Pasted output that is not recognised, and an empty secret.
        (
            &["check", "clock"],
            &[("SIPDOCTOR_LANG", "zh")],
            "hello\n",
            "这看起来不是时钟状态的输出",
        ),
        (
            &["analyze", &ok, "--password-stdin", "--lang", "vi"],
            &[],
            "\n",
            "đầu vào chuẩn (stdin) không có gì",
        ),
        // Clap's own usage errors stay clap's (English) words.
        (
            &["analyze", &ok, "--bogus", "--lang", "zh"],
            &[],
            "",
            "unexpected argument",
        ),
    ];
    for (args, env, stdin, want) in cases {
        let (code, out, err) = run(args, env, stdin);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        no_panic(&err);
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: one line: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
    }
}
