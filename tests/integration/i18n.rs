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
fn other_errors_are_said_in_the_language_and_so_are_clap_s_usage_errors() {
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
        // Clap's usage errors are said in the language too (see the test below).
        (
            &["analyze", &ok, "--bogus", "--lang", "zh"],
            &[],
            "",
            "sipdoctor-cli：意外的参数 '--bogus'",
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

/// (arguments, environment, the line English says, what Chinese and Vietnamese say).
type Usage<'a> = (&'a [&'a str], &'a str, &'a str, &'a str);

#[test]
fn usage_errors_are_said_in_the_language_with_the_offending_argument() {
    let ok = s(&fixtures().join("01-register-ok.pcap"));
    let cases: [Usage; 8] = [
        (
            &["flows", &ok, "--bogus"],
            "unexpected argument '--bogus' found",
            "意外的参数 '--bogus'",
            "tham số không mong đợi '--bogus'",
        ),
        (
            &["flows"],
            "the following required arguments were not provided: <CAPTURE>",
            "缺少以下必需的参数：<CAPTURE>",
            "thiếu các tham số bắt buộc sau: <CAPTURE>",
        ),
        (
            &["anlyze", &ok],
            "unrecognized subcommand 'anlyze'; tip: a similar subcommand exists: 'analyze'",
            "无法识别的子命令 'anlyze'；提示：有一个相似的子命令：'analyze'",
            "không nhận ra lệnh con 'anlyze'; gợi ý: có một lệnh con tương tự: 'analyze'",
        ),
        (
            &["kb"],
            "'sipdoctor-cli kb' requires a subcommand but one was not provided [subcommands: list, show, match, help]",
            "'sipdoctor-cli kb' 需要一个子命令，但没有给出（子命令：list，show，match，help）",
            "'sipdoctor-cli kb' cần một lệnh con nhưng không có lệnh con nào [các lệnh con: list, show, match, help]",
        ),
        (
            &["check", "json"],
            "invalid value 'json' for '<KIND>' [possible values: fail2ban, clock, log]",
            "'<KIND>' 的值 'json' 无效（可选值：fail2ban，clock，log）",
            "giá trị 'json' của '<KIND>' không hợp lệ [giá trị có thể: fail2ban, clock, log]",
        ),
        (
            &["flows", &ok, "--json=yes"],
            "unexpected value 'yes' for '--json' found; no more were expected",
            "'--json' 多出了意外的值 'yes'；它不接受更多的值",
            "giá trị không mong đợi 'yes' cho '--json'; không cần thêm giá trị nào",
        ),
        (
            &["analyze", &ok, "--password-stdin", "--ha1-stdin"],
            "the argument '--password-stdin' cannot be used with '--ha1-stdin'",
            "参数 '--password-stdin' 不能与 '--ha1-stdin' 同时使用",
            "không thể dùng tham số '--password-stdin' cùng với '--ha1-stdin'",
        ),
        (
            &["kb", "match", "x", "--limit"],
            "a value is required for '--limit <LIMIT>' but none was supplied",
            "'--limit <LIMIT>' 需要一个值，但没有给出",
            "'--limit <LIMIT>' cần một giá trị nhưng không có giá trị nào",
        ),
    ];
    for (args, en, zh, vi) in cases {
        let runs: [(&[(&str, &str)], String); 4] = [
            (&[], format!("sipdoctor-cli: {en}")),
            (
                &[("LC_MESSAGES", "zh_CN.UTF-8")],
                format!("sipdoctor-cli：{zh}"),
            ),
            (&[("LANG", "vi_VN.UTF-8")], format!("sipdoctor-cli: {vi}")),
            (&[("SIPDOCTOR_LANG", "zh")], format!("sipdoctor-cli：{zh}")),
        ];
        for (env, want) in runs {
            let (code, out, err) = run(args, env, "");
            assert_eq!(code, 2, "{args:?} {env:?}: {out}{err}");
            no_panic(&err);
            assert!(out.is_empty(), "{args:?}: {out}");
            assert_eq!(err.trim_end(), want, "{args:?} {env:?}");
        }
    }
}

/// The long option names and positionals `sipdoctor-cli PATH --help` lists in English.
fn listed(help: &str) -> Vec<String> {
    help.split_whitespace()
        .filter(|w| w.starts_with("--") || (w.starts_with('<') && w.ends_with('>')))
        .map(str::to_string)
        .collect()
}

#[test]
fn help_is_said_in_the_language_and_english_stays_clap_s() {
    let paths: [&[&str]; 6] = [
        &[],
        &["flows"],
        &["analyze"],
        &["check"],
        &["kb", "match"],
        &["probe", "register"],
    ];
    for path in paths {
        let argv: Vec<&str> = path.iter().copied().chain(["--help"]).collect();
        let (code, en, err) = run(&argv, &[], "");
        assert_eq!(code, 0, "{argv:?}: {err}");
        assert!(en.contains("\nUsage: sipdoctor-cli"), "{en}");
        assert!(en.contains("\nOptions:\n"), "{en}");
        for (env, more, heading, options) in [
            (
                &[][..],
                &["--lang", "zh"][..],
                "\n用法：sipdoctor-cli",
                "\n选项：\n",
            ),
            (
                &[("LC_ALL", "vi_VN.UTF-8")][..],
                &[][..],
                "\nCách dùng: sipdoctor-cli",
                "\nTùy chọn:\n",
            ),
        ] {
            let argv: Vec<&str> = argv.iter().copied().chain(more.iter().copied()).collect();
            let (code, out, err) = run(&argv, env, "");
            assert_eq!(code, 0, "{argv:?}: {err}");
            assert!(err.is_empty(), "{argv:?}: {err}");
            assert!(
                out.contains(heading) && out.contains(options),
                "{argv:?}:\n{out}"
            );
            for w in [
                "Usage:",
                "Options:",
                "Arguments:",
                "Commands:",
                "Print help",
                "[default:",
            ] {
                assert!(!out.contains(w), "{argv:?}: {w} in:\n{out}");
            }
            // The same arguments, and no line of the English help beside them.
            assert_eq!(listed(&out), listed(&en), "{argv:?}:\n{out}");
            for l in en.lines().filter(|l| l.trim().len() > 12) {
                let words = l.trim().split("  ").last().unwrap_or("").trim();
                if words.contains(' ')
                    && !words.starts_with(['<', '-'])
                    && !words.starts_with("sipdoctor-cli")
                {
                    assert!(!out.contains(words), "{argv:?}: \"{words}\" in:\n{out}");
                }
            }
        }
    }
    // `help SUBCOMMAND` too.
    let (code, out, _) = run(&["help", "kb"], &[("SIPDOCTOR_LANG", "zh")], "");
    assert_eq!(code, 0);
    assert!(out.starts_with("知识库：列出、显示和匹配条目\n"), "{out}");
}

/// A real paste of tests/samples, as standard input.
fn sample(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/samples")
        .join(name);
    std::fs::read_to_string(p).unwrap()
}

/// No `words` of the English text in `out`.
fn none_of(out: &str, words: &[&str]) {
    for w in words {
        assert!(!out.contains(w), "English \"{w}\" left in:\n{out}");
    }
}

#[test]
fn check_on_real_pastes_speaks_the_language_and_its_json_stays_english() {
    let log = sample("asterisk-jail-log.txt");
    let (code, out, err) = run(&["check", "log", "--lang", "zh"], &[], &log);
    assert_eq!(code, 1, "{out}{err}");
    for want in [
        "14 行中有 13 条认证事件",
        "192.0.2.10:5060",
        "192.0.2.10：失败 6 次；按 maxretry 5 / findtime 600 秒，这个地址会在第 5 次尝试时被封禁（第 6 行）",
        "6 行的处理指南：sipdoctor-cli kb show communication/sip-401-unauthorized-credentials",
        "\"Failed to authenticate\"",
    ] {
        assert!(out.contains(want), "{want}:\n{out}");
    }
    none_of(
        &out,
        &[
            "auth event",
            "failure(s)",
            "Guide for",
            "would be banned",
            "jail.conf defaults",
        ],
    );
    // The environment decides without --lang.
    let banned = sample("fail2ban-status-asterisk-banned.txt");
    let vi = [("LANG", "vi_VN.UTF-8")];
    let (code, out, _) = run(&["check", "fail2ban", "--ip", "192.0.2.10"], &vi, &banned);
    assert_eq!(code, 1);
    assert!(
        out.contains("BỊ CHẶN: 192.0.2.10 trong jail asterisk"),
        "{out}"
    );
    assert!(
        out.contains("  Gỡ chặn: fail2ban-client set asterisk unbanip 192.0.2.10"),
        "{out}"
    );
    assert!(out.contains("jail SIP: địa chỉ bị chặn ở đây"), "{out}");
    none_of(
        &out,
        &[
            "Unban:",
            "BANNED",
            "a SIP jail",
            "currently banned",
            "Note:",
        ],
    );
    let clock = sample("chronyc-tracking-unsynced.txt");
    let (code, out, _) = run(&["check", "clock"], &[("SIPDOCTOR_LANG", "vi")], &clock);
    assert_eq!(code, 1);
    assert!(
        out.contains("CHƯA đồng bộ") && out.contains("Vấn đề: hãy sửa"),
        "{out}"
    );
    none_of(&out, &["Problem:", "NOT synchronised", "leap status"]);
    // JSON is the same whatever the language.
    for kind in [
        ["check", "log", "--json", "--ip", "192.0.2.10"],
        ["check", "fail2ban", "--json", "--ip", "192.0.2.10"],
    ] {
        let input = if kind[1] == "log" { &log } else { &banned };
        let (_, en, _) = run(&kind, &[], input);
        let (_, zh, _) = run(&kind, &[("LANG", "zh_CN.UTF-8")], input);
        assert_eq!(en, zh, "{kind:?}");
        assert!(en.contains("\"problem\": true"), "{en}");
    }
}

#[test]
fn settings_digest_kb_and_probe_text_in_the_language() {
    let zh = [("SIPDOCTOR_LANG", "zh")];
    let (code, out, _) = run(
        &[
            "settings",
            "--user",
            "1001",
            "--domain",
            "example.com",
            "--client",
            "baresip",
        ],
        &zh,
        "",
    );
    assert_eq!(code, 0);
    assert!(
        out.contains("账号 1001@example.com（认证用户 1001），经 UDP 连接 example.com:5060"),
        "{out}"
    );
    assert!(
        out.contains("== baresip（~/.baresip/accounts，一行） =="),
        "{out}"
    );
    none_of(&out, &["Account ", "Password:", "one line"]);
    let (_, json_zh, _) = run(
        &[
            "settings",
            "--user",
            "1001",
            "--domain",
            "example.com",
            "--json",
        ],
        &zh,
        "",
    );
    let (_, json_en, _) = run(
        &[
            "settings",
            "--user",
            "1001",
            "--domain",
            "example.com",
            "--json",
        ],
        &[],
        "",
    );
    assert_eq!(json_zh, json_en, "JSON stays English without --lang");
    // The lab account's digest (RFC 2069 form), then checked against a wrong response.
    let request = "--username 1001 --realm sipdoctor.lab --method REGISTER --uri sip:x --nonce n";
    let mut argv: Vec<&str> = std::iter::once("digest")
        .chain(request.split(' '))
        .chain(["--password-stdin"])
        .collect();
    let (code, response, _) = run(&argv, &[], "s3cret-1001\n");
    assert_eq!(code, 0);
    let response = response.trim().to_string();
    argv.extend(["--expect", "abc", "--lang", "vi"]);
    let (code, out, _) = run(&argv, &[], "s3cret-1001\n");
    assert_eq!(code, 1);
    assert_eq!(
        out.trim(),
        format!("không khớp: tính ra {response}, mong đợi abc")
    );
    let (code, out, _) = run(
        &["kb", "match", "Wrong password"],
        &[("LANG", "vi_VN.UTF-8")],
        "",
    );
    assert_eq!(code, 0);
    assert!(
        out.contains("communication/sip-401-wrong-password") && out.contains("Sai mật khẩu"),
        "{out}"
    );
    // The test client against a UDP port nothing listens on (loopback answers with ICMP).
    let closed = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let server = closed.local_addr().unwrap().to_string();
    drop(closed);
    let (code, out, err) = run(
        &[
            "probe",
            "options",
            "--server",
            &server,
            "--timeout",
            "2",
            "--lang",
            "zh",
        ],
        &[],
        "",
    );
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.starts_with(&format!("OPTIONS 探测 -> {server}，经 UDP")),
        "{out}"
    );
    assert!(out.contains("结论："), "{out}");
    none_of(
        &out,
        &[
            "verdict:",
            "OPTIONS ping",
            " over ",
            "no answer",
            "unreachable",
        ],
    );
}

#[test]
fn analyze_and_accounts_text_follow_the_environment_and_their_json_stays_english() {
    let cap = s(&fixtures().join("02-register-wrong-password.pcap"));
    let zh = [("LANG", "zh_CN.UTF-8")];
    let vi = [("SIPDOCTOR_LANG", "vi")];
    // Text: the environment's language without --lang; --lang still wins.
    let (_, out, err) = run(&["analyze", &cap], &zh, "");
    no_panic(&err);
    assert!(out.contains("结论：服务器拒绝了话机的凭据"), "{out}");
    assert!(!out.contains("Verdict:"), "{out}");
    let (_, out, _) = run(&["analyze", &cap, "--lang", "en"], &zh, "");
    assert!(out.contains("Verdict: The server refused"), "{out}");
    let (_, out, _) = run(&["analyze", &cap], &[], "");
    assert!(out.contains("Verdict: The server refused"), "{out}");
    let (_, out, err) = run(&["accounts", &cap], &vi, "");
    no_panic(&err);
    assert!(out.contains("người dùng xác thực"), "{out}");
    // JSON: the same bytes whatever the environment says; only --lang changes it.
    for args in [
        &["analyze", &cap, "--json"][..],
        &["accounts", &cap, "--json"][..],
    ] {
        let (_, plain, _) = run(args, &[], "");
        assert!(plain.starts_with('{'), "{plain}");
        assert_eq!(run(args, &zh, "").1, plain, "{args:?} under LANG=zh_CN");
        assert_eq!(
            run(args, &vi, "").1,
            plain,
            "{args:?} under SIPDOCTOR_LANG=vi"
        );
    }
    let (_, en_json, _) = run(&["analyze", &cap, "--json"], &[], "");
    let (_, zh_json, _) = run(&["analyze", &cap, "--json", "--lang", "zh"], &[], "");
    assert_ne!(en_json, zh_json, "--lang zh changes the JSON's sentences");
    // The report for the ticket follows the environment beside the JSON.
    let dir = std::env::temp_dir().join(format!("sipdoctor-i18n-rep-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let md = dir.join("r.md");
    let (_, json, _) = run(&["analyze", &cap, "--json", "--report", &s(&md)], &zh, "");
    assert_eq!(json, en_json, "the JSON stays English");
    let report = std::fs::read_to_string(&md).unwrap();
    assert!(report.starts_with("# SIP Doctor 报告"), "{report}");
}

#[test]
fn flows_text_follows_the_language_and_its_json_never_moves() {
    let cap = s(&fixtures().join("06-register-no-listener.pcap"));
    // English without a language anywhere, as before.
    let (code, en, err) = run(&["flows", &cap], &[], "");
    no_panic(&err);
    assert_eq!(code, 1, "{en}{err}");
    assert!(en.contains("\nSIP messages: 5\n"), "{en}");
    assert!(en.contains("CSeq 1 REGISTER]  (retransmission)\n"), "{en}");
    assert!(en.contains(" frames, "), "{en}");
    let english = [
        "SIP messages",
        "frames",
        "bytes",
        "(retransmission)",
        "Auth exchanges",
        "Exchange 1",
        "=> unreachable",
    ];
    // Chinese by --lang and by the locale: the same text, every word in Chinese.
    let (code, zh, err) = run(&["flows", &cap, "--lang", "zh"], &[], "");
    no_panic(&err);
    assert_eq!(code, 1, "{zh}{err}");
    assert_eq!(
        run(&["flows", &cap], &[("LANG", "zh_CN.UTF-8")], "").1,
        zh,
        "LANG=zh_CN"
    );
    let head = zh.lines().next().unwrap();
    assert!(
        head.starts_with(&format!("{cap}：pcap（ethernet），10 帧，")),
        "{head}"
    );
    assert!(
        head.contains(" 字节，2026-11-21 "),
        "full-width comma: {head}"
    );
    assert!(zh.contains("\nSIP 消息：5\n"), "{zh}");
    assert!(zh.contains("CSeq 1 REGISTER]  （重传）\n"), "{zh}");
    assert!(zh.contains("\n认证交互：1\n"), "{zh}");
    assert!(
        zh.contains("交互 1：REGISTER sip:sipdoctor.lab，用户 1001"),
        "{zh}"
    );
    none_of(&zh, &english);
    // Vietnamese by --lang and by SIPDOCTOR_LANG / LC_ALL.
    let (_, vi, err) = run(&["flows", &cap, "--lang", "vi"], &[], "");
    no_panic(&err);
    for env in [
        &[("SIPDOCTOR_LANG", "vi")][..],
        &[("LC_ALL", "vi_VN.UTF-8")][..],
    ] {
        assert_eq!(run(&["flows", &cap], env, "").1, vi, "{env:?}");
    }
    assert!(vi.contains(" khung, "), "{vi}");
    assert!(vi.contains("\nBản tin SIP: 5\n"), "{vi}");
    assert!(vi.contains("CSeq 1 REGISTER]  (truyền lại)\n"), "{vi}");
    assert!(vi.contains("\nTrao đổi xác thực: 1\n"), "{vi}");
    none_of(&vi, &english);
    // The messages' own lines stay as captured in every language.
    let lines = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| l.starts_with("  #"))
            .map(|l| l.split("]").next().unwrap().to_string())
            .collect()
    };
    assert_eq!(lines(&en).len(), 5);
    assert_eq!(lines(&zh), lines(&en));
    assert_eq!(lines(&vi), lines(&en));
    // A wrong --lang is refused in the environment's language.
    let (code, out, err) = run(&["flows", &cap, "--lang", "fr"], &[("LANG", "zh_CN")], "");
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("--lang 只能是 en、zh 或 vi"), "{err}");
    // JSON: the same bytes under any environment and any --lang (it holds no words).
    let (_, json, _) = run(&["flows", &cap, "--json"], &[], "");
    assert!(json.starts_with('{'), "{json}");
    for (args, env) in [
        (
            &["flows", &cap, "--json"][..],
            &[("LANG", "zh_CN.UTF-8")][..],
        ),
        (
            &["flows", &cap, "--json"][..],
            &[("SIPDOCTOR_LANG", "vi")][..],
        ),
        (&["flows", &cap, "--json", "--lang", "zh"][..], &[][..]),
        (
            &["flows", &cap, "--json", "--lang", "vi"][..],
            &[("LC_ALL", "zh_CN")][..],
        ),
    ] {
        assert_eq!(run(args, env, "").1, json, "{args:?} {env:?}");
    }
}

/// The census line (first line) of `accounts` text in `lang`.
fn census_line(cap: &str, lang: &str) -> String {
    let (_, out, err) = run(&["accounts", cap, "--lang", lang], &[], "");
    no_panic(&err);
    out.lines().next().unwrap_or_default().to_string()
}

#[test]
fn the_accounts_census_says_each_root_cause_in_words_before_its_code() {
    let office = s(&fixtures().join("13-office-register-mixed.pcap"));
    assert_eq!(
        census_line(&office, "en"),
        "24 accounts, 6 with a problem: 3 credentials-rejected, 2 auth-username-mismatch, \
         1 brute-force-block"
    );
    assert_eq!(
        census_line(&office, "zh"),
        "共 24 个账号，6 个有问题：3 × 凭据被拒绝（credentials-rejected），\
         2 × 认证用户未知或不同（auth-username-mismatch），1 × 源地址被封禁（brute-force-block）"
    );
    assert_eq!(
        census_line(&office, "vi"),
        "24 tài khoản, 6 tài khoản có vấn đề: 3 × thông tin xác thực bị từ chối \
         (credentials-rejected), 2 × người dùng xác thực lạ hoặc khác (auth-username-mismatch), \
         1 × địa chỉ nguồn bị cấm (brute-force-block)"
    );
    // Every lab capture with a problem: each code of the JSON's census is in the zh/vi line
    // only in parentheses, after words that are not the code nor the English words.
    let mut seen = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(fixtures()).unwrap() {
        let p = entry.unwrap().path();
        if !p.extension().is_some_and(|e| e == "pcap" || e == "pcapng") {
            continue;
        }
        let cap = s(&p);
        let (_, json, _) = run(&["accounts", &cap, "--json"], &[], "");
        let Ok(doc) = serde_json::from_str::<serde_json::Value>(&json) else {
            continue;
        };
        let Some(by) = doc["by_root_cause"].as_object().filter(|m| !m.is_empty()) else {
            continue;
        };
        for (lang, open, close) in [("zh", "（", "）"), ("vi", " (", ")")] {
            let line = census_line(&cap, lang);
            for (c, n) in by {
                let code = sipdoctor::finding::FindingCode::parse(c).expect("a finding code");
                let english = sipdoctor::accounts::cause_words(code);
                let wrapped = format!("{open}{c}{close}");
                assert_eq!(
                    line.matches(c.as_str()).count(),
                    line.matches(wrapped.as_str()).count(),
                    "{c} bare in {lang}: {line}"
                );
                let start = format!("{n} × ");
                let part = line
                    .split([',', '，', ':', '：'])
                    .find(|p| p.contains(&wrapped))
                    .unwrap_or_else(|| panic!("no {wrapped} in {lang}: {line}"));
                let words = part
                    .trim()
                    .strip_prefix(&start)
                    .and_then(|p| p.strip_suffix(&wrapped))
                    .unwrap_or_else(|| panic!("not \"{start}words{wrapped}\": {part}"));
                assert!(
                    !words.trim().is_empty() && words != c && words != english,
                    "{lang} says {c} as \"{words}\": {line}"
                );
                seen.insert(c.clone());
            }
        }
    }
    assert!(seen.len() >= 6, "too few root causes seen: {seen:?}");
}

#[test]
fn chinese_analyze_text_uses_full_width_punctuation_and_english_keeps_its_own() {
    let cap = s(&fixtures().join("02-register-wrong-password.pcap"));
    let (_, zh, err) = run(&["analyze", &cap, "--lang", "zh"], &[], "");
    no_panic(&err);
    for want in [
        "8 帧，4354 字节，2026-11-21 08:13:53.664 .. ",
        "[错误] 服务器拒绝了话机的凭据（credentials-rejected）\n",
        "=> 再次质询（401）\n",
        "（服务器：Kamailio，communication/",
        "\n   检查：",
    ] {
        assert!(zh.contains(want), "no \"{want}\" in:\n{zh}");
    }
    for half in [
        "字节, ",
        "检查: ",
        " (credentials-rejected)",
        "(服务器: ",
        "质询 (401)",
    ] {
        assert!(!zh.contains(half), "half-width \"{half}\" in:\n{zh}");
    }
    let (_, en, _) = run(&["analyze", &cap], &[], "");
    for want in [
        "8 frames, 4354 bytes, 2026-11-21 08:13:53.664 .. ",
        "[ERROR] The server refused the phone's credentials (credentials-rejected)\n",
        "=> rechallenged (401)\n",
        " (Server: Kamailio, communication/",
        "\n   Check: ",
    ] {
        assert!(en.contains(want), "no \"{want}\" in:\n{en}");
    }
}
