//! The app's state, the intents the views push, and the one function that applies them.
//!
//! Views never change state directly except for the text in text fields; every action is an
//! [`Intent`] handled by [`SipDoctorApp::apply`]. Slow work (analysis, file dialogs, the test
//! REGISTER) runs on worker threads that send intents back over a channel and request a repaint.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

use zeroize::Zeroizing;

use super::accounts::{AccountsView, Column, Filter};
use crate::accounts::{Account, ClientFilter, Focus};
use crate::analysis::{self, Analysis, Progress};
use crate::diagnose::server::ClockReading;
use crate::diagnose::{self, StepReport, StepVerdict};
use crate::kb::Lang;
use crate::secret::Secret;
use crate::verify::Expectation;

/// Where the wizard is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    Capture,
    Credentials,
    Fail2ban,
    Clock,
    Client,
    Summary,
}

impl Step {
    pub const ALL: [Step; 6] = [
        Step::Capture,
        Step::Credentials,
        Step::Fail2ban,
        Step::Clock,
        Step::Client,
        Step::Summary,
    ];

    pub fn index(self) -> usize {
        Step::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }

    pub fn next(self) -> Step {
        Step::ALL[(self.index() + 1).min(Step::ALL.len() - 1)]
    }

    pub fn prev(self) -> Step {
        Step::ALL[self.index().saturating_sub(1)]
    }

    /// From a number 1..=6 (`SIPDOCTOR_START_STEP`) or a name.
    pub fn parse(s: &str) -> Option<Step> {
        let s = s.trim().to_ascii_lowercase();
        match s.as_str() {
            "1" | "capture" => Some(Step::Capture),
            "2" | "credentials" => Some(Step::Credentials),
            "3" | "fail2ban" => Some(Step::Fail2ban),
            "4" | "clock" => Some(Step::Clock),
            "5" | "client" => Some(Step::Client),
            "6" | "summary" => Some(Step::Summary),
            _ => None,
        }
    }
}

/// Which report format to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    Markdown,
    Html,
    Pcap,
}

impl ExportKind {
    pub fn extension(self) -> &'static str {
        match self {
            ExportKind::Markdown => "md",
            ExportKind::Html => "html",
            ExportKind::Pcap => "pcap",
        }
    }
}

/// Everything a view can ask for, and everything a worker can report.
#[derive(Debug)]
pub enum Intent {
    OpenDialog,
    Open(PathBuf),
    CancelAnalysis,
    ForgetRecent,
    DismissError,
    DismissNotice,
    GoTo(Step),
    Next,
    Back,
    SetLang(Lang),
    SetDark(bool),
    ToggleHelp,
    SelectExchange(usize),
    /// The accounts table: the search text changed, a column header or a filter was clicked.
    SearchAccounts,
    SortAccounts(Column),
    FilterAccounts(Option<Filter>),
    /// Ctrl+F: put the keyboard focus in the accounts search box.
    FocusSearch,
    /// Narrow every step to this account (index into the accounts), or back to all (None).
    FocusAccount(Option<usize>),
    SelectMessage(Option<usize>),
    /// An evidence frame was clicked: select its message and its exchange.
    SelectFrame(u64),
    ChooseAuth(usize),
    CheckCredentials,
    ClearSecret,
    ComputeDigest,
    CheckFail2ban,
    CheckClock,
    FillClientFromCapture,
    ExportDialog(ExportKind),
    ExportTo(ExportKind, PathBuf),
    SendProbe,
    Copy(String),
    // From workers:
    Progress(u64, Progress),
    /// The analysis is done; the worker prepares the views.
    Preparing(u64),
    Loaded(u64, Result<Box<Opened>, crate::msg::Text>),
    /// The authenticated requests of the capture opened last (step 2), listed after it opened.
    Auths(u64, Vec<AuthRow>),
    ProbeStep(u64, crate::probe::LadderStep),
    ProbeDone(u64, Box<crate::probe::ProbeReport>),
    DialogClosed,
    /// No native file dialog could open: show the path field for this request.
    NoDialog(super::dialogs::Request),
}

/// A capture the worker read and prepared the views of.
pub struct Opened(pub Loaded);

impl std::fmt::Debug for Opened {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Opened({})", self.0.path.display())
    }
}

/// Settings kept between runs. Never a password, never capture content (only file paths).
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub lang: Lang,
    pub dark: bool,
    pub recent: Vec<PathBuf>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            lang: Lang::En,
            dark: true,
            recent: Vec::new(),
        }
    }
}

pub const MAX_RECENT: usize = 8;
const STORAGE_KEY: &str = "sipdoctor-settings";

impl Settings {
    /// One line per setting: `lang=zh`, `theme=dark`, `recent=/path` (a plain format on purpose:
    /// easy to audit that nothing else is stored).
    pub fn to_text(&self) -> String {
        let mut out = format!(
            "lang={}\ntheme={}\n",
            self.lang.code(),
            if self.dark { "dark" } else { "light" }
        );
        for p in &self.recent {
            out.push_str(&format!("recent={}\n", p.display()));
        }
        out
    }

    pub fn from_text(text: &str) -> Settings {
        let mut s = Settings::default();
        for line in text.lines() {
            match line.split_once('=') {
                Some(("lang", v)) => s.lang = v.parse().unwrap_or_default(),
                Some(("theme", v)) => s.dark = v != "light",
                Some(("recent", v)) if !v.is_empty() && s.recent.len() < MAX_RECENT => {
                    s.recent.push(PathBuf::from(v))
                }
                _ => {}
            }
        }
        s
    }

    pub fn load(storage: Option<&dyn eframe::Storage>) -> Settings {
        storage
            .and_then(|s| s.get_string(STORAGE_KEY))
            .map(|t| Settings::from_text(&t))
            .unwrap_or_default()
    }

    pub fn save(&self, storage: &mut dyn eframe::Storage) {
        storage.set_string(STORAGE_KEY, self.to_text());
    }

    pub fn remember(&mut self, path: &Path) {
        self.recent.retain(|p| p != path);
        self.recent.insert(0, path.to_path_buf());
        self.recent.truncate(MAX_RECENT);
    }
}

/// What the worker is doing with a capture being opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Phase {
    /// Reading and diagnosing (the progress counts bytes).
    #[default]
    Reading,
    /// The analysis is done; the worker prepares the accounts table, steps and clock.
    Preparing,
}

/// A capture being read.
pub struct Loading {
    pub path: PathBuf,
    pub progress: Progress,
    pub phase: Phase,
    /// How long the analysis took (known once the worker prepares the views).
    pub analysed_in: Option<Duration>,
    pub cancel: Arc<AtomicBool>,
    pub started: Instant,
}

/// A message's text as shown in the message pane, and which message it is (index, frame, time).
struct RawShown {
    key: (usize, u64, crate::capture::Nanos),
    text: String,
}

/// One authenticated request of step 2's list: where it is in the analysis its [`Derived`]
/// belongs to, and what the list needs besides. Its method, username, Request-URI and
/// credentials are read from the message when a row is shown (only the visible rows are),
/// not copied: a server capture has hundreds of thousands of them. The owned
/// [`crate::verify::CapturedAuth`] is made only by a check ([`Analysis::verify_with`], one
/// request at a time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuthRow {
    /// The index of the request in the analysis' messages.
    pub message: usize,
    pub frame: u64,
    /// "Authorization" or "Proxy-Authorization".
    pub header: &'static str,
    /// The frame of the challenge it answers.
    pub challenge: Option<u64>,
}

/// The authenticated requests of an analysis as step 2 lists them, in the order of
/// [`Analysis::auth_requests`] (borrowed: nothing of a request is copied).
pub fn auth_rows(a: &Analysis) -> Vec<AuthRow> {
    a.auth_requests_listed()
        .iter()
        .map(|r| AuthRow {
            message: r.message.index(),
            frame: r.message.frame(),
            header: r.header,
            challenge: r.challenge.map(|c| c.0),
        })
        .collect()
}

impl AuthRow {
    /// The request in `a` (the analysis of the [`Derived`] this row is in).
    pub fn request<'a>(&self, a: &'a Analysis) -> Option<&'a crate::sip::SipMessage> {
        a.messages
            .get(self.message)
            .filter(|m| m.frame() == self.frame)
    }

    /// Its credentials (the `header` it was listed for).
    pub fn credentials<'a>(&self, a: &'a Analysis) -> Option<&'a crate::sip::auth::PackedAuth> {
        self.request(a)?.credentials(self.header)?.as_ref().ok()
    }
}

/// What the steps show of one analysis, computed once (on the worker for a new capture).
pub struct Derived {
    /// The authenticated requests (step 2). For a new capture they come from the worker
    /// after the table is drawn: `auths_ready` is false until then.
    pub auths: Vec<AuthRow>,
    pub auths_ready: bool,
    pub steps: Vec<StepReport>,
    pub clock: Vec<ClockReading>,
    pub verdict: String,
    /// The verdict in each of [`crate::kb::Lang::ALL`].
    pub verdicts: Vec<String>,
}

impl Derived {
    /// Everything but the authenticated requests (the slow part on a server capture).
    fn without_auths(a: &Analysis) -> Derived {
        Derived {
            auths: Vec::new(),
            auths_ready: false,
            steps: diagnose::steps(a),
            clock: diagnose::clock_readings(a),
            verdict: crate::report::verdict(a),
            verdicts: crate::kb::Lang::ALL
                .iter()
                .map(|&l| crate::report::verdict_in(a, l))
                .collect(),
        }
    }

    fn of(a: &Analysis) -> Derived {
        Derived {
            auths: auth_rows(a),
            auths_ready: true,
            ..Derived::without_auths(a)
        }
    }
}

/// The whole capture and what its steps show, kept while an account is in focus (so going
/// back to all accounts costs nothing).
pub struct Whole {
    pub analysis: Arc<Analysis>,
    pub derived: Derived,
}

/// A capture that was read, with what the views need computed once.
pub struct Loaded {
    pub path: PathBuf,
    /// What every step shows: the whole capture, or the focused account's part of it. Shared
    /// with the worker while it lists the authenticated requests (a credentials check then
    /// copies it, see [`Loaded::analysis_mut`]).
    pub analysis: Arc<Analysis>,
    /// The whole capture while an account is in focus (else None: `analysis` is it).
    pub full: Option<Box<Whole>>,
    /// The account in focus (an index into [`Loaded::accounts`]).
    pub focused: Option<usize>,
    /// The accounts table (filtered and sorted indexes, search keys).
    pub table: AccountsView,
    /// What the steps show of `analysis`, computed once.
    pub derived: Derived,
}

impl Loaded {
    /// Everything at once (tests, small captures).
    pub fn new(path: PathBuf, analysis: Analysis) -> Loaded {
        let mut l = Loaded::prepare(path, Arc::new(analysis));
        l.set_auths(auth_rows(&l.analysis));
        l
    }

    /// All the views need but the authenticated requests of step 2, which the worker sends
    /// after this ([`Loaded::set_auths`]): on a server capture they take longer than the rest.
    pub fn prepare(path: PathBuf, analysis: Arc<Analysis>) -> Loaded {
        let d = Derived::without_auths(&analysis);
        Loaded {
            path,
            table: AccountsView::new(&analysis.accounts, &analysis.exchanges, &analysis.findings),
            full: None,
            focused: None,
            analysis,
            derived: d,
        }
    }

    /// The authenticated requests of the whole capture, listed by the worker.
    pub fn set_auths(&mut self, auths: Vec<AuthRow>) {
        match &mut self.full {
            Some(w) => {
                w.derived.auths = auths;
                w.derived.auths_ready = true;
            }
            None => {
                self.derived.auths = auths;
                self.derived.auths_ready = true;
            }
        }
    }

    /// The analysis to change (a credentials check): copied first only while the worker
    /// still reads it.
    pub fn analysis_mut(&mut self) -> &mut Analysis {
        Arc::make_mut(&mut self.analysis)
    }

    /// The whole capture (also while an account is in focus).
    pub fn whole(&self) -> &Analysis {
        self.full.as_ref().map_or(&*self.analysis, |w| &*w.analysis)
    }

    /// Every account of the whole capture.
    pub fn accounts(&self) -> &[Account] {
        &self.whole().accounts
    }

    /// More than one account: step 1 opens on the accounts table.
    pub fn many_accounts(&self) -> bool {
        self.accounts().len() > 1
    }

    /// Narrow every step to one account (the core's focus), or back to the whole capture.
    /// The narrowed part is diagnosed again (work proportional to the account); the whole
    /// capture's views are kept, not recomputed.
    pub fn set_focus(&mut self, account: Option<usize>) {
        if let Some(w) = self.full.take() {
            self.analysis = w.analysis;
            self.derived = w.derived;
        }
        self.focused = None;
        if let Some(a) = account.and_then(|i| self.analysis.accounts.get(i)) {
            let focus = Focus {
                account: Some(a.user.clone()),
                client: Some(ClientFilter::Ip(a.client.ip())),
            };
            let narrowed = self.analysis.focus(&focus);
            let derived = Derived::of(&narrowed);
            let whole = std::mem::replace(&mut self.analysis, Arc::new(narrowed));
            let whole_derived = std::mem::replace(&mut self.derived, derived);
            self.full = Some(Box::new(Whole {
                analysis: whole,
                derived: whole_derived,
            }));
            self.focused = account;
        }
    }

    /// Recompute the derived views after the analysis changed (a credentials check).
    pub fn refresh(&mut self) {
        let d = Derived::without_auths(&self.analysis);
        self.derived.steps = d.steps;
        self.derived.clock = d.clock;
        self.derived.verdict = d.verdict;
        self.derived.verdicts = d.verdicts;
    }

    /// The verdict in `lang`.
    pub fn verdict_in(&self, lang: crate::kb::Lang) -> &str {
        let i = crate::kb::Lang::ALL.iter().position(|&l| l == lang);
        i.and_then(|i| self.derived.verdicts.get(i))
            .map(String::as_str)
            .unwrap_or(&self.derived.verdict)
    }

    /// The message index of a frame.
    pub fn message_of_frame(&self, frame: u64) -> Option<usize> {
        self.analysis
            .messages
            .iter()
            .position(|m| m.frame() == frame || m.frames().contains(&frame))
    }

    /// The client addresses seen in the capture (for the fail2ban lookup), in order of first
    /// appearance.
    pub fn client_ips(&self) -> Vec<std::net::IpAddr> {
        let mut seen = std::collections::HashSet::new();
        self.analysis
            .exchanges
            .iter()
            .map(|e| e.client.ip())
            .filter(|ip| seen.insert(*ip))
            .collect()
    }
}

/// Step 2 state. The secret lives only here, in a `Zeroizing` buffer.
#[derive(Default)]
pub struct CredState {
    pub auth: usize,
    pub secret: Zeroizing<String>,
    pub use_ha1: bool,
    pub show: bool,
    pub expect_user: String,
    pub expect_realm: String,
    /// A check ran with the current capture.
    pub checked: bool,
    /// Put the keyboard focus in the secret field (on entering the step).
    pub focus: bool,
}

/// The digest calculator (step 2 without a capture).
pub struct CalcState {
    pub username: String,
    pub realm: String,
    pub method: String,
    pub uri: String,
    pub nonce: String,
    pub algorithm: String,
    pub qop: String,
    pub nc: String,
    pub cnonce: String,
    pub seen_response: String,
    pub result: Option<Result<String, String>>,
}

impl Default for CalcState {
    fn default() -> Self {
        CalcState {
            username: String::new(),
            realm: String::new(),
            method: "REGISTER".into(),
            uri: String::new(),
            nonce: String::new(),
            algorithm: "MD5".into(),
            qop: "auth".into(),
            nc: "00000001".into(),
            cnonce: String::new(),
            seen_response: String::new(),
            result: None,
        }
    }
}

/// A paste box (fail2ban, clock) and what was made of it.
#[derive(Default)]
pub struct PasteState {
    pub text: String,
    /// Lines to show: (is a problem, text).
    pub result: Option<Result<Vec<(bool, String)>, String>>,
    /// Commands to show with a copy button.
    pub commands: Vec<String>,
    /// The core's verdict on the paste: it shows a problem.
    pub problem: bool,
}

/// The built-in test REGISTER (step 5).
#[derive(Default)]
pub struct ProbeState {
    pub running: bool,
    pub generation: u64,
    pub steps: Vec<crate::probe::LadderStep>,
    pub report: Option<crate::probe::ProbeReport>,
    /// The app's result against the phone's, from the core.
    pub comparison: Option<crate::msg::Text>,
    pub error: Option<String>,
}

/// Step 5: the account for the known-good client.
#[derive(Default)]
pub struct ClientState {
    pub user: String,
    pub auth_user: String,
    pub domain: String,
    pub proxy: String,
    pub transport: crate::capture::Transport,
    pub filled_from_capture: bool,
}

pub struct SipDoctorApp {
    pub settings: Settings,
    pub step: Step,
    pub loading: Option<Loading>,
    pub loaded: Option<Loaded>,
    pub error: Option<String>,
    pub notice: Option<String>,
    pub show_help: bool,
    pub selected_exchange: Option<usize>,
    pub selected_message: Option<usize>,
    /// The selected message's text, read back once (see `sync_raw`).
    raw_shown: Option<RawShown>,
    pub creds: CredState,
    pub calc: CalcState,
    pub fail2ban: PasteState,
    pub f2b_ip: String,
    pub clock_paste: PasteState,
    pub client: ClientState,
    pub probe: ProbeState,
    /// A native dialog is open (on its thread).
    pub dialog_open: bool,
    /// No native dialog could open: the path field shown instead.
    pub path_prompt: Option<super::dialogs::PathPrompt>,
    /// Settings changed since the last save.
    pub settings_dirty: bool,
    generation: u64,
    tx: Sender<Intent>,
    rx: Receiver<Intent>,
    ctx: Option<egui::Context>,
    /// The theme last applied to the context.
    applied_dark: Option<bool>,
    /// The language the fonts were installed for.
    pub fonts_for: Option<Lang>,
    /// `SIPDOCTOR_SELECT_FRAME`: select this frame's message once a capture is loaded.
    pub select_frame_when_loaded: Option<u64>,
    /// When opening the capture shown began, until its authenticated requests are listed.
    opened_at: Option<Instant>,
    pub(crate) pending: Vec<Intent>,
}

impl SipDoctorApp {
    pub fn new(settings: Settings, ctx: Option<egui::Context>) -> Self {
        let (tx, rx) = channel();
        SipDoctorApp {
            settings,
            step: Step::Capture,
            loading: None,
            loaded: None,
            error: None,
            notice: None,
            show_help: false,
            selected_exchange: None,
            selected_message: None,
            raw_shown: None,
            creds: CredState::default(),
            calc: CalcState::default(),
            fail2ban: PasteState::default(),
            f2b_ip: String::new(),
            clock_paste: PasteState::default(),
            client: ClientState::default(),
            probe: ProbeState::default(),
            dialog_open: false,
            path_prompt: None,
            settings_dirty: false,
            generation: 0,
            tx,
            rx,
            ctx,
            applied_dark: None,
            fonts_for: None,
            select_frame_when_loaded: None,
            opened_at: None,
            pending: Vec::new(),
        }
    }

    pub fn lang(&self) -> Lang {
        self.settings.lang
    }

    /// A view asks for something; applied after the frame's drawing.
    pub fn push(&mut self, intent: Intent) {
        self.pending.push(intent);
    }

    pub fn is_busy(&self) -> bool {
        self.loading.is_some()
    }

    /// The verdict of a wizard step (Summary: that of the whole capture).
    pub fn step_verdict(&self, step: Step) -> StepVerdict {
        let Some(l) = &self.loaded else {
            return StepVerdict::NotChecked;
        };
        match step {
            Step::Summary => diagnose::overall_verdict(&l.derived.steps),
            s => l
                .derived
                .steps
                .get(s.index())
                .map(|r| r.verdict)
                .unwrap_or(StepVerdict::NotChecked),
        }
    }

    /// Once per frame, before drawing: remember the context, take worker results, apply theme.
    pub fn begin_frame(&mut self, ctx: &egui::Context) {
        if self.ctx.is_none() {
            self.ctx = Some(ctx.clone());
        }
        while let Ok(intent) = self.rx.try_recv() {
            self.apply(intent);
        }
        if self.fonts_for != Some(self.settings.lang) {
            super::install_fonts(ctx, self.settings.lang);
            self.fonts_for = Some(self.settings.lang);
        }
        if self.applied_dark != Some(self.settings.dark) {
            ctx.set_theme(if self.settings.dark {
                egui::Theme::Dark
            } else {
                egui::Theme::Light
            });
            self.applied_dark = Some(self.settings.dark);
        }
    }

    /// After drawing: apply what the views asked for.
    pub fn end_frame(&mut self) {
        let pending = std::mem::take(&mut self.pending);
        if pending.is_empty() {
            return;
        }
        for intent in pending {
            self.apply(intent);
        }
        // The state changed after it was drawn: draw it again.
        if let Some(ctx) = &self.ctx {
            ctx.request_repaint();
        }
    }

    /// The one place state changes.
    pub fn apply(&mut self, intent: Intent) {
        match intent {
            Intent::OpenDialog => self.open_dialog(),
            Intent::Open(path) => self.start_analysis(path),
            Intent::CancelAnalysis => {
                if let Some(l) = self.loading.take() {
                    l.cancel.store(true, Ordering::Relaxed);
                    // Results of this generation are ignored from now on.
                    self.generation += 1;
                }
            }
            Intent::ForgetRecent => {
                self.settings.recent.clear();
                self.settings_dirty = true;
            }
            Intent::DismissError => self.error = None,
            Intent::DismissNotice => self.notice = None,
            Intent::GoTo(step) => self.go_to(step),
            Intent::Next => self.go_to(self.step.next()),
            Intent::Back => self.go_to(self.step.prev()),
            Intent::SetLang(lang) => {
                self.settings.lang = lang;
                self.settings_dirty = true;
            }
            Intent::SetDark(dark) => {
                self.settings.dark = dark;
                self.settings_dirty = true;
            }
            Intent::ToggleHelp => self.show_help = !self.show_help,
            Intent::SelectExchange(i) => {
                self.selected_exchange = Some(i);
                self.selected_message = None;
            }
            Intent::SelectMessage(m) => self.selected_message = m,
            Intent::SearchAccounts | Intent::SortAccounts(_) | Intent::FilterAccounts(_) => {
                self.table_intent(intent)
            }
            Intent::FocusSearch => {
                if let Some(l) = &mut self.loaded
                    && l.many_accounts()
                {
                    if l.focused.is_some() {
                        self.focus_account(None);
                    }
                    self.go_to(Step::Capture);
                    if let Some(l) = &mut self.loaded {
                        l.table.focus_search = true;
                    }
                }
            }
            Intent::FocusAccount(a) => self.focus_account(a),
            Intent::SelectFrame(frame) => {
                if self.select_frame(frame) {
                    self.go_to(Step::Capture);
                }
            }
            Intent::ChooseAuth(i) => self.creds.auth = i,
            Intent::CheckCredentials => self.check_credentials(),
            Intent::ClearSecret => self.clear_secret(),
            Intent::ComputeDigest => self.compute_digest(),
            Intent::CheckFail2ban => self.check_fail2ban(),
            Intent::CheckClock => self.check_clock(),
            Intent::FillClientFromCapture => self.fill_client_from_capture(),
            Intent::ExportDialog(kind) => self.export_dialog(kind),
            Intent::ExportTo(kind, path) => self.export_to(kind, &path),
            Intent::SendProbe => self.send_probe(),
            Intent::ProbeStep(generation, step) => {
                if generation == self.probe.generation {
                    self.probe.steps.push(step);
                }
            }
            Intent::ProbeDone(generation, report) => {
                if generation == self.probe.generation {
                    self.probe.running = false;
                    // The phone's REGISTER for the account of step 5 (the core's choice).
                    let user = Some(self.client.user.trim()).filter(|u| !u.is_empty());
                    let phone = self
                        .loaded
                        .as_ref()
                        .and_then(|l| l.analysis.phone_register(user))
                        .map(|e| e.outcome);
                    self.probe.comparison = crate::probe::compare_with_capture_text(&report, phone);
                    self.probe.report = Some(*report);
                }
            }
            Intent::Copy(text) => {
                if let Some(ctx) = &self.ctx {
                    ctx.copy_text(text);
                }
            }
            Intent::Progress(generation, p) => {
                if generation == self.generation
                    && let Some(l) = &mut self.loading
                {
                    l.progress = p;
                }
            }
            Intent::Preparing(generation) => {
                if generation == self.generation
                    && let Some(l) = &mut self.loading
                {
                    l.phase = Phase::Preparing;
                    l.analysed_in = Some(l.started.elapsed());
                }
            }
            Intent::Loaded(generation, result) => {
                if generation != self.generation {
                    return;
                }
                let Some(loading) = self.loading.take() else {
                    return;
                };
                match result {
                    Ok(opened) => {
                        let loaded = opened.0;
                        let accounts = loaded.accounts().len();
                        self.set_loaded(loaded);
                        self.opened_at = Some(loading.started);
                        // For support and the benchmark notes: how long opening took.
                        eprintln!(
                            "sipdoctor: {} opened in {:.2} s (analysis {:.2} s), {accounts} accounts",
                            loading.path.display(),
                            loading.started.elapsed().as_secs_f64(),
                            loading.analysed_in.unwrap_or_default().as_secs_f64(),
                        );
                    }
                    Err(e) => {
                        if e.id != crate::msg::Msg::ErrCancelled {
                            self.error = Some(e.render(self.settings.lang));
                        }
                    }
                }
            }
            Intent::Auths(generation, auths) => {
                if generation != self.generation {
                    return;
                }
                if let Some(l) = &mut self.loaded {
                    l.set_auths(auths);
                }
                if let Some(t) = self.opened_at.take() {
                    eprintln!(
                        "sipdoctor: authenticated requests listed {:.2} s after opening began",
                        t.elapsed().as_secs_f64()
                    );
                }
            }
            Intent::DialogClosed => self.dialog_open = false,
            Intent::NoDialog(request) => {
                self.path_prompt = Some(super::dialogs::PathPrompt::new(request))
            }
        }
        self.sync_raw();
    }

    /// The selected message's text, read back from the capture once per selection (the
    /// analysis keeps no message bytes; the message pane would read the file every frame).
    fn sync_raw(&mut self) {
        let key = self.selected_message.and_then(|i| {
            let m = self.loaded.as_ref()?.analysis.messages.get(i)?;
            Some((i, m.frame(), m.ts))
        });
        if self.raw_shown.as_ref().map(|r| r.key) == key {
            return;
        }
        self.raw_shown = key.and_then(|key| {
            let l = self.loaded.as_ref()?;
            let text = l.analysis.messages[key.0].raw_text(&l.analysis.raw);
            Some(RawShown { key, text })
        });
    }

    /// The selected message's text when [`Self::sync_raw`] has it.
    pub fn raw_of_selected(&self) -> Option<&str> {
        let r = self.raw_shown.as_ref()?;
        let i = self.selected_message?;
        let m = self.loaded.as_ref()?.analysis.messages.get(i)?;
        (r.key == (i, m.frame(), m.ts)).then_some(r.text.as_str())
    }

    /// The accounts table's search, sort and filter (recomputed here, not per frame).
    fn table_intent(&mut self, intent: Intent) {
        let Some(l) = &mut self.loaded else { return };
        let accounts = &l
            .full
            .as_ref()
            .map_or(&*l.analysis, |w| &*w.analysis)
            .accounts;
        match intent {
            Intent::SortAccounts(col) => l.table.sort_by(col, accounts),
            Intent::FilterAccounts(f) => {
                l.table.filter = f;
                l.table.refilter(accounts);
            }
            _ => l.table.refilter(accounts),
        }
    }

    /// Focus every step on one account (or back to all), and select its first exchange.
    fn focus_account(&mut self, account: Option<usize>) {
        let Some(l) = &mut self.loaded else { return };
        l.set_focus(account);
        self.selected_message = None;
        self.selected_exchange = first_exchange(&l.analysis);
        self.creds.auth = 0;
        self.creds.checked = false;
        self.fail2ban.result = None;
        self.f2b_ip = l
            .client_ips()
            .first()
            .map(|ip| ip.to_string())
            .unwrap_or_default();
        self.fill_client_from_capture();
        if account.is_none() {
            // Back to all accounts: to the table.
            self.go_to(Step::Capture);
        }
    }

    /// Select the message of `frame` and its exchange; false when no message has that frame.
    fn select_frame(&mut self, frame: u64) -> bool {
        let Some(l) = &self.loaded else { return false };
        let Some(m) = l.message_of_frame(frame) else {
            return false;
        };
        self.selected_message = Some(m);
        if let Some(id) = l.analysis.roles.get(m).and_then(|r| r.exchange.get())
            && let Some(i) = l.analysis.exchanges.iter().position(|e| e.id == id)
        {
            self.selected_exchange = Some(i);
        }
        true
    }

    fn go_to(&mut self, step: Step) {
        if step != self.step && matches!(self.step, Step::Credentials | Step::Client) {
            // The password never outlives the step it was typed in.
            self.clear_secret();
        }
        if matches!(step, Step::Credentials | Step::Client) && self.step != step {
            self.creds.focus = true;
        }
        self.step = step;
    }

    /// Wipe the typed secret, and egui's copies of it (the text field's undo history).
    pub fn clear_secret(&mut self) {
        self.creds.secret = Zeroizing::new(String::new());
        if let Some(ctx) = &self.ctx {
            ctx.data_mut(|d| {
                d.remove::<egui::text_edit::TextEditState>(super::views::secret_field_id())
            });
        }
    }

    pub(super) fn set_loaded(&mut self, loaded: Loaded) {
        self.settings.remember(&loaded.path);
        self.settings_dirty = true;
        self.error = None;
        self.selected_exchange = first_exchange(&loaded.analysis);
        self.selected_message = None;
        self.creds.auth = 0;
        self.creds.checked = false;
        self.fail2ban.result = None;
        self.clock_paste.result = None;
        self.f2b_ip = loaded
            .client_ips()
            .first()
            .map(|ip| ip.to_string())
            .unwrap_or_default();
        self.loaded = Some(loaded);
        self.fill_client_from_capture();
        if let Some(f) = self.select_frame_when_loaded.take() {
            self.select_frame(f);
        }
    }

    /// Read a capture on a worker thread.
    pub fn start_analysis(&mut self, path: PathBuf) {
        if let Some(old) = self.loading.take() {
            old.cancel.store(true, Ordering::Relaxed);
        }
        self.generation += 1;
        let generation = self.generation;
        let cancel = Arc::new(AtomicBool::new(false));
        self.loading = Some(Loading {
            path: path.clone(),
            progress: Progress::default(),
            phase: Phase::Reading,
            analysed_in: None,
            cancel: cancel.clone(),
            started: Instant::now(),
        });
        self.error = None;
        let tx = self.tx.clone();
        let ctx = self.ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("sipdoctor-analysis".into())
            .spawn(move || {
                let repaint = || {
                    if let Some(c) = &ctx {
                        c.request_repaint();
                    }
                };
                let mut last = Instant::now();
                // Everything slow happens here, not on the UI thread: the analysis, then the
                // views (accounts table, steps, clock), then the step 2 request list.
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    let a = analysis::analyze_file(
                        &path,
                        &mut |p: &Progress| {
                            if last.elapsed() >= Duration::from_millis(50) {
                                last = Instant::now();
                                let _ = tx.send(Intent::Progress(generation, *p));
                                repaint();
                            }
                        },
                        &cancel,
                    )?;
                    let _ = tx.send(Intent::Preparing(generation));
                    repaint();
                    let a = Arc::new(a);
                    Ok::<_, crate::Error>((Loaded::prepare(path.clone(), a.clone()), a))
                }));
                let internal = || crate::text!(ErrInternal, path = path.display().to_string());
                let shared = match result {
                    Ok(Ok((loaded, a))) => {
                        let _ = tx.send(Intent::Loaded(generation, Ok(Box::new(Opened(loaded)))));
                        Some(a)
                    }
                    Ok(Err(e)) => {
                        let _ = tx.send(Intent::Loaded(generation, Err(e.text())));
                        None
                    }
                    Err(_) => {
                        let _ = tx.send(Intent::Loaded(generation, Err(internal())));
                        None
                    }
                };
                repaint();
                if let Some(a) = shared.filter(|_| !cancel.load(Ordering::Relaxed)) {
                    let auths =
                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| auth_rows(&a)))
                            .unwrap_or_default();
                    drop(a);
                    let _ = tx.send(Intent::Auths(generation, auths));
                    repaint();
                }
            });
        if let Err(e) = spawned {
            self.loading = None;
            let e = crate::text!(ErrCannotStart, reason = crate::msg::io_reason(&e));
            self.error = Some(e.render(self.settings.lang));
        }
    }

    fn open_dialog(&mut self) {
        if self.dialog_open || self.path_prompt.is_some() {
            return;
        }
        self.dialog_open = true;
        let request = super::dialogs::Request::open(&self.settings.recent);
        super::dialogs::spawn(request, self.tx.clone(), self.ctx.clone());
    }

    fn export_dialog(&mut self, kind: ExportKind) {
        let Some(l) = &self.loaded else { return };
        if self.dialog_open || self.path_prompt.is_some() {
            return;
        }
        self.dialog_open = true;
        let request = super::dialogs::Request::save(kind, &l.path);
        super::dialogs::spawn(request, self.tx.clone(), self.ctx.clone());
    }

    /// Write a report (or the relevant packets). Reports never contain the secret: they are
    /// made from the analysis, which never holds it.
    pub fn export_to(&mut self, kind: ExportKind, path: &Path) {
        let Some(l) = &self.loaded else { return };
        let lang = self.settings.lang;
        let result = match kind {
            ExportKind::Markdown => {
                std::fs::write(path, crate::report::markdown(&l.analysis, lang))
                    .map_err(|e| crate::msg::io_reason(&e).render(lang))
            }
            ExportKind::Html => std::fs::write(path, crate::report::html(&l.analysis, lang))
                .map_err(|e| crate::msg::io_reason(&e).render(lang)),
            ExportKind::Pcap => crate::report::export_relevant(&l.analysis, &l.path, path)
                .map(|_| ())
                .map_err(|e| e.text().render(lang)),
        };
        let s = super::i18n::S::Saved;
        match result {
            Ok(()) => self.notice = Some(format!("{}: {}", s.get(lang), path.display())),
            Err(e) => {
                self.error = Some(format!(
                    "{} {}: {e}",
                    super::i18n::S::SaveFailed.get(lang),
                    path.display()
                ))
            }
        }
    }

    /// Send a test REGISTER with the account of step 5 and the secret typed there, on a worker
    /// thread (the probe blocks). The secret is copied into the thread's `Secret` and wiped
    /// when the probe ends.
    fn send_probe(&mut self) {
        if self.probe.running {
            return;
        }
        let c = &self.client;
        let server = if c.proxy.trim().is_empty() {
            c.domain.trim().to_string()
        } else {
            c.proxy.trim().to_string()
        };
        let mut opts = crate::probe::ProbeOptions::new(server, c.transport, c.user.trim());
        let opt = |s: &str| {
            let t = s.trim();
            (!t.is_empty()).then(|| t.to_string())
        };
        opts.auth_user = opt(&c.auth_user);
        opts.domain = opt(&c.domain);
        if let Err(e) = opts.validate(true) {
            self.probe.error = Some(e.text().render(self.settings.lang));
            return;
        }
        if self.creds.secret.is_empty() {
            self.probe.error = Some(crate::text!(PbTypeSecret).render(self.settings.lang));
            return;
        }
        let secret = if self.creds.use_ha1 {
            Secret::ha1(self.creds.secret.as_str())
        } else {
            Secret::password(self.creds.secret.as_str())
        };
        self.probe.generation += 1;
        let generation = self.probe.generation;
        self.probe.running = true;
        self.probe.error = None;
        self.probe.steps.clear();
        self.probe.report = None;
        self.probe.comparison = None;
        let tx = self.tx.clone();
        let ctx = self.ctx.clone();
        std::thread::spawn(move || {
            let report = crate::probe::register(&opts, &secret, &mut |s| {
                let _ = tx.send(Intent::ProbeStep(generation, s.clone()));
                if let Some(c) = &ctx {
                    c.request_repaint();
                }
            });
            drop(secret);
            let _ = tx.send(Intent::ProbeDone(generation, Box::new(report)));
            if let Some(c) = &ctx {
                c.request_repaint();
            }
        });
    }

    fn check_credentials(&mut self) {
        if self.creds.secret.is_empty() {
            return;
        }
        self.focus_account_of_chosen_request();
        let secret = if self.creds.use_ha1 {
            Secret::ha1(self.creds.secret.as_str())
        } else {
            Secret::password(self.creds.secret.as_str())
        };
        let opt = |s: &str| {
            let t = s.trim();
            (!t.is_empty()).then(|| t.to_string())
        };
        let expect = Expectation {
            username: opt(&self.creds.expect_user),
            realm: opt(&self.creds.expect_realm),
            domain: None,
        };
        if let Some(l) = &mut self.loaded {
            l.analysis_mut().verify_with(&secret, &expect);
            l.refresh();
            self.creds.checked = true;
        }
        // `secret` is dropped (and zeroed) here.
    }

    /// A password is one account's: on a capture of many accounts with none in focus, a
    /// check first focuses the account of the chosen request (and keeps that request chosen),
    /// so it is checked against that account's requests only, not every phone's (and a
    /// server capture is not verified and diagnosed whole on the UI thread).
    fn focus_account_of_chosen_request(&mut self) {
        let Some(l) = &self.loaded else { return };
        if !l.many_accounts() || l.focused.is_some() {
            return;
        }
        let Some(&row) = l.derived.auths.get(self.creds.auth) else {
            return;
        };
        let frame = row.frame;
        let exchange = l
            .analysis
            .roles
            .get(row.message)
            .and_then(|r| r.exchange.get());
        let Some(account) =
            exchange.and_then(|x| l.accounts().iter().position(|a| a.exchanges.contains(&x)))
        else {
            return;
        };
        self.focus_account(Some(account));
        if let Some(l) = &self.loaded
            && let Some(i) = l.derived.auths.iter().position(|c| c.frame == frame)
        {
            self.creds.auth = i;
        }
    }

    fn compute_digest(&mut self) {
        let secret = if self.creds.use_ha1 {
            Secret::ha1(self.creds.secret.as_str())
        } else {
            Secret::password(self.creds.secret.as_str())
        };
        self.calc.result = Some(super::backend::compute_digest(
            &self.calc,
            &secret,
            self.settings.lang,
        ));
    }

    fn check_fail2ban(&mut self) {
        let (result, commands, problem) = super::backend::check_fail2ban(
            &self.fail2ban.text,
            self.f2b_ip.trim(),
            self.settings.lang,
        );
        self.fail2ban.result = Some(result);
        self.fail2ban.commands = commands;
        self.fail2ban.problem = problem;
    }

    fn check_clock(&mut self) {
        let (result, commands, problem) =
            super::backend::check_clock(&self.clock_paste.text, self.settings.lang);
        self.clock_paste.result = Some(result);
        self.clock_paste.commands = commands;
        self.clock_paste.problem = problem;
    }

    fn fill_client_from_capture(&mut self) {
        let Some(acc) = self
            .loaded
            .as_ref()
            .and_then(|l| l.analysis.phone_account())
        else {
            return;
        };
        self.client.user = acc.user;
        self.client.auth_user = acc.auth_user.unwrap_or_default();
        self.client.domain = acc.domain;
        self.client.proxy = acc.proxy;
        self.client.transport = acc.transport;
        self.client.filled_from_capture = true;
    }

    /// Called when the app closes: nothing secret stays in memory.
    pub fn on_close(&mut self) {
        self.clear_secret();
        if let Some(l) = self.loading.take() {
            l.cancel.store(true, Ordering::Relaxed);
        }
    }
}

/// The exchange the top finding is about, else the first (its position in the exchanges).
fn first_exchange(a: &Analysis) -> Option<usize> {
    let first = a
        .findings
        .iter()
        .find_map(|f| f.exchanges.first().copied())
        .or_else(|| a.exchanges.first().map(|e| e.id));
    first
        .and_then(|id| a.exchanges.iter().position(|e| e.id == id))
        .or(if a.exchanges.is_empty() {
            None
        } else {
            Some(0)
        })
}
