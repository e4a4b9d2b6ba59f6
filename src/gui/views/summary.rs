//! The summary: the verdict, the root cause and the guided fix from the knowledge base, and the
//! exports for the ticket.

use egui::{RichText, ScrollArea, Ui};

use super::{command_line, heading, palette, severity_look, step_title, verdict_look};
use crate::gui::i18n::S;
use crate::gui::state::{ExportKind, Intent, SipDoctorApp, Step};
use crate::kb::{Entry, Lang};

pub fn show(app: &mut SipDoctorApp, ui: &mut Ui) {
    let lang = app.lang();
    let mut out = Vec::new();
    ScrollArea::vertical()
        .id_salt("summary-scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.set_max_width(1100.0f32.min(ui.available_width()));
            let Some(l) = &app.loaded else {
                heading(ui, S::StepSummary.get(lang));
                ui.label(S::SummaryNoCapture.get(lang));
                return;
            };
            heading(ui, S::Verdict.get(lang));
            let top = l.analysis.findings.first();
            let colour = top
                .map(|f| severity_look(ui, f.severity).0)
                .unwrap_or(palette(ui).ok);
            // The core's verdict sentence, in the user's language.
            let verdict = l.verdict_in(lang);
            ui.add(
                egui::Label::new(RichText::new(verdict).size(24.0).strong().color(colour)).wrap(),
            );
            if let Some(f) = top {
                ui.add(egui::Label::new(f.explanation_in(lang)).wrap());
            }
            ui.add_space(6.0);
            ui.horizontal_wrapped(|ui| {
                if ui
                    .button(S::ExportMd.get(lang))
                    .on_hover_text(S::ExportHint.get(lang))
                    .clicked()
                {
                    out.push(Intent::ExportDialog(ExportKind::Markdown));
                }
                if ui
                    .button(S::ExportHtml.get(lang))
                    .on_hover_text(S::ExportHint.get(lang))
                    .clicked()
                {
                    out.push(Intent::ExportDialog(ExportKind::Html));
                }
                if ui
                    .button(S::SavePackets.get(lang))
                    .on_hover_text(S::SavePacketsHint.get(lang))
                    .clicked()
                {
                    out.push(Intent::ExportDialog(ExportKind::Pcap));
                }
            });

            heading(ui, S::StepsOverview.get(lang));
            egui::Grid::new("steps-overview")
                .num_columns(2)
                .spacing([12.0, 4.0])
                .show(ui, |ui| {
                    for r in &l.derived.steps {
                        let step = Step::ALL[(r.step as usize).saturating_sub(1).min(4)];
                        let (icon, colour, _) = verdict_look(ui, r.verdict);
                        if ui
                            .link(
                                RichText::new(format!(
                                    "{icon} {} {}",
                                    r.step,
                                    step_title(step).get(lang)
                                ))
                                .color(colour),
                            )
                            .clicked()
                        {
                            out.push(Intent::GoTo(step));
                        }
                        ui.add(egui::Label::new(r.summary_in(lang)).wrap());
                        ui.end_row();
                    }
                });

            // The guided fix of the top finding that has one, then the others, collapsed.
            let with_kb: Vec<_> = l
                .analysis
                .findings
                .iter()
                .filter_map(|f| crate::kb::get(f.kb_id()).map(|e| (f, e)))
                .collect();
            if with_kb.is_empty() {
                ui.add_space(8.0);
                ui.label(S::NoKbEntry.get(lang));
            }
            for (i, (f, entry)) in with_kb.iter().enumerate() {
                let fix = cached_fix(ui, &l.analysis, f, i, lang);
                if i == 0 {
                    ui.separator();
                    guided_fix(ui, lang, entry, fix.as_ref(), &mut out);
                } else {
                    ui.add_space(4.0);
                    egui::CollapsingHeader::new(
                        RichText::new(format!("{} — {}", f.title_in(lang), entry.title(lang)))
                            .strong(),
                    )
                    .id_salt(("fix", i))
                    .show(ui, |ui| guided_fix(ui, lang, entry, fix.as_ref(), &mut out));
                }
            }
        });
    app.pending.append(&mut out);
}

/// The core's fix of finding `i` (for this capture's server, with its values), computed once per
/// analysis and language and kept in egui's memory: it reads every message to find the server.
fn cached_fix(
    ui: &Ui,
    a: &crate::model::Analysis,
    f: &crate::finding::Finding,
    i: usize,
    lang: Lang,
) -> Option<crate::fix::Fix> {
    let id = egui::Id::NULL.with((
        "fix",
        a as *const _ as usize,
        a.findings.len(),
        i,
        lang.code(),
    ));
    if let Some(hit) = ui.ctx().data(|d| d.get_temp::<Option<crate::fix::Fix>>(id)) {
        return hit;
    }
    let fix = crate::fix::capture::for_finding(a, f, lang);
    ui.ctx().data_mut(|d| d.insert_temp(id, fix.clone()));
    fix
}

/// A guided fix: the entry's title and root cause, the numbered steps with their commands (the
/// core's `fix` for this capture when there is one: its server first, its values filled in,
/// done steps marked; else the entry's steps with visible placeholders), dead ends, sources.
pub fn guided_fix(
    ui: &mut Ui,
    lang: Lang,
    e: &Entry,
    fix: Option<&crate::fix::Fix>,
    out: &mut Vec<Intent>,
) {
    if let Some(fix) = fix {
        let p = palette(ui);
        ui.label(RichText::new(e.title(lang)).size(19.0).strong());
        heading(ui, S::RootCause.get(lang));
        ui.add(egui::Label::new(e.root_cause(lang)).wrap());
        heading(ui, S::FixSteps.get(lang));
        ui.label(
            RichText::new(crate::fix::server_label(&fix.server, lang))
                .small()
                .color(p.info),
        );
        for (n, s) in fix.steps.iter().enumerate() {
            let done = if s.done { "  ✓" } else { "" };
            ui.label(RichText::new(format!("{}. {}{done}", n + 1, s.title)).strong());
            ui.indent(("fixstep", n), |ui| {
                if !s.detail.is_empty() {
                    ui.add(egui::Label::new(&s.detail).wrap());
                }
                for c in &s.commands {
                    ui.label(
                        RichText::new(crate::fix::server_label(&c.server, lang))
                            .small()
                            .color(p.info),
                    );
                    command_line(ui, lang, &c.text, out);
                }
                if !s.other_servers.is_empty() {
                    egui::CollapsingHeader::new(S::OtherServers.get(lang))
                        .id_salt(("other", n))
                        .show(ui, |ui| {
                            for c in &s.other_servers {
                                ui.label(
                                    RichText::new(crate::fix::server_label(&c.server, lang))
                                        .small()
                                        .color(p.info),
                                );
                                command_line(ui, lang, &c.text, out);
                            }
                        });
                }
                if !s.check.is_empty() {
                    ui.add(
                        egui::Label::new(
                            RichText::new(format!("{}: {}", S::HowToCheck.get(lang), s.check))
                                .italics(),
                        )
                        .wrap(),
                    );
                }
            });
            ui.add_space(4.0);
        }
        dead_ends_and_sources(ui, lang, e);
        return;
    }
    entry_fix(ui, lang, e, out);
}

/// A knowledge-base entry alone (no capture behind it): placeholders stay visible (`<user>`).
fn entry_fix(ui: &mut Ui, lang: Lang, e: &Entry, out: &mut Vec<Intent>) {
    let p = palette(ui);
    ui.label(RichText::new(e.title(lang)).size(19.0).strong());
    heading(ui, S::RootCause.get(lang));
    ui.add(egui::Label::new(e.root_cause(lang)).wrap());
    if !e.steps.is_empty() {
        heading(ui, S::FixSteps.get(lang));
        for (n, s) in e.steps.iter().enumerate() {
            ui.label(RichText::new(format!("{}. {}", n + 1, s.title(lang))).strong());
            ui.indent(("step", n), |ui| {
                if !s.detail(lang).is_empty() {
                    ui.add(egui::Label::new(s.detail(lang)).wrap());
                }
                for c in &s.commands {
                    if !c.server.is_empty() {
                        ui.label(RichText::new(&c.server).small().color(p.info));
                    }
                    command_line(ui, lang, &crate::fix::unfilled(&c.command), out);
                }
                if !s.check(lang).is_empty() {
                    ui.add(
                        egui::Label::new(
                            RichText::new(format!(
                                "{}: {}",
                                S::HowToCheck.get(lang),
                                s.check(lang)
                            ))
                            .italics(),
                        )
                        .wrap(),
                    );
                }
            });
            ui.add_space(4.0);
        }
    }
    dead_ends_and_sources(ui, lang, e);
}

fn dead_ends_and_sources(ui: &mut Ui, lang: Lang, e: &Entry) {
    let p = palette(ui);
    if !e.dead_ends.is_empty() {
        heading(ui, S::DeadEnds.get(lang));
        for d in &e.dead_ends {
            ui.add(
                egui::Label::new(
                    RichText::new(format!("× {}", d.action(lang)))
                        .color(p.warn)
                        .strong(),
                )
                .wrap(),
            );
            ui.indent(("dead", d.action.as_str()), |ui| {
                ui.add(egui::Label::new(d.why_fails(lang)).wrap());
            });
        }
    }
    if !e.sources.is_empty() {
        heading(ui, S::Sources.get(lang));
        for s in &e.sources {
            ui.hyperlink_to(&s.title, &s.url).on_hover_text(&s.url);
        }
    }
}
