//! App identity: the product name, app id, version and icon, and the About section of Help.
//!
//! One place for the names the packages use too: the app id is the desktop entry's name
//! (`sipdoctor.desktop`), the Wayland app id and the X11 class, so a launcher matches the window
//! to its entry and icon.

use egui::{RichText, Ui};

use super::i18n::S;
use crate::kb::Lang;

/// The product name, as in the title bar, the desktop entry and the macOS bundle.
pub const PRODUCT: &str = "SIP Doctor";
/// The app id: desktop entry, icon name, Wayland app id, X11 class.
pub const APP_ID: &str = "sipdoctor";
/// The version, from Cargo.toml (as `sipdoctor-cli --version` prints it).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The icon (assets/icon, made from the SVG by make-icons.sh).
static ICON_PNG: &[u8] = include_bytes!("../../assets/icon/png/sipdoctor-256.png");

/// The window icon; `None` if the PNG cannot be decoded (the window then has the default icon).
pub fn window_icon() -> Option<egui::IconData> {
    eframe::icon_data::from_png_bytes(ICON_PNG).ok()
}

/// "SIP Doctor 0.1.0"
pub fn name_and_version() -> String {
    format!("{PRODUCT} {VERSION}")
}

/// The About section (top of the Help window).
pub fn show(ui: &mut Ui, lang: Lang) {
    ui.horizontal(|ui| {
        ui.label(RichText::new(PRODUCT).heading().strong());
        ui.label(format!("{} {VERSION}", S::Version.get(lang)));
    });
    ui.label(S::AboutText.get(lang));
}
