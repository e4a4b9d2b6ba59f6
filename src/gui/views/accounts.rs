//! Step 1 of a whole-server capture: the accounts table. Counts by root cause above it
//! (clickable filters), one search box, sortable columns, and only the visible rows laid out
//! (`ScrollArea::show_rows`), so 100,000 accounts draw as fast as ten.

use egui::{Align2, FontId, RichText, ScrollArea, Sense, Ui, pos2, vec2};

use super::{count, palette};
use crate::accounts::{Account, outcome_rank};
use crate::gui::accounts::{Column, Filter, root_cause};
use crate::gui::i18n::S;
use crate::gui::state::{Intent, Loaded, SipDoctorApp};
use crate::kb::Lang;
use crate::transaction::Outcome;

const ROW_H: f32 = 24.0;
/// Share of the table's width per column, in [`Column::ALL`] order.
const WIDTHS: [f32; 9] = [0.08, 0.08, 0.13, 0.12, 0.09, 0.25, 0.06, 0.095, 0.095];

/// The id of the search box (Ctrl+F puts the keyboard focus there).
pub fn search_id() -> egui::Id {
    egui::Id::unique("sipdoctor-accounts-search")
}

/// The accessible name of an account's row (tests click rows by it).
pub fn row_label(lang: Lang, a: &Account) -> String {
    format!("{} {} @ {}", S::Account.get(lang), a.user, a.client.ip())
}

fn column_title(c: Column) -> S {
    match c {
        Column::User => S::ColUser,
        Column::AuthUser => S::ColAuthUser,
        Column::Client => S::ColClient,
        Column::UserAgent => S::ColUserAgent,
        Column::Outcome => S::Outcome,
        Column::RootCause => S::ColRootCause,
        Column::Attempts => S::ColAttempts,
        Column::FirstSeen => S::ColFirstSeen,
        Column::LastSeen => S::ColLastSeen,
    }
}

/// A root cause in the user's language: the title of the knowledge-base entry its finding
/// links (a server's own ban is not fail2ban's), else its code.
pub fn cause_text(l: &Loaded, code: crate::finding::FindingCode, lang: Lang) -> String {
    crate::kb::get(l.table.kb_id(code))
        .or_else(|| crate::kb::for_code(code))
        .map(|e| e.title(lang).to_string())
        .unwrap_or_else(|| code.as_str().to_string())
}

/// The time of day of a capture timestamp (the date is in the row's tooltip).
fn clock(ts: crate::capture::Nanos) -> String {
    let full = crate::time::format_ts(ts);
    full.split_once(' ')
        .map(|(_, t)| t.to_string())
        .unwrap_or(full)
}

pub fn show(app: &mut SipDoctorApp, ui: &mut Ui) {
    let lang = app.lang();
    let mut out = Vec::new();
    let Some(l) = app.loaded.as_mut() else { return };
    super::heading(ui, S::Accounts.get(lang));
    ui.add(egui::Label::new(RichText::new(l.verdict_in(lang)).strong()).wrap());
    ui.add_space(4.0);
    filters(l, lang, ui, &mut out);
    ui.add_space(4.0);
    search(l, lang, ui, &mut out);
    ui.add_space(4.0);
    table(l, lang, ui, &mut out);
    app.pending.append(&mut out);
}

/// "All · Problems · one chip per root cause · Working" and the outcome filter.
fn filters(l: &Loaded, lang: Lang, ui: &mut Ui, out: &mut Vec<Intent>) {
    let total = l.accounts().len();
    let t = &l.table;
    let p = palette(ui);
    ui.horizontal_wrapped(|ui| {
        let mut chip = |ui: &mut Ui, f: Option<Filter>, text: RichText| {
            if ui.selectable_label(t.filter == f, text).clicked() {
                out.push(Intent::FilterAccounts(if t.filter == f { None } else { f }));
            }
        };
        chip(
            ui,
            None,
            RichText::new(format!(
                "{} {}",
                S::AllAccounts.get(lang),
                count(total as u64, lang)
            )),
        );
        chip(
            ui,
            Some(Filter::Problems),
            RichText::new(format!(
                "⚠ {} {}",
                S::WithProblem.get(lang),
                count(t.problems as u64, lang)
            ))
            .color(p.bad),
        );
        for &(code, n) in &t.counts {
            chip(
                ui,
                Some(Filter::Cause(code)),
                RichText::new(format!(
                    "{} {}",
                    cause_text(l, code, lang),
                    count(n as u64, lang)
                ))
                .color(p.bad),
            );
        }
        chip(
            ui,
            Some(Filter::Healthy),
            RichText::new(format!(
                "✓ {} {}",
                S::Working.get(lang),
                count(total.saturating_sub(t.problems) as u64, lang)
            ))
            .color(p.ok),
        );
    });
}

fn search(l: &mut Loaded, lang: Lang, ui: &mut Ui, out: &mut Vec<Intent>) {
    let total = l.accounts().len();
    let t = &mut l.table;
    ui.horizontal(|ui| {
        let label = ui.label(S::Search.get(lang));
        let r = ui
            .add(
                egui::TextEdit::singleline(&mut t.search)
                    .id(search_id())
                    .desired_width(360.0)
                    .hint_text(S::SearchHint.get(lang)),
            )
            .labelled_by(label.id);
        if std::mem::take(&mut t.focus_search) {
            r.request_focus();
        }
        if r.changed() {
            out.push(Intent::SearchAccounts);
        }
        if !t.search.is_empty()
            && ui
                .small_button("×")
                .on_hover_text(S::ClearSearch.get(lang))
                .clicked()
        {
            t.search.clear();
            out.push(Intent::SearchAccounts);
        }
        let olabel = ui.label(S::Outcome.get(lang));
        let current = match t.filter {
            Some(Filter::Outcome(o)) => crate::accounts::outcome_words(o, lang).to_string(),
            _ => S::AnyOutcome.get(lang).to_string(),
        };
        let mut pick = t.filter;
        egui::ComboBox::from_id_salt("outcome-filter")
            .selected_text(current)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut pick, None, S::AnyOutcome.get(lang));
                for o in Outcome::ALL {
                    let word = crate::accounts::outcome_words(o, lang);
                    ui.selectable_value(&mut pick, Some(Filter::Outcome(o)), word);
                }
            })
            .response
            .labelled_by(olabel.id);
        if pick != t.filter {
            out.push(Intent::FilterAccounts(pick));
        }
        ui.label(
            RichText::new(format!(
                "{} / {} {}",
                count(t.shown.len() as u64, lang),
                count(total as u64, lang),
                S::AccountsShown.get(lang)
            ))
            .weak(),
        );
    });
}

fn table(l: &Loaded, lang: Lang, ui: &mut Ui, out: &mut Vec<Intent>) {
    let width = ui.available_width();
    let xs: Vec<f32> = WIDTHS
        .iter()
        .scan(0.0, |x, w| {
            let at = *x;
            *x += w * width;
            Some(at)
        })
        .collect();
    // Header: one button per column; a click sorts by it.
    let (hrect, _) = ui.allocate_exact_size(vec2(width, ROW_H), Sense::hover());
    for (i, col) in Column::ALL.into_iter().enumerate() {
        let arrow = match l.table.sort {
            Some((c, false)) if c == col => " ▲",
            Some((c, true)) if c == col => " ▼",
            _ => "",
        };
        let r = egui::Rect::from_min_size(
            pos2(hrect.left() + xs[i], hrect.top()),
            vec2(WIDTHS[i] * width - 2.0, ROW_H),
        );
        // Left-aligned like the cells under it; clickable, with an accessible name.
        let title = format!("{}{arrow}", column_title(col).get(lang));
        let resp = ui
            .interact(r, ui.scope_id().with(("account-col", i)), Sense::click())
            .on_hover_text(S::SortHint.get(lang));
        resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &title));
        let colour = if resp.hovered() {
            ui.visuals().strong_text_color()
        } else {
            ui.visuals().text_color()
        };
        ui.painter().with_clip_rect(r).text(
            pos2(r.left() + 4.0, r.center().y),
            Align2::LEFT_CENTER,
            &title,
            FontId::proportional(14.0),
            colour,
        );
        if resp.clicked() {
            out.push(Intent::SortAccounts(col));
        }
    }
    ui.separator();
    let accounts = l.accounts();
    let shown = &l.table.shown;
    if shown.is_empty() {
        ui.label(RichText::new(S::NoAccountMatches.get(lang)).weak());
        return;
    }
    let p = palette(ui);
    let text = ui.visuals().text_color();
    let weak = ui.visuals().weak_text_color();
    let font = FontId::proportional(13.5);
    ScrollArea::vertical()
        .id_salt("accounts-scroll")
        .auto_shrink([false, false])
        .show_rows(ui, ROW_H, shown.len(), |ui, range| {
            for &i in &shown[range] {
                let a = &accounts[i];
                let (rect, r) = ui.allocate_exact_size(vec2(width, ROW_H), Sense::click());
                let name = row_label(lang, a);
                r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
                if r.hovered() {
                    ui.painter()
                        .rect_filled(rect, 2.0, ui.visuals().widgets.hovered.weak_bg_fill);
                }
                let cause = root_cause(a);
                let cells = [
                    a.user.clone(),
                    a.auth_user.clone().unwrap_or_else(|| "—".into()),
                    a.client.to_string(),
                    a.user_agent.clone().unwrap_or_else(|| "—".into()),
                    crate::accounts::outcome_words(a.outcome, lang).to_string(),
                    cause
                        .map(|c| cause_text(l, c, lang))
                        .unwrap_or_else(|| "—".into()),
                    a.attempts.to_string(),
                    clock(a.first_seen),
                    clock(a.last_seen),
                ];
                let bad = outcome_rank(a.outcome) > 1;
                for (c, cell) in cells.iter().enumerate() {
                    let colour = match c {
                        4 | 5 if cause.is_some() || bad => p.bad,
                        4 => p.ok,
                        3 | 7 | 8 => weak,
                        _ => text,
                    };
                    let cell_rect = egui::Rect::from_min_size(
                        pos2(rect.left() + xs[c] + 4.0, rect.top()),
                        vec2(WIDTHS[c] * width - 8.0, ROW_H),
                    );
                    // One line, cut with "…" when the column is too narrow (not clipped
                    // mid-letter); the row's tooltip has the whole root cause.
                    let mut job = egui::text::LayoutJob::simple_singleline(
                        cell.clone(),
                        font.clone(),
                        colour,
                    );
                    job.wrap = egui::text::TextWrapping::truncate_at_width(cell_rect.width());
                    let galley = ui.painter().layout_job(job);
                    let at = pos2(cell_rect.left(), rect.center().y - galley.size().y / 2.0);
                    ui.painter().galley(at, galley, colour);
                }
                let r = r.on_hover_text(format!(
                    "{name}\n{}: {} ({})\n{} {} → {}\n{}",
                    S::ColRootCause.get(lang),
                    cells[5],
                    cause.map(|c| c.as_str()).unwrap_or("—"),
                    crate::time::format_ts(a.first_seen),
                    a.realm.as_deref().unwrap_or(""),
                    a.server,
                    S::PickAccountHint.get(lang)
                ));
                if r.clicked() {
                    out.push(Intent::FocusAccount(Some(i)));
                }
            }
        });
}
