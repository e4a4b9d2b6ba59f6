//! Steps 3 (fail2ban / brute force) and 4 (clock): what the capture shows, and a box to paste
//! the server's own output into.

use egui::{RichText, ScrollArea, Ui};

use super::{command_line, heading, palette, paste_box, severity_look};
use crate::diagnose::server::ClockReading;
use crate::diagnose::{FindingCode, SKEW_THRESHOLD_SECS};
use crate::gui::i18n::S;
use crate::gui::state::{Intent, PasteState, SipDoctorApp};
use crate::kb::Lang;

/// The findings the core files under wizard step `step` (1-based), with clickable evidence.
pub fn step_findings(app: &SipDoctorApp, ui: &mut Ui, step: u8, out: &mut Vec<Intent>) {
    let lang = app.lang();
    heading(ui, S::FromCapture.get(lang));
    let Some(l) = &app.loaded else {
        ui.label(RichText::new(S::NoCapture.get(lang)).weak());
        return;
    };
    let fs: Vec<_> = l
        .analysis
        .findings
        .iter()
        .filter(|f| f.code.step() == step)
        .collect();
    // The step's verdict line repeats the top finding's title: show it only when no finding
    // follows.
    if let Some(r) = l
        .derived
        .steps
        .get(step as usize - 1)
        .filter(|_| fs.is_empty())
    {
        let (icon, colour, _) = super::verdict_look(ui, r.verdict);
        ui.label(
            RichText::new(format!("{icon} {}", r.summary_in(lang)))
                .color(colour)
                .strong(),
        );
    }
    if fs.is_empty() {
        ui.label(S::NothingInCapture.get(lang));
    }
    for f in fs {
        let (colour, _) = severity_look(ui, f.severity);
        ui.label(
            RichText::new(format!("⚠ {}", super::finding_title(f, lang)))
                .color(colour)
                .strong(),
        );
        ui.add(egui::Label::new(f.explanation_in(lang)).wrap());
        for ev in &f.evidence {
            ui.horizontal_wrapped(|ui| {
                if ui
                    .link(format!("{} {}", S::Frame.get(lang), ev.frame))
                    .on_hover_text(S::EvidenceHint.get(lang))
                    .clicked()
                {
                    out.push(Intent::SelectFrame(ev.frame));
                }
                ui.add(egui::Label::new(RichText::new(ev.text_in(lang)).weak()).wrap());
            });
        }
        ui.add_space(4.0);
    }
}

fn paste_result(
    ui: &mut Ui,
    lang: Lang,
    st: &PasteState,
    kb_code: FindingCode,
    out: &mut Vec<Intent>,
) {
    let p = palette(ui);
    match &st.result {
        Some(Ok(lines)) => {
            for (bad, text) in lines {
                let colour = if *bad { p.bad } else { p.ok };
                ui.add(
                    egui::Label::new(RichText::new(text).color(colour).size(16.0).strong()).wrap(),
                );
            }
        }
        Some(Err(e)) => {
            ui.add(egui::Label::new(RichText::new(e).color(p.warn)).wrap());
        }
        None => {}
    }
    for c in &st.commands {
        command_line(ui, lang, c, out);
    }
    if st.problem
        && matches!(st.result, Some(Ok(_)))
        && let Some(entry) = crate::kb::for_code(kb_code)
    {
        egui::CollapsingHeader::new(RichText::new(S::GuidedFix.get(lang)).strong())
            .id_salt(("paste-fix", kb_code.as_str()))
            .default_open(true)
            .show(ui, |ui| {
                super::summary::guided_fix(ui, lang, entry, None, out)
            });
    }
}

pub fn show_fail2ban(app: &mut SipDoctorApp, ui: &mut Ui) {
    let lang = app.lang();
    let mut out = Vec::new();
    ScrollArea::vertical()
        .id_salt("f2b-scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.set_max_width(1100.0f32.min(ui.available_width()));
            heading(ui, S::StepFail2ban.get(lang));
            ui.add(egui::Label::new(S::F2bIntro.get(lang)).wrap());
            step_findings(app, ui, 3, &mut out);
            ui.separator();
            ui.horizontal_wrapped(|ui| {
                let lbl = ui.label(S::ClientAddress.get(lang));
                ui.add(
                    egui::TextEdit::singleline(&mut app.f2b_ip)
                        .id_salt("f2b-ip")
                        .desired_width(260.0)
                        .hint_text("203.0.113.42"),
                )
                .labelled_by(lbl.id)
                .on_hover_text(S::ClientAddressHint.get(lang));
            });
            paste_box(
                ui,
                &mut app.fail2ban.text,
                S::PasteF2b.get(lang),
                S::PasteHint.get(lang),
                "f2b-paste",
            );
            if ui
                .add_enabled(
                    !app.fail2ban.text.trim().is_empty(),
                    egui::Button::new(S::Analyse.get(lang)),
                )
                .on_hover_text(S::AnalyseHint.get(lang))
                .clicked()
            {
                out.push(Intent::CheckFail2ban);
            }
            paste_result(
                ui,
                lang,
                &app.fail2ban,
                FindingCode::BruteForceBlock,
                &mut out,
            );
        });
    app.pending.append(&mut out);
}

pub fn show_clock(app: &mut SipDoctorApp, ui: &mut Ui) {
    let lang = app.lang();
    let mut out = Vec::new();
    ScrollArea::vertical()
        .id_salt("clock-scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.set_max_width(1100.0f32.min(ui.available_width()));
            heading(ui, S::StepClock.get(lang));
            ui.add(egui::Label::new(S::ClockIntro.get(lang)).wrap());
            step_findings(app, ui, 4, &mut out);
            if let Some(l) = &app.loaded {
                heading(ui, S::ClockReadings.get(lang));
                if l.derived.clock.is_empty() {
                    ui.label(S::NoClockReadings.get(lang));
                } else {
                    let (client, server): (Vec<_>, Vec<_>) =
                        l.derived.clock.iter().partition(|r| r.is_client());
                    let tables = [
                        (S::ServerClock, S::ServerTime, server, "clock-server"),
                        (S::PhoneClock, S::PhoneTime, client, "clock-phone"),
                    ];
                    for (title, time, rows, id) in tables {
                        if !rows.is_empty() {
                            ui.label(RichText::new(title.get(lang)).strong());
                            clock_grid(ui, lang, time, &rows, id, &mut out);
                        }
                    }
                }
            }
            ui.separator();
            paste_box(
                ui,
                &mut app.clock_paste.text,
                S::PasteClock.get(lang),
                S::PasteHint.get(lang),
                "clock-paste",
            );
            if ui
                .add_enabled(
                    !app.clock_paste.text.trim().is_empty(),
                    egui::Button::new(S::Analyse.get(lang)),
                )
                .on_hover_text(S::AnalyseHint.get(lang))
                .clicked()
            {
                out.push(Intent::CheckClock);
            }
            paste_result(ui, lang, &app.clock_paste, FindingCode::ClockSkew, &mut out);
        });
    app.pending.append(&mut out);
}

/// One side's clock readings: frame, source, the time read, capture time, skew (readable).
fn clock_grid(
    ui: &mut Ui,
    lang: Lang,
    time_heading: S,
    rows: &[&ClockReading],
    id: &str,
    out: &mut Vec<Intent>,
) {
    let p = palette(ui);
    egui::Grid::new(id)
        .striped(true)
        .num_columns(5)
        .spacing([14.0, 4.0])
        .show(ui, |ui| {
            for h in [S::Frame, S::Source, time_heading, S::CaptureTime, S::Skew] {
                ui.label(RichText::new(h.get(lang)).strong());
            }
            ui.end_row();
            for r in rows {
                if ui
                    .link(r.frame.to_string())
                    .on_hover_text(S::EvidenceHint.get(lang))
                    .clicked()
                {
                    out.push(Intent::SelectFrame(r.frame));
                }
                ui.label(r.source_text().render(lang))
                    .on_hover_text(&r.value);
                ui.label(crate::time::format_ts(
                    r.server_time.saturating_mul(1_000_000_000),
                ));
                ui.label(crate::time::format_ts(r.capture_ts));
                let colour = if r.skew_secs.abs() >= SKEW_THRESHOLD_SECS {
                    p.bad
                } else {
                    p.ok
                };
                ui.label(
                    RichText::new(crate::msg::Text::from_skew(r.skew_secs).render(lang))
                        .color(colour)
                        .strong(),
                )
                .on_hover_text(format!("{} s", r.skew_secs));
                ui.end_row();
            }
        });
}
