//! `sipdoctor-cli accounts CAPTURE [--json] [--problems] [--account USER] [--client IP[:PORT]]`:
//! one row per account (user + client IP) of a whole-server capture.
//!
//! The root cause shown is the diagnosis of the account
//! (the code of its first error finding); `analyze --account` gives the full diagnosis.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;

use crate::accounts::{Account, ClientFilter, Focus, outcome_rank};
use crate::cli::exit::{self, Exit};
use crate::msg::{self, Arg, Lang, Msg, Text};
use crate::text;
use crate::time::format_ts;
use crate::transaction::Outcome;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The capture (pcap or pcapng).
    pub capture: PathBuf,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Only the accounts with a problem (worst outcome not accepted).
    #[arg(long)]
    pub problems: bool,
    /// Only this user or auth username (any case).
    #[arg(long, value_name = "USER")]
    pub account: Option<String>,
    /// Only accounts from this client address.
    #[arg(long, value_name = "IP[:PORT]")]
    pub client: Option<ClientFilter>,
    /// Language of the table's words: en, zh, vi (codes and values stay as they are; the
    /// JSON is the same in every language). Without it the table follows the environment,
    /// as the errors do.
    #[arg(long)]
    pub lang: Option<String>,
}

/// One row of the table / of `accounts[]` in JSON.
#[derive(Debug, Serialize)]
struct Row<'a> {
    #[serde(flatten)]
    account: &'a Account,
    /// Provisional root cause code (from the outcomes), null when healthy.
    root_cause: Option<&'static str>,
    first_time: String,
    last_time: String,
}

#[derive(Debug, Serialize)]
struct Report<'a> {
    file: String,
    /// Accounts in the capture, before any filter.
    total: usize,
    /// Accounts with a problem, before any filter.
    with_problems: usize,
    /// Problem accounts per root cause code, before any filter.
    by_root_cause: BTreeMap<&'static str, usize>,
    /// The rows shown: problems first (worst outcome first), then in order of appearance.
    accounts: Vec<Row<'a>>,
}

fn outcome_name(o: Outcome) -> String {
    serde_json::to_value(o)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// "24 accounts, 6 with a problem: 3 credentials-rejected, 2 auth-username-mismatch, ..."
/// (in zh/vi each cause in words, its code after it).
fn census(r: &Report, lang: Lang) -> String {
    let mut causes: Vec<(&&str, &usize)> = r.by_root_cause.iter().collect();
    causes.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let list: Vec<Text> = causes
        .iter()
        .map(
            |&(&c, &n)| match (lang, crate::finding::FindingCode::parse(c)) {
                (Lang::En, _) | (_, None) => text!(ProtoValue, value = format!("{n} {c}")),
                (_, Some(code)) => text!(
                    CliAccCensusCause,
                    n = msg::count(n),
                    cause = crate::accounts::cause_msg(code),
                    code = c
                ),
            },
        )
        .collect();
    let head = text!(
        CliAccCensus,
        total = msg::count(r.total),
        problems = msg::count(r.with_problems)
    );
    if list.is_empty() {
        head.render(lang)
    } else {
        text!(CensusWhy, head = head, parts = Arg::List(list)).render(lang)
    }
}

fn table(r: &Report, lang: Lang) -> String {
    let head = [
        Msg::FieldUser,
        Msg::FieldAuthUser,
        Msg::CliAccClient,
        Msg::CliAccUserAgent,
        Msg::CliAccOutcome,
        Msg::CliAccRootCause,
        Msg::CliAccAttempts,
        Msg::CliAccFirstSeen,
        Msg::CliAccLastSeen,
    ];
    let mut rows: Vec<[String; 9]> = vec![head.map(|m| m.template(lang).to_string())];
    for row in &r.accounts {
        let a = row.account;
        let mut ua: String = a.user_agent.clone().unwrap_or_default();
        if ua.chars().count() > 28 {
            ua = ua.chars().take(27).collect::<String>() + "…";
        }
        rows.push([
            a.user.clone(),
            a.auth_user.clone().unwrap_or_else(|| "-".into()),
            a.client.to_string(),
            if ua.is_empty() { "-".into() } else { ua },
            match lang {
                // English: the outcome's code, as in the JSON (scripts read this column).
                Lang::En => outcome_name(a.outcome),
                _ => crate::accounts::outcome_words(a.outcome, lang).to_string(),
            },
            row.root_cause.unwrap_or("-").to_string(),
            a.attempts.to_string(),
            row.first_time.clone(),
            row.last_time.clone(),
        ]);
    }
    // Columns a terminal shows (a Chinese character takes two).
    let cols = crate::textsafe::columns;
    let mut width = [0usize; 9];
    for r in &rows {
        for (w, cell) in width.iter_mut().zip(r) {
            *w = (*w).max(cols(cell));
        }
    }
    let mut out = census(r, lang) + "\n\n";
    for r in &rows {
        let cells: Vec<String> = r
            .iter()
            .zip(width)
            .map(|(c, w)| format!("{c}{}", " ".repeat(w - cols(c))))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

pub fn run(args: Args) -> Exit {
    let lang = match super::analyze::output_lang(args.lang.as_deref(), args.json) {
        Ok(l) => l,
        Err(value) => return exit::fail(text!(CliBadLang, value = value)),
    };
    let a = match super::flows::load(&args.capture) {
        Ok(a) => a,
        Err(x) => return x,
    };
    let accs = &a.accounts;
    let focus = Focus {
        account: args.account.clone(),
        client: args.client,
    };
    let mut by_root_cause = BTreeMap::new();
    for x in accs {
        if let Some(s) = x.root_cause {
            *by_root_cause.entry(s.as_str()).or_insert(0) += 1;
        }
    }
    let mut shown: Vec<&Account> = accs
        .iter()
        .filter(|x| focus.matches(x) && !(args.problems && x.root_cause.is_none()))
        .collect();
    // Problems first, the worst first; otherwise in order of appearance (stable sort).
    shown.sort_by_key(|x| {
        (
            x.root_cause.is_none(),
            std::cmp::Reverse(outcome_rank(x.outcome)),
        )
    });
    let report = Report {
        file: args.capture.display().to_string(),
        total: accs.len(),
        with_problems: accs.iter().filter(|x| x.root_cause.is_some()).count(),
        by_root_cause,
        accounts: shown
            .iter()
            .map(|x| Row {
                account: x,
                root_cause: x.root_cause.map(|s| s.as_str()),
                first_time: format_ts(x.first_seen),
                last_time: format_ts(x.last_seen),
            })
            .collect(),
    };
    let written = exit::to_stdout(|out| {
        if args.json {
            serde_json::to_writer_pretty(&mut *out, &report).map_err(std::io::Error::other)?;
            out.write_all(b"\n")
        } else {
            out.write_all(crate::textsafe::terminal(&table(&report, lang)).as_bytes())
        }
    });
    let status = Exit::after(
        written,
        Exit::problem_if(report.accounts.iter().any(|r| r.root_cause.is_some())),
    );
    super::discard(report);
    super::discard(a);
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn census_counts_by_cause_most_first() {
        let mut by = BTreeMap::new();
        by.insert("brute-force-block", 1);
        by.insert("credentials-rejected", 3);
        let r = Report {
            file: "x".into(),
            total: 24,
            with_problems: 4,
            by_root_cause: by,
            accounts: vec![],
        };
        assert_eq!(
            census(&r, Lang::En),
            "24 accounts, 4 with a problem: 3 credentials-rejected, 1 brute-force-block"
        );
        assert_eq!(
            census(&r, Lang::Zh),
            "共 24 个账号，4 个有问题：3 × 凭据被拒绝（credentials-rejected），\
             1 × 源地址被封禁（brute-force-block）"
        );
        assert!(table(&r, Lang::Vi).contains("người dùng xác thực"));
        let one = Report {
            total: 1,
            with_problems: 0,
            by_root_cause: BTreeMap::new(),
            ..r
        };
        assert_eq!(census(&one, Lang::En), "1 account, 0 with a problem");
        assert_eq!(
            outcome_name(Outcome::ChallengeUnanswered),
            "challenge-unanswered"
        );
    }
}
