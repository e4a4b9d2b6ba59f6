use super::*;
use crate::msg::Lang;

/// The usage error of `argv` (after the program name) on the real command line.
fn error_of(argv: &[&str]) -> clap::Error {
    crate::cli::help::command(Lang::En)
        .try_get_matches_from(std::iter::once("sipdoctor-cli").chain(argv.iter().copied()))
        .expect_err("a usage error")
}

/// Clap's own first line of `e`, as `main` printed it before.
fn clap_line(e: &clap::Error) -> String {
    let text = e.render().to_string();
    let line = text.lines().next().unwrap_or("");
    line.trim_start_matches("error: ").to_string()
}

/// (arguments, the kind clap says, the message, the English we say, what every language names).
type Case = (
    &'static [&'static str],
    ErrorKind,
    Msg,
    &'static str,
    &'static [&'static str],
);

const CASES: &[Case] = &[
    (
        &["flows", "f.pcap", "--bogus"],
        ErrorKind::UnknownArgument,
        Msg::CliUnknownArg,
        "unexpected argument '--bogus' found",
        &["'--bogus'"],
    ),
    // An unexpected positional.
    (
        &["flows", "a.pcap", "b.pcap"],
        ErrorKind::UnknownArgument,
        Msg::CliUnknownArg,
        "unexpected argument 'b.pcap' found",
        &["'b.pcap'"],
    ),
    (
        &["flows", "--jsn", "f.pcap"],
        ErrorKind::UnknownArgument,
        Msg::CliTip,
        "unexpected argument '--jsn' found; tip: a similar argument exists: '--json'",
        &["'--jsn'", "'--json'"],
    ),
    (
        &["bogus"],
        ErrorKind::InvalidSubcommand,
        Msg::CliUnknownSubcommand,
        "unrecognized subcommand 'bogus'",
        &["'bogus'"],
    ),
    (
        &["anlyze", "f.pcap"],
        ErrorKind::InvalidSubcommand,
        Msg::CliTip,
        "unrecognized subcommand 'anlyze'; tip: a similar subcommand exists: 'analyze'",
        &["'anlyze'", "'analyze'"],
    ),
    (
        &["flows"],
        ErrorKind::MissingRequiredArgument,
        Msg::CliMissingArgs,
        "the following required arguments were not provided: <CAPTURE>",
        &["<CAPTURE>"],
    ),
    (
        &[
            "digest",
            "--username",
            "a",
            "--realm",
            "r",
            "--method",
            "REGISTER",
        ],
        ErrorKind::MissingRequiredArgument,
        Msg::CliMissingArgs,
        "the following required arguments were not provided: --uri <URI>, --nonce <NONCE>, <--password-stdin|--ha1-stdin>",
        &[
            "--uri <URI>",
            "--nonce <NONCE>",
            "<--password-stdin|--ha1-stdin>",
        ],
    ),
    (
        &[],
        ErrorKind::MissingSubcommand,
        Msg::CliMissingSubcommand,
        "'sipdoctor-cli' requires a subcommand but one was not provided [subcommands: flows, analyze, accounts, digest, kb, check, probe, settings, help]",
        &["'sipdoctor-cli'", "flows", "settings"],
    ),
    (
        &["kb"],
        ErrorKind::MissingSubcommand,
        Msg::CliMissingSubcommand,
        "'sipdoctor-cli kb' requires a subcommand but one was not provided [subcommands: list, show, match, help]",
        &["'sipdoctor-cli kb'", "list", "match"],
    ),
    (
        &["check", "x"],
        ErrorKind::InvalidValue,
        Msg::CliPossibleValues,
        "invalid value 'x' for '<KIND>' [possible values: fail2ban, clock, log]",
        &["'x'", "'<KIND>'", "fail2ban", "clock", "log"],
    ),
    (
        &[
            "settings", "--user", "1", "--domain", "d", "--client", "zoipr",
        ],
        ErrorKind::InvalidValue,
        Msg::CliTip,
        "invalid value 'zoipr' for '--client <CLIENT>' [possible values: linphone, zoiper, baresip, sipp, all]; tip: a similar value exists: 'zoiper'",
        &["'zoipr'", "'--client <CLIENT>'", "linphone", "'zoiper'"],
    ),
    (
        &["check", "log", "--ip"],
        ErrorKind::InvalidValue,
        Msg::CliNoValue,
        "a value is required for '--ip <ADDR>' but none was supplied",
        &["'--ip <ADDR>'"],
    ),
    (
        &["flows", "f.pcap", "--json=3"],
        ErrorKind::TooManyValues,
        Msg::CliTooManyValues,
        "unexpected value '3' for '--json' found; no more were expected",
        &["'3'", "'--json'"],
    ),
    (
        &["analyze", "f.pcap", "--password-stdin", "--ha1-stdin"],
        ErrorKind::ArgumentConflict,
        Msg::CliConflict,
        "the argument '--password-stdin' cannot be used with '--ha1-stdin'",
        &["'--password-stdin'", "'--ha1-stdin'"],
    ),
    (
        &["accounts", "f.pcap", "--json", "--json"],
        ErrorKind::ArgumentConflict,
        Msg::CliUsedTwice,
        "the argument '--json' cannot be used multiple times",
        &["'--json'"],
    ),
];

#[test]
fn every_usage_error_we_can_hit_is_said_in_each_language_with_its_argument() {
    for &(argv, kind, id, en, names) in CASES {
        let e = error_of(argv);
        assert_eq!(e.kind(), kind, "{argv:?}: {e}");
        let t = crate::cli::usage_text(&e).unwrap_or_else(|| panic!("{argv:?}: not mapped"));
        assert_eq!(t.id, id, "{argv:?}");
        assert_eq!(t.en(), en, "{argv:?}");
        // The English starts with clap's own first line, word for word.
        let clap = clap_line(&e);
        assert!(
            en.starts_with(clap.trim_end_matches(':')),
            "{argv:?}: {en} / clap: {clap}"
        );
        for lang in [Lang::Zh, Lang::Vi] {
            let said = t.render(lang);
            assert_ne!(said, en, "{argv:?} {lang:?}");
            for n in names {
                assert!(said.contains(n), "{argv:?} {lang:?}: {n} not in {said}");
            }
            assert_eq!(
                crate::i18n_tests::english_runs(&said),
                Vec::<String>::new(),
                "{argv:?} {lang:?}: {said}"
            );
        }
    }
}

#[test]
fn the_words_of_each_language() {
    let said = |argv: &[&str], lang| {
        crate::cli::usage_text(&error_of(argv))
            .unwrap()
            .render(lang)
    };
    assert_eq!(
        said(&["flows", "f.pcap", "--bogus"], Lang::Zh),
        "意外的参数 '--bogus'"
    );
    assert_eq!(
        said(&["flows", "f.pcap", "--bogus"], Lang::Vi),
        "tham số không mong đợi '--bogus'"
    );
    assert_eq!(
        said(&["check", "x"], Lang::Zh),
        "'<KIND>' 的值 'x' 无效（可选值：fail2ban，clock，log）"
    );
    assert_eq!(
        said(&["flows"], Lang::Vi),
        "thiếu các tham số bắt buộc sau: <CAPTURE>"
    );
    assert_eq!(
        said(&["kb", "lisst"], Lang::Zh),
        "无法识别的子命令 'lisst'；提示：有一个相似的子命令：'list'"
    );
}

/// A small command of our own for the forms our command line cannot produce (an argument that
/// needs `=`, one against several, a subcommand against an argument).
fn toy() -> clap::Command {
    use clap::{Arg, ArgAction, Command};
    Command::new("toy")
        .args_conflicts_with_subcommands(true)
        .arg(Arg::new("eq").long("eq").require_equals(true))
        .arg(
            Arg::new("solo")
                .long("solo")
                .action(ArgAction::SetTrue)
                .conflicts_with_all(["a", "b"]),
        )
        .arg(Arg::new("a").long("a").action(ArgAction::SetTrue))
        .arg(Arg::new("b").long("b").action(ArgAction::SetTrue))
        .subcommand(Command::new("sub"))
}

#[test]
fn the_other_forms_are_said_too() {
    let cases: [(&[&str], Msg, &[&str]); 3] = [
        (&["--eq", "x"], Msg::CliNoEquals, &["'--eq=<eq>'"]),
        (
            &["--solo", "--a", "--b"],
            Msg::CliConflictMany,
            &["'--solo'", "--a", "--b"],
        ),
        (
            &["--a", "sub"],
            Msg::CliSubcommandConflict,
            &["'sub'", "'--a'"],
        ),
    ];
    for (argv, id, names) in cases {
        let e = toy()
            .try_get_matches_from(std::iter::once("toy").chain(argv.iter().copied()))
            .unwrap_err();
        let t = usage_error(&e).unwrap_or_else(|| panic!("{argv:?}: not mapped: {e}"));
        assert_eq!(t.id, id, "{argv:?}: {}", t.en());
        assert!(
            t.en()
                .starts_with(&clap_line(&e).trim_end_matches(':').to_string()),
            "{argv:?}: {} / {}",
            t.en(),
            clap_line(&e)
        );
        for lang in Lang::ALL {
            for n in names {
                assert!(
                    t.render(lang).contains(n),
                    "{argv:?} {lang:?}: {}",
                    t.render(lang)
                );
            }
        }
    }
}

#[cfg(unix)]
#[test]
fn an_argument_that_is_not_utf8_is_said() {
    use std::os::unix::ffi::OsStringExt;
    let bad = std::ffi::OsString::from_vec(vec![0x66, 0xff, 0x6f]);
    let e = crate::cli::help::command(Lang::En)
        .try_get_matches_from([
            "sipdoctor-cli".into(),
            "accounts".into(),
            "f.pcap".into(),
            "--account".into(),
            bad,
        ])
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidUtf8);
    let t = usage_error(&e).unwrap();
    assert_eq!(
        t.en(),
        "invalid UTF-8 was detected in one or more arguments"
    );
    assert!(t.render(Lang::Zh).contains("UTF-8"));
}

#[test]
fn help_and_version_keep_clap() {
    for argv in [&["--help"][..], &["--version"], &["flows", "-h"]] {
        let e = error_of(argv);
        assert!(!e.use_stderr(), "{argv:?}");
        assert!(crate::cli::usage_text(&e).is_none(), "{argv:?}");
    }
}
