//! The desktop app (egui/eframe). The only module that names egui.
//!
//! Structure: [`state`] holds everything and applies [`Intent`]s in one function; `views` draw
//! from the state and push intents; worker threads (analysis, file dialogs) send intents back
//! over a channel and request a repaint. The GUI draws conclusions from the core only.
//!
//! Environment (for screenshots and support): `SIPDOCTOR_START_STEP=1..6` (or a step name)
//! opens the app on that step; `SIPDOCTOR_LANG=en|zh|vi` overrides the remembered language;
//! `SIPDOCTOR_THEME=light|dark` the theme; `SIPDOCTOR_SELECT_FRAME=N` selects the message of
//! frame N once the capture is loaded; `SIPDOCTOR_WINDOW_SIZE=WxH` sets the window size.

pub mod about;
mod accounts;
mod backend;
pub mod dialogs;
pub mod i18n;
mod state;
mod views;

#[cfg(test)]
mod tests;

use std::path::PathBuf;
use std::process::ExitCode;

pub use state::{ExportKind, Intent, Settings, SipDoctorApp, Step};

use crate::kb::Lang;

/// Noto Sans CJK SC, subset (see assets/fonts/): Chinese and Vietnamese on every OS, even
/// without a system CJK font.
static CJK_FONT: &[u8] = include_bytes!("../../assets/fonts/NotoSansCJKsc-SipDoctor-subset.otf");
const CJK_FONT_NAME: &str = "noto-sans-cjk-sc-subset";

/// Install the fonts for `lang`: for Chinese and Vietnamese the bundled font comes first (one
/// consistent face for a whole word like "Tiếng"); for English it is a fallback.
pub fn install_fonts(ctx: &egui::Context, lang: Lang) {
    let mut defs = egui::FontDefinitions::default();
    defs.font_data.insert(
        CJK_FONT_NAME.to_owned(),
        std::sync::Arc::new(egui::FontData::from_static(CJK_FONT)),
    );
    for (family, first) in [
        (egui::FontFamily::Proportional, lang != Lang::En),
        (egui::FontFamily::Monospace, false),
    ] {
        let list = defs.families.entry(family).or_default();
        if first {
            list.insert(0, CJK_FONT_NAME.to_owned());
        } else {
            list.push(CJK_FONT_NAME.to_owned());
        }
    }
    ctx.set_fonts(defs);
}

impl SipDoctorApp {
    /// Draw one frame into `ui` (the eframe window, or a test harness).
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        self.begin_frame(ui.ctx());
        views::draw(self, ui);
        self.end_frame();
    }

    /// Apply the `SIPDOCTOR_*` environment settings (see the module docs).
    pub fn apply_env(&mut self) {
        if let Some(s) = std::env::var("SIPDOCTOR_START_STEP")
            .ok()
            .and_then(|s| Step::parse(&s))
        {
            self.apply(Intent::GoTo(s));
        }
        if let Some(l) = std::env::var("SIPDOCTOR_LANG")
            .ok()
            .and_then(|s| s.parse().ok())
        {
            self.settings.lang = l;
        }
        match std::env::var("SIPDOCTOR_THEME").as_deref() {
            Ok("light") => self.settings.dark = false,
            Ok("dark") => self.settings.dark = true,
            _ => {}
        }
        self.select_frame_when_loaded = std::env::var("SIPDOCTOR_SELECT_FRAME")
            .ok()
            .and_then(|s| s.trim().parse().ok());
    }
}

struct EframeApp {
    app: SipDoctorApp,
}

impl eframe::App for EframeApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.app.ui(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.app.settings.save(storage);
        self.app.settings_dirty = false;
    }

    fn persist_egui_memory(&self) -> bool {
        // egui's memory holds text-field state; nothing typed is kept across runs.
        false
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.app.on_close();
    }
}

fn options(renderer: eframe::Renderer) -> eframe::NativeOptions {
    // `SIPDOCTOR_WINDOW_SIZE=1366x768` (screenshots); otherwise a size that fits a laptop.
    let size = std::env::var("SIPDOCTOR_WINDOW_SIZE")
        .ok()
        .and_then(|s| {
            let (w, h) = s.split_once('x')?;
            Some([w.trim().parse().ok()?, h.trim().parse().ok()?])
        })
        .unwrap_or([1280.0, 740.0]);
    let mut viewport = egui::ViewportBuilder::default()
        .with_title(about::PRODUCT)
        .with_app_id(about::APP_ID);
    if let Some(icon) = about::window_icon() {
        viewport = viewport.with_icon(std::sync::Arc::new(icon));
    }
    eframe::NativeOptions {
        viewport: viewport
            .with_inner_size(size)
            .with_min_inner_size([760.0, 520.0])
            .with_drag_and_drop(true),
        renderer,
        persist_window: true,
        ..Default::default()
    }
}

/// Run the desktop app; `capture` is opened at once (`sipdoctor CAPTURE`).
pub fn run_app(capture: Option<PathBuf>) -> ExitCode {
    dialogs::install_logger();
    let creator = |capture: Option<PathBuf>| -> eframe::AppCreator<'static> {
        Box::new(move |cc: &eframe::CreationContext<'_>| {
            let settings = Settings::load(cc.storage);
            let mut app = SipDoctorApp::new(settings, Some(cc.egui_ctx.clone()));
            app.apply_env();
            install_fonts(&cc.egui_ctx, app.settings.lang);
            app.fonts_for = Some(app.settings.lang);
            if let Some(p) = capture {
                app.start_analysis(p);
            }
            Ok(Box::new(EframeApp { app }) as Box<dyn eframe::App>)
        })
    };
    let first = eframe::run_native(
        "SIP Doctor",
        options(eframe::Renderer::Wgpu),
        creator(capture.clone()),
    );
    let result = match first {
        Ok(()) => Ok(()),
        Err(e) => {
            // Said before any window (and its language setting) exists: the environment's.
            let e = crate::text!(RawText, text = e.to_string());
            let line = crate::text!(GuiNoWgpu, e = e).render(Lang::from_env());
            eprintln!("{}", crate::textsafe::terminal(&line));
            eframe::run_native(
                "SIP Doctor",
                options(eframe::Renderer::Glow),
                creator(capture),
            )
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let e = crate::text!(RawText, text = e.to_string());
            let line = crate::text!(GuiNoWindow, e = e).render(Lang::from_env());
            eprintln!("{}", crate::textsafe::terminal(&line));
            ExitCode::FAILURE
        }
    }
}
