//! `sipdoctor-cli kb`: list, show and match knowledge-base entries.
//!
//! Exit codes: 0 ok; 1 `match` found nothing; 2 unknown id, bad language or a KB load error.

use super::exit::{self, Exit};
use crate::kb::{self, Entry, Lang};
use clap::Subcommand;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub action: Action,
}

#[derive(Debug, Subcommand)]
pub enum Action {
    /// List every entry: id, error code, diagnosis codes, title.
    List {
        /// Print a JSON array instead of a table.
        #[arg(long)]
        json: bool,
        /// Title language: en, zh or vi.
        #[arg(long, default_value = "en")]
        lang: String,
    },
    /// Show one entry as a guided fix (or, with --json, the entry exactly as stored).
    Show {
        /// Entry id, e.g. communication/sip-stale-nonce (the `communication/` prefix is optional).
        id: String,
        /// Language: en, zh or vi.
        #[arg(long, default_value = "en")]
        lang: String,
        /// Print the stored JSON.
        #[arg(long)]
        json: bool,
    },
    /// Rank the entries that explain a pasted log line, SIP status line or header.
    Match {
        /// The text (quote it); several lines are allowed.
        text: String,
        /// Print `[{"id":..,"score":..,"title":..}]`.
        #[arg(long)]
        json: bool,
        /// Show at most this many entries.
        #[arg(long, default_value_t = 5)]
        limit: usize,
    },
}

pub fn run(args: Args) -> Exit {
    if !kb::load_errors().is_empty() {
        for e in kb::load_errors() {
            exit::fail(crate::text!(
                CliKbSkipped,
                id = e.path_id,
                e = crate::text!(RawText, text = e.error.as_str())
            ));
        }
    }
    match args.action {
        Action::List { json, lang } => {
            let Some(lang) = parse_lang(&lang) else {
                return Exit::BadInput;
            };
            list(json, lang)
        }
        Action::Show { id, lang, json } => {
            let Some(lang) = parse_lang(&lang) else {
                return Exit::BadInput;
            };
            show(&id, lang, json)
        }
        Action::Match { text, json, limit } => match_cmd(&text, json, limit),
    }
}

fn parse_lang(s: &str) -> Option<Lang> {
    match s.parse::<Lang>() {
        Ok(l) => Some(l),
        Err(_) => {
            exit::fail(crate::text!(CliBadLang, value = s));
            None
        }
    }
}

fn list(json: bool, lang: Lang) -> Exit {
    let entries = kb::all();
    let mut out = String::new();
    if json {
        let v: Vec<serde_json::Value> = entries
            .iter()
            .map(|e| {
                serde_json::json!({
                    "id": e.id,
                    "title": e.title(lang),
                    "error_code": e.error_code,
                    "diagnosis_codes": e.diagnosis_codes,
                    "wizard_step": e.wizard_step,
                    "verification_tier": e.verification_tier,
                })
            })
            .collect();
        let json = serde_json::to_string_pretty(&v).unwrap_or_else(|_| "[]".into());
        return exit::print(&(json + "\n"), Exit::Ok);
    }
    for e in entries {
        out.push_str(&format!(
            "{:<52} {:<4} {:<28} {}\n",
            e.id,
            e.error_code.as_deref().unwrap_or("-"),
            if e.diagnosis_codes.is_empty() {
                "-".to_string()
            } else {
                e.diagnosis_codes.join(",")
            },
            e.title(lang)
        ));
    }
    out.push_str(&format!("{} entries\n", entries.len()));
    exit::print(&out, Exit::Ok)
}

fn show(id: &str, lang: Lang, json: bool) -> Exit {
    let Some(e) = kb::get(id) else {
        return exit::fail(crate::text!(CliKbUnknown, id = id));
    };
    if json {
        let mut text = e.raw_json().to_string();
        if !text.ends_with('\n') {
            text.push('\n');
        }
        return exit::print(&text, Exit::Ok);
    }
    exit::print(&render(e, lang), Exit::Ok)
}

fn heading(lang: Lang, en: &'static str, zh: &'static str, vi: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
        Lang::Vi => vi,
    }
}

/// The entry as a guided fix, for a person.
pub fn render(e: &Entry, lang: Lang) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(s, "{}", e.title(lang));
    let _ = writeln!(s, "{}  [{}]", e.id, e.verification_tier);
    if let Some(fx) = e.extra.get("lab_fixtures").and_then(|v| v.as_array()) {
        let names: Vec<&str> = fx.iter().filter_map(|x| x.as_str()).collect();
        let _ = writeln!(s, "  lab: {}", names.join(", "));
    }
    let _ = writeln!(s, "{}", e.signature(lang));
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "{}",
        heading(lang, "Root cause", "根本原因", "Nguyên nhân gốc")
    );
    let _ = writeln!(s, "  {}", e.root_cause(lang));
    let _ = writeln!(s);
    let _ = writeln!(s, "{}", heading(lang, "Steps", "操作步骤", "Các bước"));
    for (i, st) in e.steps.iter().enumerate() {
        let _ = writeln!(s, "  {}. {}", i + 1, st.title(lang));
        if !st.detail(lang).is_empty() {
            let _ = writeln!(s, "     {}", st.detail(lang));
        }
        for c in &st.commands {
            let _ = writeln!(s, "     [{}]", c.server);
            for line in crate::fix::unfilled(&c.command).lines() {
                let _ = writeln!(s, "       {line}");
            }
        }
        if !st.check(lang).is_empty() {
            let _ = writeln!(
                s,
                "     {} {}",
                heading(lang, "Check:", "检查：", "Kiểm tra:"),
                st.check(lang)
            );
        }
    }
    if !e.dead_ends.is_empty() {
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "{}",
            heading(
                lang,
                "Dead ends (do not)",
                "无效做法（不要这样做）",
                "Hướng đi sai (đừng làm)"
            )
        );
        for d in &e.dead_ends {
            let rate = d
                .fail_rate
                .map(|r| format!(" ({:.0}%)", r * 100.0))
                .unwrap_or_default();
            let _ = writeln!(s, "  - {}{}", d.action(lang), rate);
            let _ = writeln!(s, "    {}", d.why_fails(lang));
        }
    }
    if !e.versions.is_empty() {
        let _ = writeln!(s);
        let _ = writeln!(s, "{}", heading(lang, "Versions", "版本", "Phiên bản"));
        for v in &e.versions {
            let _ = writeln!(
                s,
                "  - {}: {}",
                v.version,
                v.behavior_change(lang).unwrap_or("-")
            );
        }
    }
    if !e.sources.is_empty() {
        let _ = writeln!(s);
        let _ = writeln!(s, "{}", heading(lang, "Sources", "参考资料", "Nguồn"));
        for src in &e.sources {
            let _ = writeln!(s, "  - {} <{}>", src.title, src.url);
        }
    }
    s
}

fn match_cmd(text: &str, json: bool, limit: usize) -> Exit {
    let ranked = kb::match_text(text);
    let shown: Vec<_> = ranked.iter().take(limit.max(1)).collect();
    let mut out = String::new();
    if json {
        let v: Vec<serde_json::Value> = shown
            .iter()
            .map(|(score, e)| {
                serde_json::json!({
                    "id": e.id,
                    "score": (f64::from(*score) * 1000.0).round() / 1000.0,
                    "title": e.title,
                })
            })
            .collect();
        out = serde_json::to_string_pretty(&v).unwrap_or_else(|_| "[]".into()) + "\n";
    } else if shown.is_empty() {
        out.push_str("no entry matches\n");
    } else {
        for (score, e) in &shown {
            out.push_str(&format!("{score:>5.3}  {:<52} {}\n", e.id, e.title));
        }
    }
    exit::print(&out, Exit::problem_if(ranked.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_id_exits_2_and_bad_lang_exits_2() {
        assert_eq!(show("communication/no-such-entry", Lang::En, false), 2);
        assert_eq!(
            run(Args {
                action: Action::Show {
                    id: "sip-stale-nonce".into(),
                    lang: "fr".into(),
                    json: false
                }
            }),
            2
        );
        assert_eq!(show("sip-stale-nonce", Lang::Vi, true), 0);
        assert_eq!(match_cmd("gardening tomatoes", true, 5), 1);
        assert_eq!(match_cmd("SIP/2.0 401 Unauthorized", false, 3), 0);
    }

    #[test]
    fn render_uses_the_language() {
        let e = kb::get("communication/sip-stale-nonce").unwrap();
        let zh = render(e, Lang::Zh);
        let vi = render(e, Lang::Vi);
        assert!(zh.contains("根本原因") && zh.contains(e.root_cause(Lang::Zh)));
        assert!(vi.contains("Nguyên nhân gốc") && vi.contains(e.root_cause(Lang::Vi)));
        assert!(!zh.contains("{user}") && !zh.contains("{auth_user}"));
        for st in &e.steps {
            for c in &st.commands {
                // Shown with the placeholders visible (`<user>`), never as `{user}`.
                let shown = crate::fix::unfilled(&c.command);
                assert!(zh.contains(shown.lines().next().unwrap()));
            }
        }
    }
}
