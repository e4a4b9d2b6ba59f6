//! Step 5: a known-good client with the same account, and the built-in test REGISTER.

use egui::{RichText, ScrollArea, Ui};

use super::{heading, palette};
use crate::gui::backend;
use crate::gui::i18n::S;
use crate::gui::state::{Intent, SipDoctorApp};

pub fn show(app: &mut SipDoctorApp, ui: &mut Ui) {
    let lang = app.lang();
    let mut out = Vec::new();
    ScrollArea::vertical()
        .id_salt("client-scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.set_max_width(1100.0f32.min(ui.available_width()));
            heading(ui, S::StepClient.get(lang));
            ui.add(egui::Label::new(S::ClientIntro.get(lang)).wrap());
            heading(ui, S::Account.get(lang));
            if app.client.filled_from_capture {
                ui.label(RichText::new(S::FromCaptureFilled.get(lang)).small().weak());
            }
            let c = &mut app.client;
            egui::Grid::new("client-account")
                .num_columns(2)
                .spacing([16.0, 6.0])
                .show(ui, |ui| {
                    for (label, value, id) in [
                        (S::User, &mut c.user, "client-user"),
                        (S::AuthUser, &mut c.auth_user, "client-auth-user"),
                        (S::Domain, &mut c.domain, "client-domain"),
                        (S::Proxy, &mut c.proxy, "client-proxy"),
                    ] {
                        let l = ui.label(label.get(lang));
                        ui.add(
                            egui::TextEdit::singleline(value)
                                .id_salt(id)
                                .desired_width(320.0),
                        )
                        .labelled_by(l.id);
                        ui.end_row();
                    }
                    let l = ui.label(S::Transport.get(lang));
                    ui.horizontal(|ui| {
                        for t in crate::capture::Transport::ALL {
                            ui.radio_value(&mut c.transport, t, t.label());
                        }
                    })
                    .response
                    .labelled_by(l.id);
                    ui.end_row();
                });
            ui.add_space(6.0);
            match backend::client_settings(&app.client, lang) {
                Ok((blocks, checklist)) => {
                    for (title, text) in blocks {
                        ui.collapsing(format!("{} {title}", S::SettingsFor.get(lang)), |ui| {
                            super::copy_button(ui, lang, &text, &mut out);
                            let mut t: &str = &text;
                            ui.add(
                                egui::TextEdit::multiline(&mut t)
                                    .id_salt(("settings", title.clone()))
                                    .code_editor()
                                    .desired_width(f32::INFINITY),
                            )
                            .on_hover_text(title);
                        });
                    }
                    heading(ui, S::Checklist.get(lang));
                    let p = palette(ui);
                    for (bad, text) in checklist {
                        let t = RichText::new(format!("{} {text}", if bad { "⚠" } else { "•" }));
                        ui.add(egui::Label::new(if bad { t.color(p.warn) } else { t }).wrap());
                    }
                }
                Err(e) => {
                    ui.label(RichText::new(e).color(palette(ui).warn));
                }
            }
            ui.add_space(8.0);
            heading(ui, S::SendTestRegister.get(lang));
            ui.add(egui::Label::new(S::SendTestHint.get(lang)).wrap());
            let enter = super::credentials::secret_input(&mut app.creds, lang, ui, false);
            ui.horizontal(|ui| {
                let ready = !app.probe.running && !app.creds.secret.is_empty();
                if ui
                    .add_enabled(
                        ready,
                        egui::Button::new(RichText::new(S::SendTestRegister.get(lang)).strong()),
                    )
                    .on_hover_text(S::SendTestHint.get(lang))
                    .clicked()
                    || (enter && ready)
                {
                    out.push(Intent::SendProbe);
                }
                if app.probe.running {
                    ui.spinner();
                    ui.label(S::ProbeRunning.get(lang));
                }
            });
            let p = palette(ui);
            if let Some(e) = &app.probe.error {
                ui.label(RichText::new(e).color(p.bad));
            }
            if !app.probe.steps.is_empty() {
                egui::Grid::new("probe-ladder")
                    .num_columns(3)
                    .striped(true)
                    .spacing([12.0, 3.0])
                    .show(ui, |ui| {
                        for s in &app.probe.steps {
                            ui.label(RichText::new(format!("{:>6} ms", s.t_ms)).monospace());
                            let arrow = match s.direction {
                                crate::probe::Direction::Sent => "→",
                                crate::probe::Direction::Received => "←",
                            };
                            ui.label(
                                RichText::new(format!("{arrow} {}", s.summary_in(lang))).strong(),
                            );
                            ui.add(
                                egui::Label::new(RichText::new(s.detail.render(lang)).small())
                                    .wrap(),
                            );
                            ui.end_row();
                        }
                    });
            }
            if let Some(r) = &app.probe.report {
                let ok = r.verdict == crate::probe::Verdict::Registered;
                ui.label(
                    RichText::new(format!(
                        "{} {}",
                        if ok { "✓" } else { "×" },
                        r.verdict.word(lang)
                    ))
                    .size(24.0)
                    .strong()
                    .color(if ok { p.ok } else { p.bad }),
                );
                let message = r.message_in(lang);
                ui.add(egui::Label::new(RichText::new(message).size(15.0)).wrap());
                if let Some(c) = &app.probe.comparison {
                    ui.add(egui::Label::new(RichText::new(c.render(lang)).strong()).wrap());
                }
            }
        });
    app.pending.append(&mut out);
}
