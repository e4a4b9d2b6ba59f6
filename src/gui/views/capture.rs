//! Step 1: the capture — findings, auth exchanges, the ladder, the raw message.

use egui::{RichText, ScrollArea, Ui};

use super::{heading, palette, severity_look};
use crate::gui::i18n::S;
use crate::gui::state::{Intent, SipDoctorApp, Step};

pub fn show(app: &mut SipDoctorApp, ui: &mut Ui) {
    let lang = app.lang();
    let mut out = Vec::new();
    if app.loaded.is_none() {
        egui::CentralPanel::default_margins().show(ui, |ui| no_capture(app, ui, &mut out));
        app.pending.append(&mut out);
        return;
    }
    let width = ui.available_width();
    egui::Panel::left("findings-exchanges")
        .resizable(true)
        .default_size((width * 0.28).clamp(260.0, 520.0))
        .min_size(200.0)
        .show(ui, |ui| {
            // The exchange list takes what its rows need (heading included), at most 45%
            // of the column; the findings take the rest, so one exchange does not leave
            // half the column empty under findings cut short.
            let avail = ui.available_height();
            let rows = app
                .loaded
                .as_ref()
                .map_or(0, |l| l.analysis.exchanges.len())
                .max(1);
            let list = 48.0 + rows as f32 * ui.spacing().interact_size.y;
            let findings_h = avail - list.min(avail * 0.45);
            ScrollArea::vertical()
                .id_salt("left-scroll")
                .max_height(findings_h)
                .auto_shrink([false, true])
                .show(ui, |ui| findings(app, ui, &mut out));
            ui.separator();
            exchanges(app, ui, &mut out);
        });
    egui::Panel::right("raw-message")
        .resizable(true)
        .default_size((width * 0.3).clamp(280.0, 640.0))
        .min_size(200.0)
        .show(ui, |ui| raw_message(app, ui, &mut out));
    egui::CentralPanel::default_margins().show(ui, |ui| {
        let l = app.loaded.as_ref().expect("checked above");
        heading(ui, S::Ladder.get(lang));
        match app
            .selected_exchange
            .and_then(|i| l.analysis.exchanges.get(i))
        {
            Some(e) => {
                ui.label(RichText::new(S::LadderHint.get(lang)).small().weak());
                super::ladder::draw(ui, l, e, app.selected_message, lang, &mut out);
            }
            None => {
                ui.label(S::NoExchanges.get(lang));
            }
        }
    });
    app.pending.append(&mut out);
}

fn no_capture(app: &SipDoctorApp, ui: &mut Ui, out: &mut Vec<Intent>) {
    let lang = app.lang();
    ui.vertical_centered(|ui| {
        ui.add_space(ui.available_height() * 0.15);
        ui.label(RichText::new(S::NoCapture.get(lang)).heading().strong());
        ui.add_space(8.0);
        ui.add(egui::Label::new(S::NoCaptureHelp.get(lang)).wrap());
        ui.add_space(12.0);
        if ui
            .add_enabled(
                !app.dialog_open,
                egui::Button::new(RichText::new(S::OpenCapture.get(lang)).size(18.0)),
            )
            .on_hover_text(S::OpenCaptureHint.get(lang))
            .clicked()
        {
            out.push(Intent::OpenDialog);
        }
        if !app.settings.recent.is_empty() {
            ui.add_space(12.0);
            ui.label(RichText::new(S::Recent.get(lang)).strong());
            for p in &app.settings.recent {
                if ui
                    .link(p.display().to_string())
                    .on_hover_text(S::RecentHint.get(lang))
                    .clicked()
                {
                    out.push(Intent::Open(p.clone()));
                }
            }
        }
    });
}

/// Evidence lines shown per finding; the rest fold into "… and N more".
const MAX_EVIDENCE: usize = 20;

fn findings(app: &SipDoctorApp, ui: &mut Ui, out: &mut Vec<Intent>) {
    let lang = app.lang();
    let l = app.loaded.as_ref().expect("loaded");
    heading(ui, S::Findings.get(lang));
    if l.analysis.findings.is_empty() {
        ui.label(S::NoFindings.get(lang));
    }
    for (i, f) in l.analysis.findings.iter().enumerate() {
        let (colour, sev) = severity_look(ui, f.severity);
        let title = RichText::new(format!("● {}", super::finding_title(f, lang)))
            .color(colour)
            .strong();
        egui::CollapsingHeader::new(title)
            .id_salt(("finding", i))
            .default_open(i == 0 || f.severity == crate::diagnose::Severity::Error)
            .show(ui, |ui| {
                ui.label(
                    RichText::new(format!("{} · {}", sev.get(lang), f.code))
                        .small()
                        .weak(),
                );
                ui.add(egui::Label::new(f.explanation_in(lang)).wrap());
                let causes = f.causes_in(lang);
                if !causes.is_empty() {
                    ui.label(RichText::new(S::LikelyCauses.get(lang)).strong());
                    for (n, c) in causes.iter().enumerate() {
                        ui.add(egui::Label::new(format!("{}. {c}", n + 1)).wrap());
                    }
                }
                if !f.evidence.is_empty() {
                    ui.label(RichText::new(S::Evidence.get(lang)).strong());
                    for ev in f.evidence.iter().take(MAX_EVIDENCE) {
                        ui.horizontal_wrapped(|ui| {
                            let label = format!("{} {}", S::Frame.get(lang), ev.frame);
                            if ui
                                .link(label)
                                .on_hover_text(S::EvidenceHint.get(lang))
                                .clicked()
                            {
                                out.push(Intent::SelectFrame(ev.frame));
                            }
                            ui.add(egui::Label::new(RichText::new(ev.text_in(lang)).weak()).wrap());
                        });
                    }
                    let more = f.evidence.len().saturating_sub(MAX_EVIDENCE) + f.more_evidence;
                    if more > 0 {
                        ui.label(
                            RichText::new(S::AndMore.get(lang).replace("{n}", &more.to_string()))
                                .small()
                                .weak(),
                        );
                    }
                }
                if crate::kb::get(f.kb_id()).is_some()
                    && ui
                        .small_button(S::OpenFix.get(lang))
                        .on_hover_text(S::GuidedFix.get(lang))
                        .clicked()
                {
                    out.push(Intent::GoTo(Step::Summary));
                }
            });
    }
}

fn exchanges(app: &SipDoctorApp, ui: &mut Ui, out: &mut Vec<Intent>) {
    let lang = app.lang();
    let l = app.loaded.as_ref().expect("loaded");
    let p = palette(ui);
    heading(ui, S::Exchanges.get(lang));
    if l.analysis.exchanges.is_empty() {
        ui.label(S::NoExchanges.get(lang));
    }
    // Only the visible rows are laid out: a server capture has tens of thousands.
    let row_h = ui.spacing().interact_size.y;
    ScrollArea::vertical()
        .id_salt("exchanges-scroll")
        .auto_shrink([false, false])
        .show_rows(ui, row_h, l.analysis.exchanges.len(), |ui, range| {
            for i in range {
                let e = &l.analysis.exchanges[i];
                exchange_row(app, ui, i, e, &p, out);
            }
        });
}

fn exchange_row(
    app: &SipDoctorApp,
    ui: &mut Ui,
    i: usize,
    e: &crate::transaction::Exchange,
    p: &super::Palette,
    out: &mut Vec<Intent>,
) {
    let lang = app.lang();
    let status = e
        .final_status
        .map(|s| s.to_string())
        .unwrap_or_else(|| "—".into());
    let colour = match e.final_status {
        Some(200..=299) => p.ok,
        Some(401 | 407) => p.warn,
        Some(_) => p.bad,
        None => p.bad,
    };
    let user = e
        .from_user
        .or(e.to_user)
        .map(|u| u.to_string())
        .unwrap_or_default();
    let text = format!(
        "{} {} {user} → {} · {}×",
        e.method,
        status,
        e.server,
        e.attempts.len()
    );
    let selected = app.selected_exchange == Some(i);
    let r = ui
        .add(egui::Button::selectable(selected, RichText::new(&text).color(colour)).truncate())
        .on_hover_text(format!(
            "{}: {:?}\nCall-ID {}\n{}",
            S::Outcome.get(lang),
            e.outcome,
            e.call_id,
            e.request_uri
        ));
    if r.clicked() {
        out.push(Intent::SelectExchange(i));
    }
}

fn raw_message(app: &SipDoctorApp, ui: &mut Ui, out: &mut Vec<Intent>) {
    let lang = app.lang();
    let l = app.loaded.as_ref().expect("loaded");
    heading(ui, S::RawMessage.get(lang));
    let Some(m) = app
        .selected_message
        .and_then(|i| l.analysis.messages.get(i))
    else {
        ui.label(RichText::new(S::NoMessageSelected.get(lang)).weak());
        return;
    };
    // Read back from the capture once per selection (the analysis keeps no message bytes).
    let raw: std::borrow::Cow<str> = match app.raw_of_selected() {
        Some(t) => t.into(),
        None => m.raw_text(&l.analysis.raw).into(),
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new(format!(
                "{} {} · {} · {} → {} · {}",
                S::Frame.get(lang),
                m.frame(),
                crate::time::format_ts(m.ts),
                m.src,
                m.dst,
                crate::analysis::Analysis::transport_label(m.transport())
            ))
            .small(),
        );
        super::copy_button(ui, lang, &raw, out);
    });
    for p in m.problems() {
        ui.label(
            RichText::new(format!("⚠ {p}"))
                .color(palette(ui).warn)
                .small(),
        );
    }
    ScrollArea::both()
        .id_salt("raw-scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let mut text: &str = &raw;
            ui.add(
                egui::TextEdit::multiline(&mut text)
                    .id_salt("raw-text")
                    .code_editor()
                    .interactive(true)
                    .desired_width(f32::INFINITY)
                    .desired_rows(30)
                    .hint_text(S::RawMessage.get(lang)),
            )
            .on_hover_text(S::RawMessage.get(lang));
        });
}
