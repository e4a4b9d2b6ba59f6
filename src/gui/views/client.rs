//! Step 5: a known-good client with the same account, and the built-in test REGISTER.

use egui::{RichText, ScrollArea, Ui};

use super::{heading, palette};
use crate::gui::backend;
use crate::gui::i18n::S;
use crate::gui::state::SipDoctorApp;

pub const TRANSPORTS: [&str; 3] = ["UDP", "TCP", "TLS"];

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
                        for (i, t) in TRANSPORTS.iter().enumerate() {
                            ui.radio_value(&mut c.transport, i, *t);
                        }
                    })
                    .response
                    .labelled_by(l.id);
                    ui.end_row();
                });
            ui.add_space(6.0);
            match backend::client_settings(&app.client) {
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
            if !backend::HAVE_PROBE {
                ui.add(
                    egui::Label::new(
                        RichText::new(S::ProbePending.get(lang)).color(palette(ui).warn),
                    )
                    .wrap(),
                );
            }
            ui.add_enabled(
                backend::HAVE_PROBE,
                egui::Button::new(S::SendTestRegister.get(lang)),
            )
            .on_hover_text(S::SendTestHint.get(lang));
        });
    app.pending.append(&mut out);
}
