//! Step 2: the digest check of the captured credentials, or the digest calculator.

use egui::{Key, RichText, ScrollArea, Ui};

use super::{heading, palette, secret_field_id, value_row};
use crate::gui::i18n::S;
use crate::gui::state::{CredState, Intent, SipDoctorApp};
use crate::kb::Lang;
use crate::verify::Differs;

pub fn show(app: &mut SipDoctorApp, ui: &mut Ui) {
    let lang = app.lang();
    let mut out = Vec::new();
    ScrollArea::vertical()
        .id_salt("cred-scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.set_max_width(1100.0f32.min(ui.available_width()));
            heading(ui, S::StepCredentials.get(lang));
            ui.add(egui::Label::new(S::CredIntro.get(lang)).wrap());
            ui.add_space(6.0);
            let has_auths = app
                .loaded
                .as_ref()
                .is_some_and(|l| !l.derived.auths.is_empty());
            let listing = app.loaded.as_ref().is_some_and(|l| !l.derived.auths_ready);
            if listing {
                // A server capture: the worker still lists its requests (seconds).
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(S::ListingRequests.get(lang));
                });
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_millis(200));
            } else if has_auths {
                captured(app, ui, &mut out);
            } else {
                if app.loaded.is_some() {
                    ui.label(RichText::new(S::NoAuthRequests.get(lang)).color(palette(ui).warn));
                }
                calculator(app, ui, &mut out);
            }
        });
    app.pending.append(&mut out);
}

/// Which captured row a `Differs` points at.
fn differs_row(d: Differs) -> &'static str {
    match d {
        Differs::Password | Differs::PasswordWhitespace | Differs::PasswordCase => "password",
        Differs::Realm => "realm",
        Differs::Username => "username",
        Differs::Uri => "uri",
        Differs::Algorithm | Differs::UnsupportedAlgorithm => "algorithm",
        Differs::Nonce => "nonce",
        Differs::Qop => "qop",
        Differs::Incomplete => "response",
    }
}

fn captured(app: &mut SipDoctorApp, ui: &mut Ui, out: &mut Vec<Intent>) {
    let lang = app.lang();
    let l = app.loaded.as_ref().expect("checked");
    let chosen = app.creds.auth.min(l.derived.auths.len() - 1);
    // Read from the message when shown (the list holds no copy of a request).
    let describe = |i: usize| {
        let c = &l.derived.auths[i];
        format!(
            "{} {} · {} · {} {}",
            S::Frame.get(lang),
            c.frame,
            c.request(&l.analysis)
                .and_then(|m| m.method())
                .unwrap_or(""),
            c.credentials(&l.analysis)
                .and_then(|cr| cr.username())
                .unwrap_or_default(),
            c.header
        )
    };
    ui.horizontal_wrapped(|ui| {
        let lbl = ui.label(RichText::new(S::AuthRequest.get(lang)).strong());
        let mut pick = chosen;
        egui::ComboBox::from_id_salt("auth-request")
            .selected_text(describe(chosen))
            .width(ui.available_width().min(520.0))
            .show_ui(ui, |ui| {
                // Only the visible rows are laid out: a server capture has thousands.
                let row_h = ui.spacing().interact_size.y;
                ScrollArea::vertical()
                    .id_salt("auth-request-rows")
                    .max_height(320.0)
                    .show_rows(ui, row_h, l.derived.auths.len(), |ui, range| {
                        for i in range {
                            ui.selectable_value(&mut pick, i, describe(i));
                        }
                    });
            })
            .response
            .labelled_by(lbl.id)
            .on_hover_text(S::AuthRequestHint.get(lang));
        if pick != chosen {
            out.push(Intent::ChooseAuth(pick));
        }
    });
    let c = &l.derived.auths[chosen];
    let verification = app
        .creds
        .checked
        .then(|| l.analysis.verifications.iter().find(|v| v.frame == c.frame))
        .flatten();
    // Refused: the input that makes it match. Verified: a non-password input the server
    // will likely refuse (realm, nonce, algorithm, username), as `verify` reports it.
    let bad_row = verification.and_then(|v| v.differs).map(differs_row);
    let mark = |row: &str| (bad_row == Some(row)).then_some(S::Differs.get(lang));

    ui.add_space(6.0);
    ui.label(RichText::new(S::CapturedValues.get(lang)).strong());
    if let Some(frame) = c.challenge {
        let request_uri = c
            .request(&l.analysis)
            .and_then(|m| m.request_uri())
            .unwrap_or("");
        ui.label(
            RichText::new(format!(
                "{} {frame} · {} {request_uri}",
                S::ChallengeFrom.get(lang),
                c.header,
            ))
            .small(),
        );
    }
    if let Some(cr) = c.credentials(&l.analysis) {
        captured_values(ui, cr, mark);
    }

    ui.add_space(8.0);
    egui::Grid::new("expectation")
        .num_columns(2)
        .spacing([16.0, 6.0])
        .show(ui, |ui| {
            let lbl = ui.label(S::ExpectedUser.get(lang));
            ui.add(
                egui::TextEdit::singleline(&mut app.creds.expect_user)
                    .id_salt("expect-user")
                    .desired_width(280.0),
            )
            .labelled_by(lbl.id);
            ui.end_row();
            let lbl = ui.label(S::ExpectedRealm.get(lang));
            ui.add(
                egui::TextEdit::singleline(&mut app.creds.expect_realm)
                    .id_salt("expect-realm")
                    .desired_width(280.0),
            )
            .labelled_by(lbl.id);
            ui.end_row();
        });
    ui.add_space(8.0);
    let enter = secret_input(&mut app.creds, lang, ui, bad_row == Some("password"));
    ui.horizontal(|ui| {
        let ready = !app.creds.secret.is_empty();
        if ui
            .add_enabled(
                ready,
                egui::Button::new(RichText::new(S::Check.get(lang)).strong().size(16.0)),
            )
            .on_hover_text(S::CheckHint.get(lang))
            .clicked()
            || (enter && ready)
        {
            out.push(Intent::CheckCredentials);
        }
        if ui
            .button(S::Clear.get(lang))
            .on_hover_text(S::ClearHint.get(lang))
            .clicked()
        {
            out.push(Intent::ClearSecret);
        }
    });

    if let Some(v) = verification {
        let all = &app.loaded.as_ref().expect("checked").analysis.verifications;
        verification_box(ui, lang, v, all);
    }
}

/// The phone's digest parameters, the differing one marked.
fn captured_values<'m>(
    ui: &mut Ui,
    cr: &crate::sip::auth::PackedAuth,
    mark: impl Fn(&str) -> Option<&'m str>,
) {
    egui::Grid::new("captured-values")
        .num_columns(2)
        .striped(true)
        .spacing([16.0, 6.0])
        .show(ui, |ui| {
            let username = cr.username().unwrap_or_default();
            value_row(ui, "username", &username, mark("username"));
            value_row(ui, "realm", cr.realm().unwrap_or(""), mark("realm"));
            value_row(ui, "nonce", cr.nonce().unwrap_or(""), mark("nonce"));
            value_row(ui, "uri", cr.uri().unwrap_or(""), mark("uri"));
            value_row(
                ui,
                "algorithm",
                cr.algorithm().unwrap_or("MD5 (absent)"),
                mark("algorithm"),
            );
            value_row(ui, "qop", cr.qop().unwrap_or(""), mark("qop"));
            value_row(ui, "nc", cr.nc().unwrap_or(""), None);
            value_row(ui, "cnonce", cr.cnonce().unwrap_or(""), None);
            value_row(
                ui,
                "response",
                cr.response().unwrap_or(""),
                mark("response"),
            );
        });
}

/// The verdict of the typed secret on the chosen request, and how many requests it verifies.
fn verification_box(
    ui: &mut Ui,
    lang: Lang,
    v: &crate::verify::Verification,
    all: &[crate::verify::Verification],
) {
    let p = palette(ui);
    ui.add_space(10.0);
    let (word, long, colour) = if v.verified {
        (S::Matches, S::MatchesLong, p.ok)
    } else {
        (S::DoesNotMatch, S::NoMatchLong, p.bad)
    };
    egui::Frame::new()
        .fill(colour.gamma_multiply(0.12))
        .stroke(egui::Stroke::new(2.0, colour))
        .corner_radius(6.0)
        .inner_margin(12.0)
        .show(ui, |ui| {
            ui.label(
                RichText::new(format!(
                    "{} {}",
                    if v.verified { "✓" } else { "×" },
                    word.get(lang)
                ))
                .size(30.0)
                .strong()
                .color(colour),
            );
            ui.label(RichText::new(long.get(lang)).size(16.0));
            if !v.explanation.is_empty() {
                let text = v.explanation_in(lang);
                ui.add(egui::Label::new(RichText::new(text).size(15.0)).wrap());
            }
            for d in &v.texts.detail {
                let d = d.render(lang);
                ui.add(egui::Label::new(RichText::new(d).monospace().small()).wrap());
            }
        });
    let total = all.len();
    let ok = all.iter().filter(|v| v.verified).count();
    ui.label(format!("{ok} / {total} {}", S::VerifiedCount.get(lang)));
}

/// The password / HA1 field with its show toggle. Returns true when Enter was pressed in it.
pub fn secret_input(creds: &mut CredState, lang: Lang, ui: &mut Ui, bad: bool) -> bool {
    let mut enter = false;
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(S::SecretKind.get(lang)).strong());
        ui.radio_value(&mut creds.use_ha1, false, S::Password.get(lang));
        ui.radio_value(&mut creds.use_ha1, true, S::Ha1.get(lang));
    });
    ui.horizontal_wrapped(|ui| {
        let (label, hint) = if creds.use_ha1 {
            (S::Ha1, S::Ha1Hint)
        } else {
            (S::Password, S::PasswordHint)
        };
        let lbl = ui.label(if bad {
            RichText::new(label.get(lang))
                .strong()
                .color(palette(ui).bad)
        } else {
            RichText::new(label.get(lang)).strong()
        });
        let r = ui
            .add(
                egui::TextEdit::singleline(&mut *creds.secret)
                    .id(secret_field_id())
                    .password(!creds.show)
                    .desired_width(320.0)
                    .hint_text(hint.get(lang)),
            )
            .labelled_by(lbl.id)
            .on_hover_text(hint.get(lang));
        if std::mem::take(&mut creds.focus) {
            r.request_focus();
        }
        enter = r.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
        ui.checkbox(&mut creds.show, S::ShowPassword.get(lang))
            .on_hover_text(S::ShowPasswordHint.get(lang));
        if bad {
            ui.label(
                RichText::new(format!("◀ {}", S::Differs.get(lang)))
                    .color(palette(ui).bad)
                    .strong(),
            );
        }
    });
    enter
}

fn calculator(app: &mut SipDoctorApp, ui: &mut Ui, out: &mut Vec<Intent>) {
    let lang = app.lang();
    ui.add_space(8.0);
    heading(ui, S::Calculator.get(lang));
    ui.add(egui::Label::new(S::CalculatorIntro.get(lang)).wrap());
    ui.add_space(4.0);
    let c = &mut app.calc;
    egui::Grid::new("calculator")
        .num_columns(2)
        .spacing([16.0, 6.0])
        .show(ui, |ui| {
            field(ui, "username", &mut c.username);
            field(ui, "realm", &mut c.realm);
            field(ui, S::Method.get(lang), &mut c.method);
            field(ui, "uri", &mut c.uri);
            field(ui, "nonce", &mut c.nonce);
            field(ui, "algorithm", &mut c.algorithm);
            field(ui, "qop", &mut c.qop);
            field(ui, "nc", &mut c.nc);
            field(ui, "cnonce", &mut c.cnonce);
            field(ui, S::ExpectedResponse.get(lang), &mut c.seen_response);
        });
    ui.add_space(6.0);
    let enter = secret_input(&mut app.creds, lang, ui, false);
    if ui
        .add(egui::Button::new(
            RichText::new(S::Compute.get(lang)).strong(),
        ))
        .on_hover_text(S::ComputeHint.get(lang))
        .clicked()
        || enter
    {
        out.push(Intent::ComputeDigest);
    }
    let p = palette(ui);
    match &app.calc.result {
        Some(Ok(resp)) => {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(S::ComputedResponse.get(lang)).strong());
                ui.label(RichText::new(resp).monospace().size(16.0));
                super::copy_button(ui, lang, resp, out);
            });
            let seen = app.calc.seen_response.trim();
            if !seen.is_empty() {
                let same = seen.eq_ignore_ascii_case(resp);
                let (word, colour) = if same {
                    (S::Matches, p.ok)
                } else {
                    (S::DoesNotMatch, p.bad)
                };
                ui.label(
                    RichText::new(word.get(lang))
                        .size(26.0)
                        .strong()
                        .color(colour),
                );
            }
        }
        Some(Err(e)) => {
            ui.label(RichText::new(e).color(p.bad));
        }
        None => {}
    }
}

fn field(ui: &mut Ui, label: &str, value: &mut String) {
    let l = ui.label(label);
    ui.add(
        egui::TextEdit::singleline(value)
            .id_salt(("calc", label.to_string()))
            .font(egui::TextStyle::Monospace)
            .desired_width(420.0),
    )
    .labelled_by(l.id);
    ui.end_row();
}
