//! Output of an analysis: the JSON contract, text for a terminal, Markdown and HTML for a
//! ticket, and the relevant packets as a capture. Nothing here ever sees a secret: `Analysis`
//! holds none. This is where a finding meets its knowledge-base entry (by its code).

mod json;
pub mod svg;

pub use json::{
    analysis_json, build_accounts_diagnose_and_write_json, diagnose_and_write_json, flows_json,
    write_analysis_json, write_analysis_json_in, write_flows_json,
};

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

use crate::diagnose::{self, Finding, FindingCode, Severity};
use crate::error::Error;
use crate::kb::{self, Lang};
use crate::model::Analysis;
use crate::msg::Msg;
use crate::sip::{SipMessage, StartLine};
use crate::text;
use crate::time::format_ts;
use crate::transaction::Exchange;

/// Every exchange as a ladder, then what was skipped.
fn exchanges_text(a: &Analysis, lang: Lang) -> String {
    let head = text!(RepExchangesCount, n = a.exchanges.len()).render(lang);
    let mut out = format!("\n{head}\n");
    for e in &a.exchanges {
        out.push('\n');
        out.push_str(&ladder_text_in(a, e, lang));
    }
    out.push_str(&skips_text(a, lang));
    out
}

fn outcome_label(e: &Exchange, lang: Lang) -> String {
    let s = crate::accounts::outcome_words(e.outcome, lang);
    match e.final_status {
        Some(code) => text!(RepOutcomeStatus, outcome = s, status = code).render(lang),
        None => s.to_string(),
    }
}

/// A ladder for one exchange, as text.
pub fn ladder_text(a: &Analysis, e: &Exchange) -> String {
    ladder_text_in(a, e, Lang::En)
}

/// What a ladder writes on a message's arrow: the status line of a response; the method and
/// CSeq of a request, and whose credentials it carries.
fn arrow_label(m: &SipMessage) -> String {
    let StartLine::Request { method, .. } = &m.start() else {
        return m.summary();
    };
    let mut label = method.to_string();
    if let Some((n, _)) = m.cseq() {
        let _ = write!(label, " (CSeq {n})");
    }
    for (h, shown) in [
        ("authorization", "Auth"),
        ("proxy-authorization", "Proxy-Auth"),
    ] {
        if let Some(Ok(c)) = m.credentials(h) {
            let user = c.username().unwrap_or_default();
            let _ = write!(label, " +{shown} user=\"{user}\"");
        }
    }
    label
}

/// The arrows of an exchange's drawn ladder ([`svg::ladder`]), ICMP errors after its messages.
fn ladder_arrows(a: &Analysis, e: &Exchange, lang: Lang) -> Vec<svg::Arrow> {
    let t0 = e.first_ts;
    let mut arrows: Vec<svg::Arrow> = e
        .messages()
        .iter()
        .map(|&mi| {
            let m = &a.messages[mi];
            let retransmission = a.roles[mi].retransmission_of.is_some();
            let mut label = arrow_label(m);
            if retransmission {
                label.push_str(Msg::LadRetransmission.template(lang));
            }
            let kind = match m.status() {
                _ if retransmission => svg::ArrowKind::Retransmission,
                Some(code) => svg::ArrowKind::of_status(code),
                None => svg::ArrowKind::Request,
            };
            svg::Arrow {
                from_client: m.src == e.client,
                kind,
                label,
                secs: (m.ts - t0) as f64 / 1e9,
                frame: m.frame(),
            }
        })
        .collect();
    for n in e.attempts.iter().flat_map(|at| at.icmp()) {
        let note = &a.icmp[*n];
        arrows.push(svg::Arrow {
            from_client: false,
            kind: svg::ArrowKind::Icmp,
            label: text!(EvIcmp, kind = &note.kind, reporter = note.reporter).render(lang),
            secs: (note.ts - t0) as f64 / 1e9,
            frame: note.frame,
        });
    }
    arrows
}

/// Most exchanges drawn in the HTML report (problems first); the rest are in the JSON.
const HTML_MAX_LADDERS: usize = 30;
/// Most accounts listed in the HTML report (problems first).
const HTML_MAX_ACCOUNTS: usize = 200;

/// The accounts table of the HTML report: problems first, at most [`HTML_MAX_ACCOUNTS`] rows.
fn html_accounts(a: &Analysis, lang: Lang, out: &mut String) {
    if a.accounts.len() <= 1 {
        return;
    }
    let mut order: Vec<&crate::accounts::Account> = a.accounts.iter().collect();
    order.sort_by_key(|x| (x.root_cause.is_none(), x.root_cause.map(|c| c.rank()), x.id));
    out.push_str(&format!(
        "<h2>{}</h2><table><tr><th>{}</th><th>{}</th><th>{}</th><th>User-Agent</th><th>{}</th><th>{}</th></tr>",
        Msg::RepAccounts.template(lang),
        Msg::RepUser.template(lang),
        Msg::RepAuthUser.template(lang),
        Msg::RepClient.template(lang),
        Msg::RepOutcome.template(lang),
        Msg::RepRootCause.template(lang),
    ));
    for x in order.iter().take(HTML_MAX_ACCOUNTS) {
        let cause = x
            .root_cause
            .and_then(|c| {
                let f = a.findings.iter().find(|f| f.code == c)?;
                kb::get(f.kb_id()).map(|e| e.title(lang).to_string())
            })
            .unwrap_or_else(|| "—".into());
        let cls = if x.root_cause.is_some() {
            " class=\"error\""
        } else {
            ""
        };
        out.push_str(&format!(
            "<tr{cls}><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            html_escape(&x.user),
            html_escape(x.auth_user.as_deref().unwrap_or("—")),
            x.client,
            html_escape(x.user_agent.as_deref().unwrap_or("—")),
            crate::accounts::outcome_words(x.outcome, lang),
            html_escape(&cause),
        ));
    }
    out.push_str("</table>");
    if a.accounts.len() > HTML_MAX_ACCOUNTS {
        let more = a.accounts.len() - HTML_MAX_ACCOUNTS;
        out.push_str(&format!(
            "<p>{}</p>",
            text!(RepMoreInJson, n = more).render(lang)
        ));
    }
}

/// Drawn ladders of the exchanges, problems first, at most [`HTML_MAX_LADDERS`], each with
/// its text ladder folded under it.
fn html_ladders(a: &Analysis, lang: Lang, out: &mut String) {
    out.push_str(&format!("<h2>{}</h2>", Msg::RepExchanges.template(lang)));
    let mut order: Vec<&Exchange> = a.exchanges.iter().collect();
    order.sort_by_key(|e| (e.outcome.is_success(), e.id));
    let margin = format!(
        "{} · {}",
        Msg::LadTime.template(lang),
        Msg::RepFrame.template(lang)
    );
    for e in order.iter().take(HTML_MAX_LADDERS) {
        let text = ladder_text_in(a, e, lang);
        let head = text.lines().next().unwrap_or_default();
        let client = text!(LadClient, addr = e.client).render(lang);
        let server = text!(LadServer, addr = e.server).render(lang);
        out.push_str(&format!(
            "<h3>{}</h3>{}<details><summary>{}</summary><pre>{}</pre></details>",
            html_escape(head),
            svg::ladder(head, &margin, &client, &server, &ladder_arrows(a, e, lang)),
            Msg::RepAsText.template(lang),
            html_escape(&text)
        ));
    }
    if a.exchanges.len() > HTML_MAX_LADDERS {
        let more = a.exchanges.len() - HTML_MAX_LADDERS;
        out.push_str(&format!(
            "<p>{}</p>",
            text!(RepMoreInJson, n = more).render(lang)
        ));
    }
}

/// [`ladder_text`] with its words in `lang` (the messages' own lines stay as captured).
pub fn ladder_text_in(a: &Analysis, e: &Exchange, lang: Lang) -> String {
    let mut out = String::new();
    let who = e.from_user.as_deref().unwrap_or("?");
    let head = text!(
        LadExchange,
        n = e.id + 1,
        method = &e.method,
        uri = &e.request_uri,
        who = who,
        call_id = &e.call_id,
        outcome = outcome_label(e, lang)
    );
    out.push_str(&format!("{}\n", head.render(lang)));
    let (frame, time) = (Msg::RepFrame.template(lang), Msg::LadTime.template(lang));
    let client = text!(LadClient, addr = e.client).render(lang);
    let server = text!(LadServer, addr = e.server).render(lang);
    out.push_str(&format!(
        "  {}{frame}  {}{time}   {client}{}  {server}{}\n",
        pad(frame, 7),
        pad(time, 9),
        pad(&client, 28),
        pad(&server, 28)
    ));
    let t0 = e.first_ts;
    for &mi in &e.messages() {
        let m = &a.messages[mi];
        let role = &a.roles[mi];
        let rel = (m.ts - t0) as f64 / 1e9;
        let from_client = m.src == e.client;
        let label = arrow_label(m);
        let again = match role.retransmission_of.get() {
            Some(_) => Msg::LadRetransmission.template(lang),
            None => "",
        };
        // Written straight into the ladder: a few strings less per message of a big capture.
        let (frame, pad) = (m.frame(), "             ");
        let _ = if from_client {
            writeln!(out, "  {frame:>7}  {rel:>8.3}s   {label}{again} ───▶")
        } else {
            writeln!(out, "  {frame:>7}  {rel:>8.3}s   {pad}◀─── {label}{again}")
        };
    }
    for a_ in &e.attempts {
        for &n in a_.icmp() {
            let note = &a.icmp[n];
            let icmp = text!(EvIcmp, kind = &note.kind, reporter = note.reporter);
            out.push_str(&format!("  {:>7}  {}\n", note.frame, icmp.render(lang)));
        }
    }
    out
}

/// Every message, then every exchange as a ladder, then skip counts.
pub fn flows_text(a: &Analysis) -> String {
    flows_text_in(a, Lang::En)
}

/// [`flows_text`] in `lang`: the words translated, the messages and addresses as they are.
pub fn flows_text_in(a: &Analysis, lang: Lang) -> String {
    let mut out = header_text(a, lang);
    let count = text!(RepSipMessagesCount, n = a.messages.len()).render(lang);
    out.push_str(&format!("\n{count}\n"));
    for m in &a.messages {
        let role = &a.roles[m.index()];
        let _ = writeln!(
            out,
            "  #{:<6} {}  {} -> {} {}  {}  [Call-ID {}  CSeq {}]{}",
            m.frame(),
            format_ts(m.ts),
            m.src,
            m.dst,
            Analysis::transport_label(m.transport()),
            m.summary(),
            m.call_id().unwrap_or("-"),
            m.header("cseq").unwrap_or("-"),
            if role.retransmission_of.is_some() {
                Msg::RepFlowRetransmission.template(lang)
            } else {
                ""
            }
        );
    }
    out.push_str(&exchanges_text(a, lang));
    out
}

fn header_text(a: &Analysis, lang: Lang) -> String {
    let range = match (a.first_ts, a.last_ts) {
        (Some(f), Some(l)) => text!(RepRange, from = format_ts(f), to = format_ts(l)).render(lang),
        _ => String::new(),
    };
    let t = text!(
        RepHeader,
        file = &a.file,
        format = &a.format,
        links = a.link_types.join(", "),
        frames = a.frames,
        bytes = a.bytes,
        range = range
    );
    format!("{}\n", t.render(lang))
}

fn skips_text(a: &Analysis, lang: Lang) -> String {
    let mut out = String::new();
    if a.skips.total() > 0 {
        out.push_str(&format!("\n{}\n", Msg::RepSkipped.template(lang)));
        for (k, v) in &a.skips.counts {
            out.push_str(&format!("  {k}: {v}\n"));
        }
    }
    for t in &a.tls {
        let line = text!(RepTlsStream, src = t.src, dst = t.dst, frame = t.frame);
        out.push_str(&format!("\n{}\n", line.render(lang)));
    }
    out
}

/// The frames worth escalating: every frame of every message of every auth exchange, and the
/// ICMP errors, in capture order.
pub fn relevant_frames(a: &Analysis) -> Vec<u64> {
    let mut frames: Vec<u64> = a
        .exchanges
        .iter()
        .flat_map(|e| e.messages())
        .filter_map(|m| a.messages.get(m))
        .flat_map(|m| m.frames().into_iter().chain(std::iter::once(m.frame())))
        .chain(a.icmp.iter().map(|i| i.frame))
        .collect();
    frames.sort_unstable();
    frames.dedup();
    frames
}

/// Save the relevant frames of `a` (see [`relevant_frames`]), byte for byte, from `source`
/// (the capture `a` was made from) to `out`; returns how many frames were written.
pub fn export_relevant(a: &Analysis, source: &Path, out: &Path) -> Result<u64, Error> {
    let frames: BTreeSet<u64> = relevant_frames(a).into_iter().collect();
    if frames.is_empty() {
        return Err(Error::NothingToSave);
    }
    crate::capture::export_frames(source, &frames, out)
}

fn severity_word(s: Severity, lang: Lang) -> &'static str {
    match s {
        Severity::Error => Msg::SevError,
        Severity::Warning => Msg::SevWarning,
        Severity::Info => Msg::SevInfo,
    }
    .template(lang)
}

/// A step verdict's word in `lang` (`ok`, `problem`, `not-checked` in English).
pub fn verdict_word(v: diagnose::StepVerdict, lang: Lang) -> &'static str {
    match v {
        diagnose::StepVerdict::Ok => Msg::VerdictWordOk,
        diagnose::StepVerdict::Warning => Msg::VerdictWordWarning,
        diagnose::StepVerdict::Problem => Msg::VerdictWordProblem,
        diagnose::StepVerdict::NotChecked => Msg::VerdictWordNotChecked,
    }
    .template(lang)
}

/// The knowledge-base entry that guides the fix: the one of the most important finding that is
/// an error or a warning.
pub fn guided_fix(a: &Analysis) -> Option<&'static kb::Entry> {
    a.findings
        .iter()
        .find(|f| f.severity.is_problem())
        .and_then(|f| kb::get(f.kb_id()))
}

/// The guided fix of the most important problem, for this capture's server and values.
pub fn guided_fix_for(a: &Analysis, lang: Lang) -> Option<crate::fix::Fix> {
    a.findings
        .iter()
        .find(|f| f.severity.is_problem())
        .and_then(|f| crate::fix::capture::for_finding(a, f, lang))
}

/// The one-sentence verdict: the first problem's title, or that all is well. A phone clock off
/// under accepted requests is a warning under a healthy verdict, not the verdict.
/// With more than one account, the census ("7 of 40 accounts fail: ...").
pub fn verdict(a: &Analysis) -> String {
    verdict_in(a, Lang::En)
}

/// [`verdict`] in `lang`.
pub fn verdict_in(a: &Analysis, lang: Lang) -> String {
    if let Some(c) = a.census() {
        return c.sentence_in(lang);
    }
    let harmless_clock = diagnose::clock::broke_nothing(a);
    let problem = a
        .findings
        .iter()
        .find(|f| f.severity.is_problem() && !(harmless_clock && f.code == FindingCode::ClockSkew));
    let t = match problem {
        Some(f) => return f.title_in(lang),
        None if harmless_clock => Msg::VerdictHealthyClock,
        None if !a.exchanges.is_empty() => Msg::VerdictHealthy,
        None => Msg::VerdictNothing,
    };
    t.template(lang).to_string()
}

fn finding_text(f: &Finding, lang: Lang) -> String {
    let head = text!(
        RepFindingHead,
        sev = severity_word(f.severity, lang),
        title = f.title_in(lang),
        code = f.code.as_str()
    );
    let mut out = format!("{}\n", head.render(lang));
    out.push_str(&format!("  {}\n", f.explanation_in(lang)));
    for (i, c) in f.causes_in(lang).iter().enumerate() {
        let line = text!(RepLikelyCause, n = i + 1, cause = c).render(lang);
        out.push_str(&format!("  {line}\n"));
    }
    for e in &f.evidence {
        let line = text!(RepFrameLine, frame = e.frame, text = e.text_in(lang)).render(lang);
        out.push_str(&format!("  {line}\n"));
    }
    if f.more_evidence > 0 {
        let line = text!(RepAndMore, n = f.more_evidence).render(lang);
        out.push_str(&format!("  {line}\n"));
    }
    if let Some(entry) = kb::get(f.kb_id()) {
        let line = text!(RepFixLine, title = entry.title(lang), id = &entry.id).render(lang);
        out.push_str(&format!("  {line}\n"));
    }
    out
}

/// Spaces that pad `s` to `width` terminal columns (a CJK character takes two).
fn pad(s: &str, width: usize) -> String {
    " ".repeat(width.saturating_sub(crate::textsafe::columns(s)))
}

/// The `analyze` text report.
pub fn analysis_text(a: &Analysis, lang: Lang) -> String {
    let mut out = header_text(a, lang);
    let verdict = text!(RepVerdictLine, verdict = verdict_in(a, lang));
    out.push_str(&format!("\n{}\n", verdict.render(lang)));
    out.push_str(&format!(
        "\n{}\n",
        text!(RepFindingsHead, n = a.findings.len()).render(lang)
    ));
    for f in &a.findings {
        out.push('\n');
        out.push_str(&finding_text(f, lang));
    }
    if !a.verifications.is_empty() {
        out.push_str(&format!(
            "\n{}\n",
            Msg::RepDigestVerification.template(lang)
        ));
        for v in &a.verifications {
            let line = text!(
                RepFrameLine,
                frame = v.frame,
                text = format!(
                    "{} {}{}",
                    if v.verified {
                        Msg::RepMatch
                    } else {
                        Msg::RepNoMatch
                    }
                    .template(lang),
                    v.explanation_in(lang),
                    v.differs
                        .map(|d| text!(RepDiffers, d = d.as_str()).render(lang))
                        .unwrap_or_default()
                )
            );
            out.push_str(&format!("  {}\n", line.render(lang)));
        }
    }
    out.push_str(&format!("\n{}\n", Msg::RepSteps.template(lang)));
    for s in diagnose::steps(a) {
        out.push_str(&format!(
            "  {}. {}{} {}{} {}\n",
            s.step,
            s.name_in(lang),
            pad(s.name_in(lang), 24),
            verdict_word(s.verdict, lang),
            pad(verdict_word(s.verdict, lang), 12),
            s.summary_in(lang)
        ));
    }
    if let Some(fix) = guided_fix_for(a, lang) {
        out.push('\n');
        out.push_str(Msg::RepGuidedFixLine.template(lang));
        out.push_str(&crate::fix::to_text(&fix, lang));
    }
    out.push_str(&exchanges_text(a, lang));
    out
}

use crate::textsafe::{md_code_block, md_code_span, md_text as md_escape};

/// A table cell holding `s` literally: a code span, with `|` escaped (GFM tables split cells
/// on `|` before reading code spans).
fn md_cell(s: &str) -> String {
    md_code_span(s).replace('|', "\\|")
}

/// A Markdown report for a ticket: verdict, findings with evidence, the guided fix. Values
/// from the capture are escaped or in code spans/blocks (see [`crate::textsafe`]), so no markup
/// or terminal escape from a capture is live in it.
pub fn markdown(a: &Analysis, lang: Lang) -> String {
    let mut out = String::new();
    out.push_str(&format!("# {}\n\n", Msg::RepTitle.template(lang)));
    let capture = text!(
        RepCaptureLine,
        file = md_code_span(&a.file),
        format = md_escape(&a.format),
        frames = a.frames
    );
    let counts = text!(
        RepCountsLine,
        messages = a.messages.len(),
        exchanges = a.exchanges.len()
    );
    out.push_str(&format!(
        "- {}\n- {}\n\n",
        capture.render(lang),
        counts.render(lang)
    ));
    out.push_str(&format!(
        "## {}\n\n**{}**\n\n",
        Msg::RepVerdict.template(lang),
        md_escape(&verdict_in(a, lang))
    ));
    out.push_str(&format!("## {}\n\n", Msg::RepFindings.template(lang)));
    for f in &a.findings {
        out.push_str(&format!(
            "### {} — {} (`{}`)\n\n{}\n\n",
            severity_word(f.severity, lang),
            md_escape(&f.title_in(lang)),
            f.code,
            md_escape(&f.explanation_in(lang))
        ));
        for c in f.causes_in(lang) {
            let line = text!(RepLikely, cause = md_escape(&c)).render(lang);
            out.push_str(&format!("- {line}\n"));
        }
        if !f.evidence.is_empty() {
            out.push_str(&format!(
                "\n| {} | {} |\n|---|---|\n",
                Msg::RepFrame.template(lang),
                Msg::RepEvidence.template(lang)
            ));
            for e in &f.evidence {
                out.push_str(&format!(
                    "| {} | {} |\n",
                    e.frame,
                    md_cell(&e.text_in(lang))
                ));
            }
            out.push('\n');
        }
    }
    if let Some(fix) = guided_fix_for(a, lang) {
        out.push_str(&format!("## {}\n\n", Msg::RepGuidedFix.template(lang)));
        out.push_str(&crate::fix::to_markdown(&fix, lang));
        out.push('\n');
    }
    out.push_str(&format!("## {}\n\n", Msg::RepExchanges.template(lang)));
    let mut ladders = String::new();
    for e in &a.exchanges {
        ladders.push_str(&ladder_text_in(a, e, lang));
        ladders.push('\n');
    }
    out.push_str(&md_code_block(&ladders));
    out
}

fn html_escape(s: &str) -> String {
    crate::textsafe::terminal(s)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The same report as a self-contained HTML page.
pub fn html(a: &Analysis, lang: Lang) -> String {
    let title = Msg::RepTitle.template(lang);
    let mut out = format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <style>body{{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}}\
         .error{{color:#b00020}}.warning{{color:#a15c00}}.info{{color:#555}}\
         pre{{background:#f4f4f4;padding:1em;overflow:auto}}td,th{{padding:.2em .6em;text-align:left}}</style>\
         </head><body><h1>{title}</h1>",
        lang.code()
    );
    let capture = text!(
        RepHtmlCapture,
        file = format!("<code>{}</code>", html_escape(&a.file)),
        format = html_escape(&a.format),
        frames = a.frames,
        messages = a.messages.len(),
        exchanges = a.exchanges.len()
    );
    out.push_str(&format!("<p>{}</p>", capture.render(lang)));
    out.push_str(&format!(
        "<h2>{}</h2><p><strong>{}</strong></p><h2>{}</h2>",
        Msg::RepVerdict.template(lang),
        html_escape(&verdict_in(a, lang)),
        Msg::RepFindings.template(lang)
    ));
    for f in &a.findings {
        let cls = f.severity.as_str();
        out.push_str(&format!(
            "<h3 class=\"{cls}\">{} — {} (<code>{}</code>)</h3><p>{}</p>",
            severity_word(f.severity, lang),
            html_escape(&f.title_in(lang)),
            f.code,
            html_escape(&f.explanation_in(lang))
        ));
        let causes = f.causes_in(lang);
        if !causes.is_empty() {
            out.push_str("<ul>");
            for c in causes {
                let line = text!(RepLikely, cause = html_escape(&c)).render(lang);
                out.push_str(&format!("<li>{line}</li>"));
            }
            out.push_str("</ul>");
        }
        if !f.evidence.is_empty() {
            out.push_str(&format!(
                "<table><tr><th>{}</th><th>{}</th></tr>",
                Msg::RepFrame.template(lang),
                Msg::RepEvidence.template(lang)
            ));
            for e in &f.evidence {
                out.push_str(&format!(
                    "<tr><td>{}</td><td>{}</td></tr>",
                    e.frame,
                    html_escape(&e.text_in(lang))
                ));
            }
            out.push_str("</table>");
        }
    }
    if let Some(fix) = guided_fix_for(a, lang) {
        out.push_str(&format!(
            "<h2>{}: {}</h2><p><em>{}</em></p><ol>",
            Msg::RepGuidedFix.template(lang),
            html_escape(&fix.title),
            html_escape(crate::fix::server_label(&fix.server, lang))
        ));
        for s in &fix.steps {
            out.push_str(&format!(
                "<li><strong>{}</strong>{} {}",
                html_escape(&s.title),
                if s.done { " ✓" } else { "" },
                html_escape(&s.detail)
            ));
            for c in s.commands.iter().chain(&s.other_servers) {
                out.push_str(&format!(
                    "<br><em>{}</em>:<pre>{}</pre>",
                    html_escape(crate::fix::server_label(&c.server, lang)),
                    html_escape(&c.text)
                ));
            }
            out.push_str("</li>");
        }
        out.push_str("</ol>");
    }
    html_accounts(a, lang, &mut out);
    html_ladders(a, lang, &mut out);
    out.push_str("</body></html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn html_draws_each_exchange_and_lists_the_accounts_problems_first() {
        // One phone, four REGISTERs refused (lab fixture 02): one ladder of 8 arrows, no table.
        let one = fixture("02-register-wrong-password.pcap");
        let h = html(&one, Lang::En);
        assert_eq!(h.matches("<svg ").count(), one.exchanges.len());
        assert_eq!(h.matches("marker-end=").count(), one.messages.len());
        assert!(h.contains("401 Unauthorized") && h.contains("+Auth user=&quot;1001&quot;"));
        assert!(!h.contains("<h2>Accounts</h2>"));
        // The office: 24 accounts, the failing ones first, each with its root cause's title.
        let office = fixture("13-office-register-mixed.pcap");
        let h = html(&office, Lang::En);
        let table = &h[h.find("<h2>Accounts</h2>").expect("accounts table")..];
        let rows: Vec<&str> = table.split("<tr").skip(2).collect();
        assert_eq!(rows.len(), office.accounts.len());
        let failing = office
            .accounts
            .iter()
            .filter(|x| x.root_cause.is_some())
            .count();
        assert!(failing > 0);
        assert!(
            rows[..failing]
                .iter()
                .all(|r| r.starts_with(" class=\"error\""))
        );
        assert!(
            rows[failing..]
                .iter()
                .all(|r| !r.contains("class=\"error\""))
        );
        assert!(table.contains("<td>2017</td>"));
        // Failed exchanges are drawn first; past the cap the rest are counted, not drawn.
        let drawn = h.matches("<svg ").count();
        assert_eq!(drawn, office.exchanges.len().min(HTML_MAX_LADDERS));
        let first_fail = office.exchanges.iter().find(|e| !e.outcome.is_success());
        let text = ladder_text_in(&office, first_fail.unwrap(), Lang::En);
        let head = html_escape(text.lines().next().unwrap());
        let ladders = &h[h.find("<h2>Auth exchanges</h2>").unwrap()..];
        assert!(ladders.starts_with(&format!("<h2>Auth exchanges</h2><h3>{head}</h3>")));
        // In Chinese, the table's words too.
        let zh = html(&office, Lang::Zh);
        assert!(zh.contains("<h2>账号</h2>") && zh.contains("<th>根本原因</th>"));
    }
    use crate::diagnose::StepVerdict;
    use crate::testutil::fixture;
    use crate::transaction::Outcome;
    use crate::verify::Differs;

    fn keys(v: &Value) -> Vec<&str> {
        v.as_object()
            .unwrap_or_else(|| panic!("an object: {v}"))
            .keys()
            .map(String::as_str)
            .collect()
    }

    fn has_all(v: &Value, want: &[&str]) {
        let got = keys(v);
        for k in want {
            assert!(got.contains(k), "{k} missing from {got:?}");
        }
    }

    /// The backticked words of the README line that starts with `starts` (the JSON contract).
    fn readme_words(starts: &str, after: &str) -> Vec<String> {
        let readme = include_str!("../README.md");
        let line = readme
            .lines()
            .find(|l| l.starts_with(starts))
            .unwrap_or_else(|| panic!("README line {starts}"));
        let rest = &line[line.find(after).expect(after) + after.len()..];
        let inner = &rest[rest.find('(').unwrap() + 1..rest.find(')').unwrap()];
        inner
            .split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn accounts_json_has_every_field_of_the_readme_row_and_a_census_verdict() {
        let readme = include_str!("../README.md");
        let line = readme
            .lines()
            .find(|l| l.starts_with("| `accounts[]`"))
            .expect("README accounts row");
        // The field names: the backticked words of the row, outside parentheses.
        let mut depth = 0;
        let outside: String = line
            .chars()
            .filter(|&c| {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => return depth == 0,
                }
                false
            })
            .collect();
        let mut fields: Vec<&str> = outside.split('`').skip(3).step_by(2).collect();
        fields.sort_unstable();
        assert!(fields.len() >= 11, "{fields:?}");
        let a = fixture("13-office-register-mixed.pcap");
        let v = analysis_json(&a);
        let accs = v["accounts"].as_array().unwrap();
        assert_eq!(accs.len(), 24);
        for x in accs {
            let mut got = keys(x);
            got.sort_unstable();
            assert_eq!(got, fields, "the README's names");
        }
        has_all(
            &v["census"],
            &["total", "failing", "by_cause", "unexplained", "sentence"],
        );
        assert_eq!(verdict(&a), v["census"]["sentence"]);
        assert!(verdict(&a).starts_with("6 of 24 accounts fail: "));
        // One account: no census, the verdict is the finding's.
        let one = fixture("02-register-wrong-password.pcap");
        assert!(analysis_json(&one)["census"].is_null());
        assert_eq!(verdict(&one), one.findings[0].title);
    }

    #[test]
    fn analyze_json_has_every_field_of_the_readme_contract() {
        let a = fixture("10a-register-brute-force-403.pcap");
        let v = analysis_json(&a);
        has_all(
            &v,
            &[
                "file",
                "format",
                "frames",
                "messages",
                "exchanges",
                "findings",
                "verifications",
                "steps",
                "servers",
                "clock",
                "icmp",
                "tls",
                "skips",
                "skipped_total",
                "has_error",
            ],
        );
        has_all(
            &v["messages"][0],
            &[
                "index",
                "frame",
                "frames",
                "time",
                "ts_ns",
                "src",
                "dst",
                "transport",
                "kind",
                "method",
                "request_uri",
                "line",
                "call_id",
                "cseq",
                "retransmission_of",
                "exchange",
            ],
        );
        assert_eq!(v["messages"][0]["transport"], "udp");
        has_all(
            &v["exchanges"][0],
            &[
                "id",
                "method",
                "call_id",
                "client",
                "server",
                "from_user",
                "to_user",
                "request_uri",
                "outcome",
                "final_status",
                "attempts",
                "messages",
            ],
        );
        has_all(
            &v["exchanges"][0]["attempts"][0],
            &[
                "request",
                "frame",
                "cseq",
                "credentials",
                "retransmissions",
                "responses",
                "final_status",
                "icmp",
            ],
        );
        let f = &v["findings"][0];
        has_all(
            f,
            &[
                "code",
                "severity",
                "title",
                "explanation",
                "evidence",
                "exchanges",
                "kb",
            ],
        );
        assert_eq!(f["code"], "brute-force-block");
        assert_eq!(f["severity"], "error");
        // Kamailio's own htable counter answers the 403: its own ban, not fail2ban's.
        assert_eq!(f["kb"], "communication/sip-server-own-ban");
        has_all(&f["evidence"][0], &["frame", "text"]);
        has_all(
            &v["steps"][0],
            &["step", "name", "verdict", "summary", "findings"],
        );
        assert_eq!(v["steps"][2]["verdict"], "problem");
        assert_eq!(v["steps"][2]["findings"][0], "brute-force-block");
        assert_eq!(v["has_error"], true);
        // Every finding is joined to its knowledge-base entry: its code's, or its override.
        for (f, j) in a.findings.iter().zip(v["findings"].as_array().unwrap()) {
            assert_eq!(j["code"], f.code.as_str());
            assert_eq!(j["kb"].as_str(), kb::get(f.kb_id()).map(|e| e.id.as_str()));
        }
    }

    #[test]
    fn empty_causes_and_no_left_out_evidence_are_omitted() {
        let a = fixture("02-register-wrong-password.pcap");
        let v = analysis_json(&a);
        for (f, j) in a.findings.iter().zip(v["findings"].as_array().unwrap()) {
            assert_eq!(
                j.get("causes").is_some(),
                !f.causes.is_empty(),
                "{}",
                f.code
            );
            assert_eq!(j.get("more_evidence").is_some(), f.more_evidence > 0);
        }
        let rejected = &v["findings"][0];
        assert_eq!(rejected["code"], "credentials-rejected");
        assert_eq!(rejected["causes"].as_array().unwrap().len(), 3);
        // The flows JSON is the analyze JSON without the diagnosis.
        let flows = flows_json(&a);
        assert!(flows.get("findings").is_none() && flows.get("steps").is_none());
        assert_eq!(flows["messages"], v["messages"]);
        let mut buf = Vec::new();
        write_flows_json(&a, &mut buf).unwrap();
        assert_eq!(serde_json::from_slice::<Value>(&buf).unwrap(), flows);
    }

    #[test]
    fn enum_names_are_the_readme_s_and_serde_s() {
        let codes: Vec<&str> = FindingCode::ALL.iter().map(|c| c.as_str()).collect();
        let readme = include_str!("../README.md");
        let start = readme.find("Finding codes: ").unwrap();
        let para = &readme[start..start + readme[start..].find("\n\n").unwrap()];
        let mut listed: Vec<&str> = para.split('`').skip(1).step_by(2).collect();
        let mut sorted = codes.clone();
        listed.sort_unstable();
        sorted.sort_unstable();
        assert_eq!(listed, sorted, "README's finding codes");
        let outcomes = Outcome::ALL;
        for o in outcomes {
            assert_eq!(serde_json::to_value(o).unwrap(), o.as_str());
        }
        let names: Vec<&str> = outcomes.iter().map(|o| o.as_str()).collect();
        assert_eq!(readme_words("| `exchanges[]`", "`outcome` "), names);
        let differs = Differs::ALL;
        for d in differs {
            assert_eq!(serde_json::to_value(d).unwrap(), d.as_str());
        }
        let listed = readme_words("| `verifications[]`", "`differs` ");
        let names: Vec<&str> = differs.iter().map(|d| d.as_str()).collect();
        assert_eq!(listed, names, "README's differs (besides null)");
        let verdicts: Vec<&str> = StepVerdict::ALL.iter().map(|v| v.as_str()).collect();
        assert_eq!(readme_words("| `steps[]`", "`verdict` "), verdicts);
        let sev: Vec<&str> = [Severity::Error, Severity::Warning, Severity::Info]
            .iter()
            .map(|s| s.as_str())
            .collect();
        assert_eq!(
            readme_words("| `findings[]`", "`severity` ")
                .iter()
                .flat_map(|w| w.split('/'))
                .collect::<Vec<_>>(),
            sev
        );
    }

    #[test]
    fn relevant_frames_are_the_exchanges_and_icmp_and_export_refuses_nothing() {
        let a = fixture("06-register-no-listener.pcap");
        let frames = relevant_frames(&a);
        assert!(a.icmp.iter().all(|i| frames.contains(&i.frame)));
        assert!(a.messages.iter().all(|m| frames.contains(&m.frame())));
        assert!(
            frames.windows(2).all(|w| w[0] < w[1]),
            "sorted, no duplicates"
        );
        let none = fixture("94-header-only.pcap");
        assert!(relevant_frames(&none).is_empty());
        let err = export_relevant(&none, Path::new("x.pcap"), Path::new("/nonexistent/y.pcap"))
            .unwrap_err();
        assert!(err.to_string().contains("nothing to save"), "{err}");
    }

    #[test]
    fn text_reports_name_the_code_and_the_fix() {
        let a = fixture("10a-register-brute-force-403.pcap");
        let t = analysis_text(&a, Lang::En);
        assert!(t.contains("(brute-force-block)"));
        assert!(t.contains("(kb communication/sip-server-own-ban)"));
        assert!(t.contains(&format!("Verdict: {}", a.findings[0].title)));
        let md = markdown(&a, Lang::Zh);
        let entry = guided_fix(&a).expect("a guided fix");
        assert_eq!(entry.id, "communication/sip-server-own-ban");
        assert!(md.contains(entry.title(Lang::Zh)));
        let ok = fixture("01-register-ok.pcap");
        assert_eq!(
            verdict(&ok),
            "No authentication problem found in this capture"
        );
    }

    #[test]
    fn a_phone_clock_off_under_a_200_is_a_warning_under_a_healthy_verdict() {
        // 11: the phone's Date is 9821 days behind, the REGISTER gets 200 OK.
        let a = fixture("11-register-date-skew.pcap");
        let v = verdict(&a);
        assert!(v.starts_with("No authentication problem found"), "{v}");
        let t = analysis_text(&a, Lang::En);
        assert!(
            t.contains("[WARNING] The phone's clock is off by -9821 days 8 h"),
            "{t}"
        );
        assert!(!t.contains("848564094"));
        let j = analysis_json(&a);
        let sides: Vec<&str> = j["clock"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["side"].as_str().unwrap())
            .collect();
        assert_eq!(sides, ["client", "server", "client"]);
        assert_eq!(j["findings"][0]["severity"], "warning");
    }
}
