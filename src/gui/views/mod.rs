//! Drawing. Views read the state and push intents; they never decide anything themselves.

mod accounts;
mod capture;
mod client;
pub mod credentials;
mod ladder;
mod server;
mod summary;

#[cfg(test)]
pub use accounts::{cause_text as accounts_cause_text, row_label as account_row_label};
#[cfg(test)]
pub use ladder::row_label as ladder_row_label;

use egui::{Align, Color32, Key, KeyboardShortcut, Layout, Modifiers, RichText, Ui};

use super::i18n::{LANGS, S, lang_name};
use super::state::{ExportKind, Intent, Phase, SipDoctorApp, Step};
use crate::diagnose::{Severity, StepVerdict};

/// The id of the password / HA1 field (its undo history is wiped with the secret).
pub fn secret_field_id() -> egui::Id {
    egui::Id::unique("sipdoctor-secret-field")
}

pub fn step_title(step: Step) -> S {
    match step {
        Step::Capture => S::StepCapture,
        Step::Credentials => S::StepCredentials,
        Step::Fail2ban => S::StepFail2ban,
        Step::Clock => S::StepClock,
        Step::Client => S::StepClient,
        Step::Summary => S::StepSummary,
    }
}

pub struct Palette {
    pub ok: Color32,
    pub bad: Color32,
    pub warn: Color32,
    pub muted: Color32,
    pub info: Color32,
}

pub fn palette(ui: &Ui) -> Palette {
    if ui.visuals().dark_mode {
        Palette {
            ok: Color32::from_rgb(80, 200, 120),
            bad: Color32::from_rgb(255, 100, 90),
            warn: Color32::from_rgb(255, 180, 60),
            muted: Color32::from_gray(140),
            info: Color32::from_rgb(110, 170, 255),
        }
    } else {
        Palette {
            ok: Color32::from_rgb(20, 130, 60),
            bad: Color32::from_rgb(200, 30, 30),
            warn: Color32::from_rgb(190, 110, 0),
            muted: Color32::from_gray(110),
            info: Color32::from_rgb(30, 90, 200),
        }
    }
}

pub fn verdict_look(ui: &Ui, v: StepVerdict) -> (&'static str, Color32, S) {
    let p = palette(ui);
    match v {
        StepVerdict::Ok => ("✓", p.ok, S::VerdictOk),
        StepVerdict::Warning => ("!", p.warn, S::VerdictWarning),
        StepVerdict::Problem => ("⚠", p.bad, S::VerdictProblem),
        StepVerdict::NotChecked => ("○", p.muted, S::VerdictNotChecked),
    }
}

pub fn severity_look(ui: &Ui, s: Severity) -> (Color32, S) {
    let p = palette(ui);
    match s {
        Severity::Error => (p.bad, S::Error),
        Severity::Warning => (p.warn, S::Warning),
        Severity::Info => (p.info, S::Info),
    }
}

/// A small "Copy" button that copies `text`.
pub fn copy_button(ui: &mut Ui, lang: crate::kb::Lang, text: &str, out: &mut Vec<Intent>) {
    if ui
        .small_button(S::Copy.get(lang))
        .on_hover_text(S::CopyHint.get(lang))
        .clicked()
    {
        out.push(Intent::Copy(text.to_string()));
    }
}

/// A command in monospace with a copy button.
pub fn command_line(ui: &mut Ui, lang: crate::kb::Lang, cmd: &str, out: &mut Vec<Intent>) {
    ui.horizontal_wrapped(|ui| {
        copy_button(ui, lang, cmd, out);
        ui.add(egui::Label::new(RichText::new(cmd).monospace()).wrap());
    });
}

/// A section heading.
/// A finding's title in the user's language (the core's message catalogue), shown once.
pub fn finding_title(f: &crate::diagnose::Finding, lang: crate::kb::Lang) -> String {
    f.title_in(lang)
}

/// A count with its thousands grouped, as the language writes them ("437,880"; Vietnamese
/// "437.880"): a server capture's counts are six or seven digits.
pub fn count(n: impl Into<u64>, lang: crate::kb::Lang) -> String {
    crate::msg::group_thousands(n.into(), lang)
}

pub fn heading(ui: &mut Ui, text: &str) {
    ui.add_space(6.0);
    ui.label(RichText::new(text).heading().strong());
    ui.add_space(2.0);
}

/// Draw the whole window.
pub fn draw(app: &mut SipDoctorApp, ui: &mut Ui) {
    shortcuts(app, ui);
    let lang = app.lang();
    let mut out = Vec::new();

    egui::Panel::top("toolbar").show(ui, |ui| toolbar(app, ui, &mut out));
    egui::Panel::top("stepper").show(ui, |ui| stepper(app, ui, &mut out));
    if app.error.is_some() || app.notice.is_some() || app.loading.is_some() {
        egui::Panel::top("banners").show(ui, |ui| banners(app, ui, &mut out));
    }
    if app.loaded.as_ref().is_some_and(|l| l.focused.is_some()) {
        egui::Panel::top("focus-chip").show(ui, |ui| focus_chip(app, ui, &mut out));
    }
    egui::Panel::bottom("nav").show(ui, |ui| nav(app, ui, &mut out));

    app.pending.append(&mut out);
    let table = app
        .loaded
        .as_ref()
        .is_some_and(|l| l.many_accounts() && l.focused.is_none());
    match app.step {
        Step::Capture if table => {
            egui::CentralPanel::default_margins().show(ui, |ui| accounts::show(app, ui));
        }
        Step::Capture => capture::show(app, ui),
        Step::Credentials => {
            egui::CentralPanel::default_margins().show(ui, |ui| credentials::show(app, ui));
        }
        Step::Fail2ban => {
            egui::CentralPanel::default_margins().show(ui, |ui| server::show_fail2ban(app, ui));
        }
        Step::Clock => {
            egui::CentralPanel::default_margins().show(ui, |ui| server::show_clock(app, ui));
        }
        Step::Client => {
            egui::CentralPanel::default_margins().show(ui, |ui| client::show(app, ui));
        }
        Step::Summary => {
            egui::CentralPanel::default_margins().show(ui, |ui| summary::show(app, ui));
        }
    }

    if app.show_help {
        help_window(app, ui);
    }
    super::dialogs::show_prompt(app, ui);
    drop_overlay(ui, lang);
    take_dropped(app, ui);
}

fn shortcuts(app: &mut SipDoctorApp, ui: &mut Ui) {
    let open = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
    let export = KeyboardShortcut::new(Modifiers::COMMAND, Key::E);
    let next = [
        KeyboardShortcut::new(Modifiers::ALT, Key::ArrowRight),
        KeyboardShortcut::new(Modifiers::COMMAND, Key::PageDown),
    ];
    let prev = [
        KeyboardShortcut::new(Modifiers::ALT, Key::ArrowLeft),
        KeyboardShortcut::new(Modifiers::COMMAND, Key::PageUp),
    ];
    let find = KeyboardShortcut::new(Modifiers::COMMAND, Key::F);
    let focused = app.loaded.as_ref().is_some_and(|l| l.focused.is_some());
    // Backspace in a text field edits it; elsewhere it goes back to all accounts.
    let typing = ui.ctx().egui_wants_keyboard_input();
    let mut out = Vec::new();
    ui.ctx().input_mut(|i| {
        if i.consume_shortcut(&open) {
            out.push(Intent::OpenDialog);
        }
        if i.consume_shortcut(&export) {
            out.push(Intent::ExportDialog(ExportKind::Markdown));
        }
        if next.iter().any(|s| i.consume_shortcut(s)) {
            out.push(Intent::Next);
        }
        if prev.iter().any(|s| i.consume_shortcut(s)) {
            out.push(Intent::Back);
        }
        if i.consume_key(Modifiers::NONE, Key::F1) {
            out.push(Intent::ToggleHelp);
        }
        if i.consume_shortcut(&find) {
            out.push(Intent::FocusSearch);
        }
        if app.show_help && i.consume_key(Modifiers::NONE, Key::Escape) {
            out.push(Intent::ToggleHelp);
        } else if focused
            && (i.consume_key(Modifiers::NONE, Key::Escape)
                || (!typing && i.consume_key(Modifiers::NONE, Key::Backspace)))
        {
            out.push(Intent::FocusAccount(None));
        }
    });
    app.pending.extend(out);
}

/// "Only this account: Account 1001 @ 127.0.1.5 ×" on top of every step while one is in focus.
fn focus_chip(app: &SipDoctorApp, ui: &mut Ui, out: &mut Vec<Intent>) {
    let lang = app.lang();
    let Some(l) = &app.loaded else { return };
    let Some(a) = l.focused.and_then(|i| l.accounts().get(i)) else {
        return;
    };
    let p = palette(ui);
    ui.add_space(3.0);
    ui.horizontal(|ui| {
        ui.label(RichText::new(S::FocusedOn.get(lang)).color(p.info));
        let chip = format!("{} ×", accounts::row_label(lang, a));
        if ui
            .add(egui::Button::new(RichText::new(chip).strong()).corner_radius(10.0))
            .on_hover_text(S::BackToAllHint.get(lang))
            .clicked()
        {
            out.push(Intent::FocusAccount(None));
        }
        if ui
            .link(S::BackToAll.get(lang))
            .on_hover_text(S::BackToAllHint.get(lang))
            .clicked()
        {
            out.push(Intent::FocusAccount(None));
        }
        ui.add(egui::Label::new(RichText::new(l.verdict_in(lang)).weak()).truncate());
    });
    ui.add_space(3.0);
}

fn toolbar(app: &mut SipDoctorApp, ui: &mut Ui, out: &mut Vec<Intent>) {
    let lang = app.lang();
    ui.add_space(4.0);
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(S::AppTitle.get(lang)).strong().size(18.0));
        ui.separator();
        if ui
            .add_enabled(
                !app.dialog_open,
                egui::Button::new(S::OpenCapture.get(lang)),
            )
            .on_hover_text(S::OpenCaptureHint.get(lang))
            .clicked()
        {
            out.push(Intent::OpenDialog);
        }
        ui.menu_button(S::Recent.get(lang), |ui| {
            if app.settings.recent.is_empty() {
                ui.label(S::NoRecent.get(lang));
            }
            for p in &app.settings.recent {
                let name = p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| p.display().to_string());
                if ui
                    .button(name)
                    .on_hover_text(p.display().to_string())
                    .clicked()
                {
                    out.push(Intent::Open(p.clone()));
                    ui.close();
                }
            }
            if !app.settings.recent.is_empty() {
                ui.separator();
                if ui.button(S::ForgetRecent.get(lang)).clicked() {
                    out.push(Intent::ForgetRecent);
                    ui.close();
                }
            }
        })
        .response
        .on_hover_text(S::RecentHint.get(lang));
        if let Some(l) = &app.loaded {
            let name = l
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            ui.label(RichText::new(name).strong())
                .on_hover_text(l.path.display().to_string());
            ui.label(
                RichText::new(
                    crate::text!(
                        HeaderCounts,
                        frames = crate::msg::Arg::Count(l.analysis.frames),
                        messages = crate::msg::count(l.analysis.messages.len()),
                        exchanges = crate::msg::count(l.analysis.exchanges.len())
                    )
                    .render(lang),
                )
                .small(),
            );
        }
        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
            if ui
                .button(format!("? {}", S::Help.get(lang)))
                .on_hover_text(S::HelpHint.get(lang))
                .clicked()
            {
                out.push(Intent::ToggleHelp);
            }
            let theme_label = if app.settings.dark {
                S::LightTheme
            } else {
                S::DarkTheme
            };
            if ui
                .button(theme_label.get(lang))
                .on_hover_text(S::ThemeHint.get(lang))
                .clicked()
            {
                out.push(Intent::SetDark(!app.settings.dark));
            }
            ui.horizontal(|ui| {
                let label = ui.label(S::Language.get(lang));
                let mut chosen = lang;
                egui::ComboBox::from_id_salt("language")
                    .selected_text(lang_name(lang))
                    .show_ui(ui, |ui| {
                        for l in LANGS {
                            ui.selectable_value(&mut chosen, l, lang_name(l));
                        }
                    })
                    .response
                    .labelled_by(label.id);
                if chosen != lang {
                    out.push(Intent::SetLang(chosen));
                }
            });
        });
    });
    ui.add_space(2.0);
}

fn stepper(app: &mut SipDoctorApp, ui: &mut Ui, out: &mut Vec<Intent>) {
    let lang = app.lang();
    ui.add_space(4.0);
    ui.horizontal_wrapped(|ui| {
        for (i, step) in Step::ALL.into_iter().enumerate() {
            if i > 0 {
                ui.label(RichText::new("›").color(palette(ui).muted));
            }
            let verdict = app.step_verdict(step);
            let (icon, colour, vword) = verdict_look(ui, verdict);
            let title = step_title(step).get(lang);
            let number = if step == Step::Summary {
                String::new()
            } else {
                format!("{} ", i + 1)
            };
            let mut text = egui::text::LayoutJob::default();
            text.append(
                icon,
                0.0,
                egui::TextFormat {
                    color: colour,
                    font_id: egui::FontId::proportional(16.0),
                    ..Default::default()
                },
            );
            text.append(
                &format!("{number}{title}"),
                6.0,
                egui::TextFormat {
                    color: if app.step == step {
                        ui.visuals().strong_text_color()
                    } else {
                        ui.visuals().text_color()
                    },
                    font_id: egui::FontId::proportional(15.0),
                    ..Default::default()
                },
            );
            let r = ui
                .add(egui::Button::selectable(app.step == step, text))
                .on_hover_text(vword.get(lang));
            // The accessible name says the step and its verdict.
            let selected = app.step == step;
            let label = format!("{number}{title}: {}", vword.get(lang));
            r.widget_info(|| {
                egui::WidgetInfo::selected(egui::Role::Tab, true, selected, label.clone())
            });
            if r.clicked() {
                out.push(Intent::GoTo(step));
            }
        }
    });
    ui.add_space(4.0);
}

fn banners(app: &mut SipDoctorApp, ui: &mut Ui, out: &mut Vec<Intent>) {
    let lang = app.lang();
    let p = palette(ui);
    if let Some(l) = &app.loading {
        ui.horizontal(|ui| {
            ui.spinner();
            let name = l
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let frac = l.progress.fraction().unwrap_or(0.0);
            // Read to the end, the analysis groups and diagnoses; then the worker prepares
            // the views: say so instead of a bar stuck at 100%.
            let doing = match l.phase {
                Phase::Preparing => S::Preparing,
                Phase::Reading if frac >= 1.0 => S::Diagnosing,
                Phase::Reading => S::Analysing,
            };
            ui.label(format!("{} {name}", doing.get(lang)));
            let mb = l.progress.bytes_read as f64 / 1e6;
            let text = match l.progress.total_bytes {
                Some(t) => format!("{:.0}% · {mb:.1} / {:.1} MB", frac * 100.0, t as f64 / 1e6),
                None => format!("{mb:.1} MB"),
            };
            let width = (ui.available_width() - 140.0).clamp(120.0, 600.0);
            ui.add(
                egui::ProgressBar::new(frac)
                    .text(format!(
                        "{text} · {} {} · {} {}",
                        count(l.progress.frames, lang),
                        S::Frames.get(lang),
                        count(l.progress.messages as u64, lang),
                        S::SipMessages.get(lang)
                    ))
                    .desired_width(width),
            );
            if ui
                .button(S::Cancel.get(lang))
                .on_hover_text(S::CancelHint.get(lang))
                .clicked()
            {
                out.push(Intent::CancelAnalysis);
            }
        });
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_millis(100));
    }
    if let Some(e) = &app.error {
        egui::Frame::new()
            .fill(p.bad.gamma_multiply(0.18))
            .inner_margin(6.0)
            .corner_radius(4.0)
            .show(ui, |ui| {
                ui.horizontal_wrapped(|ui| {
                    ui.label(
                        RichText::new(format!("⚠ {}:", S::CannotOpen.get(lang)))
                            .color(p.bad)
                            .strong(),
                    );
                    ui.label(e);
                    if ui.small_button(S::Dismiss.get(lang)).clicked() {
                        out.push(Intent::DismissError);
                    }
                });
            });
    }
    if let Some(n) = &app.notice {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(format!("✓ {n}")).color(p.ok));
            if ui.small_button(S::Dismiss.get(lang)).clicked() {
                out.push(Intent::DismissNotice);
            }
        });
    }
    ui.add_space(2.0);
}

fn nav(app: &mut SipDoctorApp, ui: &mut Ui, out: &mut Vec<Intent>) {
    let lang = app.lang();
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        if ui
            .add_enabled(
                app.step != Step::Capture,
                egui::Button::new(S::Back.get(lang)),
            )
            .on_hover_text(S::BackHint.get(lang))
            .clicked()
        {
            out.push(Intent::Back);
        }
        // The step's summary from the core, in the middle.
        if let Some(l) = &app.loaded
            && let Some(r) = l.derived.steps.get(app.step.index())
        {
            let (icon, colour, _) = verdict_look(ui, r.verdict);
            ui.label(RichText::new(icon).color(colour));
            ui.add(egui::Label::new(r.summary_in(lang)).truncate());
        }
        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
            if ui
                .add_enabled(
                    app.step != Step::Summary,
                    egui::Button::new(S::Next.get(lang)),
                )
                .on_hover_text(S::NextHint.get(lang))
                .clicked()
            {
                out.push(Intent::Next);
            }
        });
    });
    ui.add_space(4.0);
}

fn help_window(app: &mut SipDoctorApp, ui: &mut Ui) {
    let lang = app.lang();
    let mut open = true;
    egui::Window::new(S::Help.get(lang))
        .open(&mut open)
        .collapsible(false)
        .resizable(true)
        .default_width(520.0)
        .show(ui.ctx(), |ui| {
            super::about::show(ui, lang);
            ui.separator();
            ui.label(S::HelpText.get(lang));
            ui.separator();
            ui.label(RichText::new(S::Shortcuts.get(lang)).small());
            ui.separator();
            if ui.button(S::Close.get(lang)).clicked() {
                app.pending.push(Intent::ToggleHelp);
            }
        });
    if !open {
        app.pending.push(Intent::ToggleHelp);
    }
}

fn drop_overlay(ui: &mut Ui, lang: crate::kb::Lang) {
    let hovering = ui.ctx().input(|i| !i.raw.hovered_files.is_empty());
    if !hovering {
        return;
    }
    let rect = ui.ctx().content_rect();
    let painter = ui.ctx().layer_painter(egui::LayerId::new(
        egui::Order::Foreground,
        egui::Id::unique("drop-overlay"),
    ));
    painter.rect_filled(rect, 0.0, Color32::from_black_alpha(170));
    painter.rect_stroke(
        rect.shrink(12.0),
        8.0,
        egui::Stroke::new(3.0, Color32::from_rgb(110, 170, 255)),
        egui::StrokeKind::Inside,
    );
    painter.text(
        rect.center(),
        egui::Align2::CENTER_CENTER,
        S::DropHere.get(lang),
        egui::FontId::proportional(28.0),
        Color32::WHITE,
    );
}

fn take_dropped(app: &mut SipDoctorApp, ui: &mut Ui) {
    let dropped: Vec<std::path::PathBuf> = ui.ctx().input(|i| {
        i.raw
            .dropped_files
            .iter()
            .map(|f| f.path().to_path_buf())
            .collect()
    });
    // One capture at a time: the first one dropped.
    if let Some(p) = dropped.into_iter().find(|p| !p.as_os_str().is_empty()) {
        app.pending.push(Intent::Open(p));
    }
}

/// A grid row: a label and a read-only value, highlighted when `bad`.
pub fn value_row(ui: &mut Ui, label: &str, value: &str, bad: Option<&str>) {
    let p = palette(ui);
    if bad.is_some() {
        ui.label(RichText::new(label).color(p.bad).strong());
    } else {
        ui.label(label);
    }
    ui.horizontal_wrapped(|ui| {
        let text = RichText::new(if value.is_empty() { "—" } else { value }).monospace();
        let text = if bad.is_some() {
            text.color(p.bad)
                .background_color(p.bad.gamma_multiply(0.15))
        } else {
            text
        };
        ui.add(egui::Label::new(text).wrap());
        if let Some(b) = bad {
            ui.label(RichText::new(format!("◀ {b}")).color(p.bad).strong());
        }
    });
    ui.end_row();
}

/// A multi-line paste box with an accessible name.
pub fn paste_box(ui: &mut Ui, text: &mut String, label: &str, hint: &str, id: &str) -> bool {
    let l = ui.label(label);
    let r = ui
        .add(
            egui::TextEdit::multiline(text)
                .id_salt(id)
                .code_editor()
                .desired_rows(8)
                .desired_width(f32::INFINITY)
                .hint_text(hint),
        )
        .labelled_by(l.id);
    r.changed()
}
