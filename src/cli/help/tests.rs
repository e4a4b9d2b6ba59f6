use super::*;

/// Every command path of the tree (`[]`, `["flows"]`, `["kb", "list"]`...), clap's `help`
/// subcommands aside.
fn paths() -> Vec<Vec<String>> {
    fn walk(c: &Command, at: Vec<String>, out: &mut Vec<Vec<String>>) {
        out.push(at.clone());
        for s in c.get_subcommands().filter(|s| s.get_name() != "help") {
            let mut p = at.clone();
            p.push(s.get_name().to_string());
            walk(s, p, out);
        }
    }
    let mut out = Vec::new();
    walk(&command(Lang::En), Vec::new(), &mut out);
    out
}

/// The (built) command at `path` in `cmd`.
fn at<'a>(cmd: &'a Command, path: &[String]) -> &'a Command {
    path.iter().fold(cmd, |c, name| {
        c.find_subcommand(name).expect("a subcommand of the tree")
    })
}

/// What `sipdoctor-cli PATH FLAG` prints, parsed by `cmd`.
fn help_of(cmd: Command, path: &[String], flag: &str) -> String {
    let argv = std::iter::once("sipdoctor-cli".to_string())
        .chain(path.iter().cloned())
        .chain([flag.to_string()]);
    let e = cmd.try_get_matches_from(argv).expect_err("help");
    assert_eq!(
        e.kind(),
        clap::error::ErrorKind::DisplayHelp,
        "{path:?} {flag}"
    );
    e.render().to_string()
}

/// The section headings of a help, in order.
fn headings(help: &str) -> Vec<String> {
    help.lines()
        .filter(|l| !l.starts_with(' ') && (l.ends_with(':') || l.ends_with('：')))
        .map(str::to_string)
        .collect()
}

#[test]
fn every_text_of_the_help_has_one_message_in_each_language() {
    let texts = english_texts();
    assert!(texts.len() > 80, "{}", texts.len());
    for en in &texts {
        let ids: Vec<&Msg> = Msg::ALL
            .iter()
            .filter(|m| m.template(Lang::En) == en)
            .collect();
        assert_eq!(ids.len(), 1, "\"{en}\": {ids:?}");
        assert!(
            format!("{:?}", ids[0]).starts_with("Hl"),
            "{en}: {:?}",
            ids[0]
        );
        for lang in [Lang::Zh, Lang::Vi] {
            let said = said(en, lang);
            assert_ne!(&said, en, "{lang:?}: no words of its own");
            assert!(
                crate::kb::glossary_violations(&said, lang).is_empty(),
                "{lang:?}: {said}: {:?}",
                crate::kb::glossary_violations(&said, lang)
            );
        }
    }
}

#[test]
fn english_help_is_clap_s_own_unchanged() {
    use clap::CommandFactory;
    for path in paths() {
        for flag in ["--help", "-h"] {
            let ours = help_of(command(Lang::En), &path, flag);
            let clap = help_of(crate::cli::Cli::command(), &path, flag);
            assert_eq!(ours, clap, "{path:?} {flag}");
        }
    }
    let top = help_of(command(Lang::En), &[], "--help");
    assert!(
        top.contains("\nUsage: sipdoctor-cli <COMMAND>\n\nCommands:\n  flows "),
        "{top}"
    );
    assert!(top.contains("  -h, --help     Print help\n"), "{top}");
}

#[test]
fn help_in_chinese_and_vietnamese_has_no_english_sentence_and_every_argument() {
    let english = english_texts();
    let clap_words = [
        "Usage:",
        "Commands:",
        "Arguments:",
        "Options:",
        "Possible values",
        "[default:",
        "[possible values:",
        "Print help",
        "Print version",
        "Print this message",
    ];
    let en_cmd = {
        let mut c = command(Lang::En);
        c.build();
        c
    };
    for lang in [Lang::Zh, Lang::Vi] {
        let built = command(lang);
        for path in paths() {
            let en_help = help_of(command(Lang::En), &path, "--help");
            for flag in ["--help", "-h"] {
                let help = help_of(command(lang), &path, flag);
                let what = format!("{lang:?} {path:?} {flag}");
                for w in &clap_words {
                    assert!(!help.contains(w), "{what}: \"{w}\" in:\n{help}");
                }
                for en in &english {
                    assert!(!help.contains(en.as_str()), "{what}: \"{en}\" in:\n{help}");
                }
                for l in help.lines() {
                    assert_eq!(
                        crate::i18n_tests::english_runs(l),
                        Vec::<String>::new(),
                        "{what}: {l}"
                    );
                }
                assert_eq!(
                    headings(&help).len(),
                    headings(&en_help).len(),
                    "{what}:\n{help}"
                );
                // Every argument and subcommand is listed, each argument's help in its words.
                let cmd = at(&built, &path);
                let en = at(&en_cmd, &path);
                for a in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
                    let name = match a.get_long() {
                        Some(l) => format!("--{l}"),
                        None => format!("<{}>", a.get_id().as_str().to_uppercase()),
                    };
                    assert!(help.contains(&name), "{what}: {name} not in:\n{help}");
                    let en_arg = en
                        .get_arguments()
                        .find(|e| e.get_id() == a.get_id())
                        .unwrap();
                    if let Some(h) = en_arg.get_help().filter(|h| !h.to_string().is_empty()) {
                        let long = a.get_long_help().filter(|_| flag == "--help");
                        let said = long.or(a.get_help()).map(|h| h.to_string());
                        let said = said.unwrap_or_default();
                        // (its first line: clap indents the others)
                        let first = said.lines().next().unwrap_or_default();
                        assert_ne!(said, h.to_string(), "{what}: {name}");
                        assert!(help.contains(first), "{what}: {first} not in:\n{help}");
                    }
                }
                for s in cmd.get_subcommands() {
                    assert!(
                        help.contains(&format!("\n  {} ", s.get_name())),
                        "{what}: {} not in:\n{help}",
                        s.get_name()
                    );
                }
            }
        }
    }
}

#[test]
fn the_help_reads_in_each_language() {
    let check = help_of(command(Lang::Zh), &["check".into()], "--help");
    assert!(
        check.contains("\n用法：sipdoctor-cli check [OPTIONS] <KIND>\n"),
        "{check}"
    );
    assert!(check.contains("\n参数：\n  <KIND>\n"), "{check}");
    assert!(
        check.contains("可选值：\n          - fail2ban：`fail2ban-client status`"),
        "{check}"
    );
    assert!(
        check.contains("\n          - log：     Asterisk、FreeSWITCH 或 Kamailio 的日志行"),
        "{check}"
    );
    assert!(check.contains("显示帮助（用 '-h' 查看摘要）"), "{check}");
    let short = help_of(command(Lang::Vi), &["check".into()], "-h");
    assert!(
        short.contains("  <KIND>  Đầu vào chuẩn chứa gì [giá trị có thể: fail2ban, clock, log]\n"),
        "{short}"
    );
    let probe = help_of(
        command(Lang::Vi),
        &["probe".into(), "register".into()],
        "--help",
    );
    assert!(
        probe.contains("Cách dùng: sipdoctor-cli probe register [OPTIONS]"),
        "{probe}"
    );
    assert!(probe.contains("udp hoặc tcp [mặc định: udp]\n"), "{probe}");
    // A flag's "false" is no default to show, as in English.
    assert!(!probe.contains("false"), "{probe}");
    let top = help_of(command(Lang::Zh), &[], "--help");
    assert!(
        top.contains("\n命令：\n  flows     列出每条 SIP 消息"),
        "{top}"
    );
    assert!(
        top.contains("\n选项：\n  -h, --help     显示帮助\n  -V, --version  显示版本\n"),
        "{top}"
    );
}

#[test]
fn every_language_parses_the_same() {
    let argv = [
        "sipdoctor-cli",
        "probe",
        "register",
        "--server",
        "192.0.2.1:5070",
        "--user",
        "1001",
        "--password-stdin",
        "--transport",
        "tcp",
    ];
    let parse = |lang| {
        let m = command(lang).try_get_matches_from(argv).unwrap();
        format!(
            "{:?}",
            <crate::cli::Cli as clap::FromArgMatches>::from_arg_matches(&m).unwrap()
        )
    };
    let en = parse(Lang::En);
    assert!(en.contains("1001") && en.contains("Tcp"), "{en}");
    assert_eq!(parse(Lang::Zh), en);
    assert_eq!(parse(Lang::Vi), en);
    // `help SUBCOMMAND` still shows that subcommand's help.
    let e = command(Lang::Zh)
        .try_get_matches_from(["sipdoctor-cli", "help", "kb", "show"])
        .unwrap_err();
    assert!(
        e.render()
            .to_string()
            .contains("用法：sipdoctor-cli kb show [OPTIONS] <ID>"),
        "{}",
        e.render()
    );
}

/// Every option, positional and command a user can see says what it is for, in every
/// language (an argument without a doc comment showed an empty column: `settings --json`).
#[test]
fn every_visible_argument_and_command_has_help() {
    let mut cmd = super::command(Lang::En);
    cmd.build();
    let mut missing = Vec::new();
    for path in paths() {
        let c = at(&cmd, &path);
        if c.get_about().is_none() && !path.is_empty() {
            missing.push(format!("{path:?}"));
        }
        for a in c.get_arguments().filter(|a| !a.is_hide_set()) {
            if a.get_help().is_none() && a.get_long_help().is_none() {
                missing.push(format!("{path:?} {}", a.get_id()));
            }
        }
    }
    assert!(missing.is_empty(), "no help text: {missing:?}");
}
