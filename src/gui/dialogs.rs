//! File dialogs that always answer.
//!
//! On Linux rfd asks xdg-desktop-portal and, when that fails, runs zenity. On a desktop with
//! neither (minimal window managers, many VMs) it returns "nothing picked" at once, which looks
//! exactly like Cancel: the button did nothing. So:
//! - [`backend`] looks, before the dialog, for what can draw one here: a portal (a session bus
//!   and the portal's D-Bus service), else zenity on `PATH`, else nothing;
//! - [`RfdErrors`] counts the errors rfd logs while a dialog runs (a portal that is installed
//!   but has no file chooser, zenity missing), so a dialog that could not open is told apart from
//!   a Cancel;
//! - either way the app then shows a [`PathPrompt`]: what is missing, and a path field filled
//!   with the folder (and, to save, the suggested name) the dialog would have started in.
//!
//! rfd's `gtk3` backend would draw a dialog without either, but it needs libgtk-3-dev for every
//! build (and CI); zenity is a run-time dependency of the .deb instead.
//!
//! Where dialogs start: Open in the folder of the capture opened last (never GTK's "Recent"),
//! Save in the capture's folder with a suggested name.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::Sender;

use egui::{Key, RichText, Ui};

use super::i18n::S;
use super::state::{ExportKind, Intent, SipDoctorApp};

/// Set to anything: never try a native dialog, always the path field (support, tests).
pub const NO_NATIVE_DIALOG_ENV: &str = "SIPDOCTOR_NO_NATIVE_DIALOG";

/// What a dialog is for, with where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    Open {
        dir: Option<PathBuf>,
    },
    Save {
        kind: ExportKind,
        dir: Option<PathBuf>,
        name: String,
    },
}

impl Request {
    /// Open: in the folder of the capture opened last.
    pub fn open(recent: &[PathBuf]) -> Request {
        Request::Open {
            dir: recent.first().and_then(|p| folder_of(p)),
        }
    }

    /// Save a report or packets of `capture`: in its folder, named after it.
    pub fn save(kind: ExportKind, capture: &Path) -> Request {
        let stem = capture
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "capture".into());
        let name = match kind {
            ExportKind::Pcap => format!("{stem}-auth.pcap"),
            _ => format!("{stem}-sipdoctor.{}", kind.extension()),
        };
        Request::Save {
            kind,
            dir: folder_of(capture),
            name,
        }
    }

    /// The text the path field starts with: the folder (with a trailing separator), plus the
    /// suggested name for Save.
    pub fn initial_path(&self) -> String {
        let (dir, name) = match self {
            Request::Open { dir } => (dir, ""),
            Request::Save { dir, name, .. } => (dir, name.as_str()),
        };
        match dir {
            Some(d) if name.is_empty() => {
                let mut s = d.display().to_string();
                if !s.ends_with(std::path::MAIN_SEPARATOR) {
                    s.push(std::path::MAIN_SEPARATOR);
                }
                s
            }
            Some(d) => d.join(name).display().to_string(),
            None => name.to_string(),
        }
    }

    /// What to do with the path picked.
    pub fn intent_for(&self, path: PathBuf) -> Intent {
        match self {
            Request::Open { .. } => Intent::Open(path),
            Request::Save { kind, .. } => Intent::ExportTo(*kind, path),
        }
    }
}

/// The absolute folder of a file (a capture given as a relative path on the command line too).
fn folder_of(file: &Path) -> Option<PathBuf> {
    let abs = std::path::absolute(file).ok()?;
    abs.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(Path::to_path_buf)
}

/// What can draw a file dialog on this desktop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Windows, macOS: the OS's own dialog.
    Native,
    /// Linux/BSD with an xdg-desktop-portal reachable.
    Portal,
    /// Linux/BSD without a portal, zenity on PATH (rfd's fallback).
    Zenity,
    /// Nothing: the path field.
    None,
}

/// Look at the environment (`env`) and the file system (`exists`) for a dialog backend.
pub fn backend(env: &dyn Fn(&str) -> Option<OsString>, exists: &dyn Fn(&Path) -> bool) -> Backend {
    if env(NO_NATIVE_DIALOG_ENV).is_some() {
        return Backend::None;
    }
    if !cfg!(any(
        target_os = "linux",
        target_os = "freebsd",
        target_os = "dragonfly",
        target_os = "netbsd",
        target_os = "openbsd"
    )) {
        return Backend::Native;
    }
    let runtime_bus = env("XDG_RUNTIME_DIR").map(|d| PathBuf::from(d).join("bus"));
    let bus = env("DBUS_SESSION_BUS_ADDRESS").is_some_and(|a| !a.is_empty())
        || runtime_bus.is_some_and(|b| exists(&b));
    // The portal is D-Bus activated: its service file is in a data dir (a Flatpak always has it).
    let mut data_dirs: Vec<PathBuf> = env("XDG_DATA_DIRS")
        .filter(|d| !d.is_empty())
        .map(|d| std::env::split_paths(&d).collect())
        .unwrap_or_else(|| vec!["/usr/local/share".into(), "/usr/share".into()]);
    if let Some(home) = env("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| env("HOME").map(|h| PathBuf::from(h).join(".local/share")))
    {
        data_dirs.push(home);
    }
    let portal_service = data_dirs
        .iter()
        .any(|d| exists(&d.join("dbus-1/services/org.freedesktop.portal.Desktop.service")));
    if bus && (portal_service || env("FLATPAK_ID").is_some()) {
        return Backend::Portal;
    }
    let zenity =
        env("PATH").is_some_and(|p| std::env::split_paths(&p).any(|d| exists(&d.join("zenity"))));
    if zenity {
        Backend::Zenity
    } else {
        Backend::None
    }
}

/// The backend of this process.
fn current_backend() -> Backend {
    backend(&|k| std::env::var_os(k), &|p| p.exists())
}

/// Counts the errors rfd logs (its only report of a dialog that could not open). Installed as
/// the process's logger by [`install_logger`]; prints rfd's warnings and errors to stderr.
pub struct RfdErrors;

static RFD_ERRORS: AtomicUsize = AtomicUsize::new(0);

impl log::Log for RfdErrors {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.target().starts_with("rfd") && metadata.level() <= log::Level::Warn
    }

    fn log(&self, record: &log::Record<'_>) {
        if !self.enabled(record.metadata()) {
            return;
        }
        if record.level() == log::Level::Error {
            RFD_ERRORS.fetch_add(1, Ordering::SeqCst);
        }
        eprintln!("sipdoctor: file dialog: {}", record.args());
    }

    fn flush(&self) {}
}

/// The number of rfd errors so far.
pub fn rfd_errors() -> usize {
    RFD_ERRORS.load(Ordering::SeqCst)
}

/// Make [`RfdErrors`] the logger (once, in the app; a second call changes nothing).
pub fn install_logger() {
    static LOGGER: RfdErrors = RfdErrors;
    if log::set_logger(&LOGGER).is_ok() {
        log::set_max_level(log::LevelFilter::Warn);
    }
}

/// Show the dialog for `req` on a worker thread; it sends the intent for the path picked, or
/// [`Intent::NoDialog`] when no dialog could open, then [`Intent::DialogClosed`].
pub fn spawn(req: Request, tx: Sender<Intent>, ctx: Option<egui::Context>) {
    let backend = current_backend();
    let worker = std::thread::Builder::new().name("sipdoctor-dialog".into());
    let fallback_tx = tx.clone();
    let spawned = worker.spawn(move || {
        let answer = match backend {
            Backend::None => Err(()),
            b => run_rfd(&req, b),
        };
        match answer {
            Ok(Some(path)) => drop(tx.send(req.intent_for(path))),
            Ok(None) => {}
            Err(()) => drop(tx.send(Intent::NoDialog(req))),
        }
        let _ = tx.send(Intent::DialogClosed);
        if let Some(c) = ctx {
            c.request_repaint();
        }
    });
    if spawned.is_err() {
        let _ = fallback_tx.send(Intent::DialogClosed);
    }
}

/// The native dialog. `Err` when rfd reported that it could not show one.
fn run_rfd(req: &Request, backend: Backend) -> Result<Option<PathBuf>, ()> {
    let errors_before = rfd_errors();
    // rfd hands zenity only the file name, not the folder: give it the full path.
    let zenity = backend == Backend::Zenity;
    let picked = match req {
        Request::Open { dir } => {
            let mut d = rfd::AsyncFileDialog::new()
                .add_filter(
                    "Captures (pcap, pcapng)",
                    &["pcap", "pcapng", "cap", "dmp", "gz"],
                )
                .add_filter("All files", &["*"]);
            if let Some(dir) = dir {
                d = d.set_directory(dir);
                if zenity {
                    d = d.set_file_name(req.initial_path());
                }
            }
            block_on(d.pick_file())
        }
        Request::Save { kind, dir, name } => {
            let mut d = rfd::AsyncFileDialog::new()
                .add_filter(kind.extension(), &[kind.extension()])
                .set_file_name(if zenity {
                    req.initial_path()
                } else {
                    name.clone()
                });
            if let Some(dir) = dir {
                d = d.set_directory(dir);
            }
            block_on(d.save_file())
        }
    };
    match picked {
        Some(h) => Ok(Some(h.path().to_path_buf())),
        None if rfd_errors() > errors_before => Err(()),
        None => Ok(None),
    }
}

/// The path field shown when no dialog could open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathPrompt {
    pub request: Request,
    pub text: String,
}

impl PathPrompt {
    pub fn new(request: Request) -> PathPrompt {
        PathPrompt {
            text: request.initial_path(),
            request,
        }
    }
}

/// The id of the path field (tests focus it).
pub fn path_field_id() -> egui::Id {
    egui::Id::unique("sipdoctor-path-prompt")
}

/// Draw the path prompt, if one is up.
pub fn show_prompt(app: &mut SipDoctorApp, ui: &mut Ui) {
    let lang = app.lang();
    let Some(prompt) = &mut app.path_prompt else {
        return;
    };
    let (title, button) = match prompt.request {
        Request::Open { .. } => (S::OpenCapture, S::OpenButton),
        Request::Save { .. } => (S::SaveAs, S::SaveButton),
    };
    let mut done: Option<Option<PathBuf>> = None;
    egui::Window::new(title.get(lang))
        .collapsible(false)
        .resizable(false)
        .default_width(560.0)
        .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
        .show(ui.ctx(), |ui| {
            ui.label(RichText::new(S::NoFileDialog.get(lang)).strong());
            ui.add_space(4.0);
            ui.horizontal(|ui| {
                let lbl = ui.label(S::PathLabel.get(lang));
                let field = ui
                    .add(
                        egui::TextEdit::singleline(&mut prompt.text)
                            .id(path_field_id())
                            .desired_width(460.0),
                    )
                    .labelled_by(lbl.id);
                if field.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
                    done = Some(Some(PathBuf::from(prompt.text.trim())));
                }
            });
            ui.horizontal(|ui| {
                let ok = !prompt.text.trim().is_empty();
                if ui
                    .add_enabled(ok, egui::Button::new(button.get(lang)))
                    .clicked()
                {
                    done = Some(Some(PathBuf::from(prompt.text.trim())));
                }
                if ui.button(S::Cancel.get(lang)).clicked()
                    || ui.input(|i| i.key_pressed(Key::Escape))
                {
                    done = Some(None);
                }
            });
        });
    match done {
        Some(Some(path)) if !path.as_os_str().is_empty() => {
            let intent = prompt.request.intent_for(path);
            app.path_prompt = None;
            app.pending.push(intent);
        }
        Some(_) => app.path_prompt = None,
        None => {}
    }
}

/// Run a future to completion on this thread (for rfd's async dialogs on a worker thread).
fn block_on<F: std::future::Future>(fut: F) -> F::Output {
    use std::sync::Arc;
    use std::task::{Context, Poll, Wake, Waker};
    struct ThreadWaker(std::thread::Thread);
    impl Wake for ThreadWaker {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(ThreadWaker(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut fut = std::pin::pin!(fut);
    loop {
        match fut.as_mut().poll(&mut cx) {
            Poll::Ready(v) => return v,
            Poll::Pending => std::thread::park(),
        }
    }
}
