//! The real app, driven headless with egui_kittest: drop a fixture capture, walk the steps,
//! type a password and read the verdict, paste server output, switch language, export.
//!
//! Run with `cargo test --lib gui::`. Every harness run also checks that each input widget has
//! an accessible name (egui_kittest's accessibility check).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use super::i18n::S;
use super::state::{ExportKind, Intent, Settings, SipDoctorApp, Step};
use crate::kb::Lang;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn sample(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/samples")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The password the lab's server had for `user` in this fixture (tests/fixtures/lab.json).
fn lab_password(file: &str, user: &str) -> String {
    let lab: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("lab.json")).expect("lab.json"))
            .expect("lab.json parses");
    lab.as_array()
        .expect("array")
        .iter()
        .find(|e| e["file"] == file)
        .and_then(|e| e["server_passwords"][user].as_str())
        .unwrap_or_else(|| panic!("no password for {user} in {file}"))
        .to_string()
}

fn harness(app: SipDoctorApp) -> Harness<'static, SipDoctorApp> {
    Harness::builder()
        .with_size(egui::vec2(1366.0, 768.0))
        .with_max_steps(40)
        .build_ui_state(|ui, app: &mut SipDoctorApp| app.ui(ui), app)
}

fn new_app() -> Harness<'static, SipDoctorApp> {
    let mut h = harness(SipDoctorApp::new(Settings::default(), None));
    h.run();
    h
}

#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

/// Drop a file on the window, as a user would, and wait for the analysis.
fn drop_file(h: &mut Harness<'static, SipDoctorApp>, path: PathBuf) {
    h.input_mut().dropped_files.push(Arc::new(Dropped(path)));
    h.step();
    wait_idle(h);
}

fn wait_idle(h: &mut Harness<'static, SipDoctorApp>) {
    let start = Instant::now();
    // One step applies the drop (an intent), the next ones take the worker's result.
    h.step();
    // Busy reading, then listing the authenticated requests (after the table opened).
    let listing = |h: &Harness<'static, SipDoctorApp>| {
        h.state()
            .loaded
            .as_ref()
            .is_some_and(|l| !l.derived.auths_ready)
    };
    while h.state().is_busy() || listing(h) {
        assert!(start.elapsed() < Duration::from_secs(60), "analysis hangs");
        std::thread::sleep(Duration::from_millis(5));
        h.step();
    }
    h.run();
}

fn has_label(h: &Harness<'static, SipDoctorApp>, text: &str) -> bool {
    h.query_all_by_label_contains(text).next().is_some()
}

fn go_to(h: &mut Harness<'static, SipDoctorApp>, step: Step) {
    h.state_mut().push(Intent::GoTo(step));
    h.run();
}

/// Type the secret into the password field and press Check.
fn type_password_and_check(h: &mut Harness<'static, SipDoctorApp>, password: &str) {
    h.get_by_role_and_label(Role::PasswordInput, S::Password.get(Lang::En))
        .focus();
    h.run();
    h.get_by_role_and_label(Role::PasswordInput, S::Password.get(Lang::En))
        .type_text(password);
    h.run();
    h.get_by_label(S::Check.get(Lang::En)).click();
    h.run();
}

#[test]
fn opens_without_a_capture_and_every_step_works_by_hand() {
    let mut h = new_app();
    assert!(has_label(&h, S::NoCapture.get(Lang::En)));
    for step in Step::ALL {
        go_to(&mut h, step);
        assert_eq!(h.state().step, step);
    }
    // Step 2 without a capture is the digest calculator.
    go_to(&mut h, Step::Credentials);
    assert!(has_label(&h, S::Calculator.get(Lang::En)));
    // Next / Back buttons and the keyboard move through the steps.
    h.get_by_label(S::Next.get(Lang::En)).click();
    h.run();
    assert_eq!(h.state().step, Step::Fail2ban);
    h.get_by_label(S::Back.get(Lang::En)).click();
    h.run();
    assert_eq!(h.state().step, Step::Credentials);
    h.key_press_modifiers(egui::Modifiers::ALT, egui::Key::ArrowRight);
    h.run();
    assert_eq!(h.state().step, Step::Fail2ban);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::PageUp);
    h.run();
    assert_eq!(h.state().step, Step::Credentials);
}

#[test]
fn wrong_password_capture_walks_all_steps() {
    let file = "02-register-wrong-password.pcap";
    let mut h = new_app();
    drop_file(&mut h, fixture(file));
    assert!(h.state().error.is_none(), "{:?}", h.state().error);
    let l = h.state().loaded.as_ref().expect("the capture loaded");
    assert!(!l.analysis.exchanges.is_empty());
    assert!(!l.analysis.findings.is_empty());
    let first_frame = l.analysis.messages[0].frame();
    let first_summary = l.analysis.messages[0].summary();
    assert_eq!(
        h.state().settings.recent.first(),
        Some(&fixture(file)),
        "the capture is remembered"
    );

    // Step 1: the ladder shows each message; clicking one shows it raw.
    let row = super::views::ladder_row_label(Lang::En, first_frame, &first_summary);
    h.get_by_label(&row).click();
    h.run();
    assert_eq!(h.state().selected_message, Some(0));
    assert!(has_label(
        &h,
        &format!("{} {first_frame} ·", S::Frame.get(Lang::En))
    ));

    // Step 2: the captured values, a wrong password, then the right one.
    go_to(&mut h, Step::Credentials);
    assert!(has_label(&h, S::CapturedValues.get(Lang::En)));
    type_password_and_check(&mut h, "not-the-password");
    assert!(has_label(&h, S::DoesNotMatch.get(Lang::En)));
    h.state_mut().push(Intent::ClearSecret);
    h.run();
    // The phone used a wrong password: the server's password does not match either.
    type_password_and_check(&mut h, &lab_password(file, "1001"));
    assert!(has_label(&h, S::DoesNotMatch.get(Lang::En)));
    // What the phone really sent (lab.json: client_password) matches.
    h.state_mut().push(Intent::ClearSecret);
    h.run();
    type_password_and_check(&mut h, "wrong-1001");
    assert!(has_label(&h, S::Matches.get(Lang::En)));

    // Leaving the step wipes the password.
    h.key_press_modifiers(egui::Modifiers::ALT, egui::Key::ArrowRight);
    h.run();
    assert_eq!(h.state().step, Step::Fail2ban);
    assert!(h.state().creds.secret.is_empty());

    // Steps 3, 4, 5 and the summary.
    assert!(has_label(&h, S::FromCapture.get(Lang::En)));
    go_to(&mut h, Step::Clock);
    assert!(has_label(&h, S::PasteClock.get(Lang::En)));
    go_to(&mut h, Step::Client);
    assert_eq!(
        h.state().client.user,
        "1001",
        "account filled from the capture"
    );
    go_to(&mut h, Step::Summary);
    let verdict = h.state().loaded.as_ref().unwrap().derived.verdict.clone();
    assert!(has_label(&h, &verdict));
    assert!(has_label(&h, S::FixSteps.get(Lang::En)));
}

#[test]
fn evidence_frames_select_their_message() {
    let mut h = new_app();
    drop_file(&mut h, fixture("02-register-wrong-password.pcap"));
    let l = h.state().loaded.as_ref().expect("loaded");
    let frame = l
        .analysis
        .findings
        .iter()
        .flat_map(|f| f.evidence.iter())
        .map(|e| e.frame)
        .find(|f| l.message_of_frame(*f).is_some())
        .expect("a finding with evidence");
    let want = l.message_of_frame(frame);
    go_to(&mut h, Step::Summary);
    h.state_mut().push(Intent::SelectFrame(frame));
    h.run();
    assert_eq!(h.state().step, Step::Capture);
    assert_eq!(h.state().selected_message, want);
}

#[test]
fn export_contains_no_secret() {
    let file = "02-register-wrong-password.pcap";
    let mut h = new_app();
    drop_file(&mut h, fixture(file));
    go_to(&mut h, Step::Credentials);
    let secret = "wrong-1001";
    type_password_and_check(&mut h, secret);
    let dir = std::env::temp_dir().join(format!("sipdoctor-gui-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (kind, name) in [(ExportKind::Markdown, "r.md"), (ExportKind::Html, "r.html")] {
        let out = dir.join(name);
        h.state_mut().push(Intent::ExportTo(kind, out.clone()));
        h.run();
        let text = std::fs::read_to_string(&out).expect("report written");
        assert!(!text.contains(secret), "{name} contains the password");
        let frame = h.state().loaded.as_ref().unwrap().analysis.findings[0]
            .evidence
            .first()
            .map(|e| e.frame)
            .expect("evidence");
        assert!(
            text.contains(&frame.to_string()),
            "{name} lacks the evidence frame"
        );
    }
    assert!(h.state().notice.is_some());
    // The settings that are persisted hold no password and no capture content.
    let settings = h.state().settings.to_text();
    assert!(!settings.contains(secret));
    assert!(!settings.contains("REGISTER"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bad_file_shows_an_error_banner() {
    let mut h = new_app();
    drop_file(&mut h, fixture("91-bad-magic.pcap"));
    let e = h.state().error.clone().expect("an error");
    assert!(e.contains("91-bad-magic.pcap"), "{e}");
    assert!(h.state().loaded.is_none());
    assert!(has_label(&h, S::CannotOpen.get(Lang::En)));
    h.get_by_label(S::Dismiss.get(Lang::En)).click();
    h.run();
    assert!(h.state().error.is_none());
}

/// A capture that never finishes reading until the test says so: a named pipe.
#[cfg(target_os = "linux")]
#[test]
fn cancel_stops_the_analysis() {
    let dir = std::env::temp_dir().join(format!("sipdoctor-gui-fifo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let fifo = dir.join("slow.pcap");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    let mut h = new_app();
    h.state_mut().push(Intent::Open(fifo.clone()));
    h.run_steps(3);
    assert!(h.state().is_busy(), "the worker waits on the pipe");
    assert!(has_label(&h, S::Analysing.get(Lang::En)), "progress shown");
    h.get_by_label(S::Cancel.get(Lang::En)).click();
    h.run();
    assert!(!h.state().is_busy());
    assert!(!has_label(&h, S::Analysing.get(Lang::En)));
    // Let the worker go: it reads a valid capture, and its result must be ignored.
    // O_NONBLOCK: never wait for a reader that is gone; a broken pipe is fine too.
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    const O_NONBLOCK: i32 = 0o4000;
    if let Ok(mut w) = std::fs::OpenOptions::new()
        .write(true)
        .custom_flags(O_NONBLOCK)
        .open(&fifo)
    {
        let bytes = std::fs::read(fixture("02-register-wrong-password.pcap")).unwrap();
        let _ = w.write_all(&bytes);
    }
    std::thread::sleep(Duration::from_millis(300));
    h.run();
    assert!(h.state().loaded.is_none(), "a cancelled result is dropped");
    assert!(h.state().error.is_none());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn language_switch_shows_chinese_and_vietnamese() {
    let mut h = new_app();
    h.get_by_label(S::Language.get(Lang::En)).click();
    h.run();
    h.get_by_label("中文").click();
    h.run();
    assert_eq!(h.state().settings.lang, Lang::Zh);
    assert!(has_label(&h, S::OpenCapture.get(Lang::Zh)));
    assert!(has_label(&h, "凭据"));
    h.state_mut().push(Intent::SetLang(Lang::Vi));
    h.run();
    assert!(has_label(&h, S::OpenCapture.get(Lang::Vi)));
    // The knowledge base follows the language on the summary.
    drop_file(&mut h, fixture("02-register-wrong-password.pcap"));
    go_to(&mut h, Step::Summary);
    let l = h.state().loaded.as_ref().unwrap();
    let entry = l
        .analysis
        .findings
        .iter()
        .find_map(|f| crate::kb::for_code(f.code))
        .expect("a finding with a KB entry");
    let title = entry.title(Lang::Vi).to_string();
    assert!(has_label(&h, &title), "KB title in Vietnamese: {title}");
}

#[test]
fn fail2ban_paste_finds_the_ban_and_gives_the_unban_command() {
    let mut h = new_app();
    go_to(&mut h, Step::Fail2ban);
    let text = sample("fail2ban-status-asterisk-banned.txt");
    let banned_ip = text
        .lines()
        .find(|l| l.contains("Banned IP list"))
        .and_then(|l| l.split(':').nth(1))
        .and_then(|ips| ips.split_whitespace().next())
        .expect("a banned address in the sample")
        .to_string();
    h.state_mut().f2b_ip = banned_ip.clone();
    h.state_mut().fail2ban.text = text;
    h.run();
    h.get_by_label(S::Analyse.get(Lang::En)).click();
    h.run();
    assert!(has_label(&h, S::Banned.get(Lang::En)));
    let cmd = format!("fail2ban-client set asterisk unbanip {banned_ip}");
    assert!(has_label(&h, &cmd), "unban command shown");
    // Another address is not banned.
    h.state_mut().f2b_ip = "192.0.2.250".into();
    h.get_by_label(S::Analyse.get(Lang::En)).click();
    h.run();
    assert!(has_label(&h, S::NotBanned.get(Lang::En)));
    assert!(h.state().fail2ban.commands.is_empty());
}

/// The fail2ban verdict is the core's: the CLI's exit status and the GUI's verdict agree on
/// every paste, including a ban in a jail of another service (shown, not a problem).
#[test]
fn cli_and_gui_give_the_same_fail2ban_verdict_for_the_same_paste() {
    use crate::cli::check::{Args, Kind, check_text};
    let asterisk = sample("fail2ban-status-asterisk-banned.txt");
    let pastes = [
        asterisk.clone(),
        asterisk.replace("asterisk", "sshd"),
        asterisk.replace("asterisk", "recidive"),
        sample("fail2ban-status.txt"),
        sample("fail2ban-status-freeswitch-failing.txt"),
    ];
    let mut h = new_app();
    go_to(&mut h, Step::Fail2ban);
    let mut seen = (false, false);
    for text in &pastes {
        for ip in ["192.0.2.10", "198.51.100.23", "203.0.113.77"] {
            h.state_mut().f2b_ip = ip.into();
            h.state_mut().fail2ban.text = text.clone();
            h.state_mut().push(Intent::CheckFail2ban);
            h.run();
            let st = &h.state().fail2ban;
            let gui_problem = st.problem;
            let Some(Ok(lines)) = &st.result else {
                panic!("{ip}: {:?}", st.result)
            };
            assert_eq!(gui_problem, lines.iter().any(|l| l.0), "{ip}");
            let args = Args {
                kind: Kind::Fail2ban,
                json: false,
                ip: Some(ip.parse().unwrap()),
                maxretry: None,
                findtime: None,
                bantime: None,
                lang: None,
            };
            let (code, out) = check_text(&args, text);
            assert_eq!(
                code == crate::cli::Exit::Problem,
                gui_problem,
                "{ip} in {text}"
            );
            let out = out.unwrap();
            for c in &st.commands {
                assert!(
                    out.contains(c.as_str()),
                    "{c} missing from the CLI's output"
                );
            }
            if text.contains("sshd") && ip == "192.0.2.10" {
                assert!(
                    !gui_problem && !st.commands.is_empty(),
                    "found in sshd, no problem"
                );
                seen.1 = true;
            }
            seen.0 |= gui_problem;
        }
    }
    assert_eq!(
        seen,
        (true, true),
        "both a ban and a harmless hit were compared"
    );
}

#[test]
fn clock_paste_says_synchronised_or_not() {
    let mut h = new_app();
    go_to(&mut h, Step::Clock);
    h.state_mut().clock_paste.text = sample("chronyc-tracking-synced.txt");
    h.run();
    h.get_by_label(S::Analyse.get(Lang::En)).click();
    h.run();
    assert!(has_label(&h, S::Synchronised.get(Lang::En)));
    h.state_mut().clock_paste.text = sample("timedatectl-status-unsynced.txt");
    h.run();
    h.get_by_label(S::Analyse.get(Lang::En)).click();
    h.run();
    assert!(
        has_label(&h, S::NotSynchronised.get(Lang::En)),
        "{:?}",
        h.state().clock_paste.result
    );
}

#[test]
fn settings_round_trip_and_recent_files() {
    let mut s = Settings {
        lang: Lang::Zh,
        dark: false,
        recent: vec![],
    };
    for i in 0..12 {
        s.remember(Path::new(&format!("/tmp/c{i}.pcap")));
    }
    s.remember(Path::new("/tmp/c3.pcap"));
    assert_eq!(s.recent.len(), super::state::MAX_RECENT);
    assert_eq!(s.recent[0], Path::new("/tmp/c3.pcap"));
    let back = Settings::from_text(&s.to_text());
    assert_eq!(back, s);
}

#[test]
fn digest_calculator_reproduces_the_rfc_2617_example() {
    // RFC 2617 section 3.5: the response for "Circle Of Life" is 6629fae4...
    let mut h = new_app();
    go_to(&mut h, Step::Credentials);
    {
        let c = &mut h.state_mut().calc;
        c.username = "Mufasa".into();
        c.realm = "testrealm@host.com".into();
        c.method = "GET".into();
        c.uri = "/dir/index.html".into();
        c.nonce = "dcd98b7102dd2f0e8b11d0f600bfb0c093".into();
        c.algorithm = "MD5".into();
        c.qop = "auth".into();
        c.nc = "00000001".into();
        c.cnonce = "0a4f113b".into();
        c.seen_response = "6629fae49393a05397450978507c4ef1".into();
    }
    h.run();
    h.get_by_role_and_label(Role::PasswordInput, S::Password.get(Lang::En))
        .focus();
    h.run();
    h.get_by_role_and_label(Role::PasswordInput, S::Password.get(Lang::En))
        .type_text("Circle Of Life");
    h.run();
    h.get_by_label(S::Compute.get(Lang::En)).click();
    h.run();
    assert!(
        has_label(&h, "6629fae49393a05397450978507c4ef1"),
        "computed response shown"
    );
    assert!(has_label(&h, S::Matches.get(Lang::En)));
    // One character off: no match.
    h.state_mut().push(Intent::ClearSecret);
    h.run();
    h.get_by_role_and_label(Role::PasswordInput, S::Password.get(Lang::En))
        .focus();
    h.run();
    h.get_by_role_and_label(Role::PasswordInput, S::Password.get(Lang::En))
        .type_text("Circle of Life");
    h.run();
    h.get_by_label(S::Compute.get(Lang::En)).click();
    h.run();
    assert!(has_label(&h, S::DoesNotMatch.get(Lang::En)));
}

#[test]
fn test_register_checks_the_account_before_sending_and_forgets_the_password() {
    let mut h = new_app();
    go_to(&mut h, Step::Client);
    {
        let c = &mut h.state_mut().client;
        c.user = "1001".into();
        c.domain = String::new();
        c.proxy = String::new();
    }
    h.run();
    h.get_by_role_and_label(Role::PasswordInput, S::Password.get(Lang::En))
        .focus();
    h.run();
    h.get_by_role_and_label(Role::PasswordInput, S::Password.get(Lang::En))
        .type_text("s3cret-1001");
    h.run();
    h.get_by_role_and_label(Role::Button, S::SendTestRegister.get(Lang::En))
        .click();
    h.run();
    // No server: nothing is sent, the probe's own validation says why.
    assert!(!h.state().probe.running);
    let e = h.state().probe.error.clone().expect("a validation error");
    assert!(has_label(&h, &e));
    assert!(h.state().probe.report.is_none());
    go_to(&mut h, Step::Summary);
    assert!(
        h.state().creds.secret.is_empty(),
        "password wiped on leaving step 5"
    );
}

#[test]
fn every_step_draws_on_a_4k_screen_and_a_small_window() {
    for (size, ppp) in [
        (egui::vec2(1920.0, 1080.0), 2.0),
        (egui::vec2(800.0, 560.0), 1.0),
    ] {
        let mut h = Harness::builder()
            .with_size(size)
            .with_pixels_per_point(ppp)
            .with_max_steps(40)
            .build_ui_state(
                |ui, app: &mut SipDoctorApp| app.ui(ui),
                SipDoctorApp::new(Settings::default(), None),
            );
        h.run();
        drop_file(&mut h, fixture("10a-register-brute-force-403.pcap"));
        for step in Step::ALL {
            go_to(&mut h, step);
            // The step navigation stays on screen whatever the size.
            let next = h.get_by_label(S::Next.get(Lang::En)).rect();
            assert!(
                next.max.x <= size.x + 0.5 && next.max.y <= size.y + 0.5,
                "{next:?} in {size:?}"
            );
        }
    }
}

#[test]
fn relevant_packets_are_saved_as_a_capture_that_reads_back_the_same() {
    let mut h = new_app();
    drop_file(&mut h, fixture("12c-register-wrong-password-ipv6.pcap"));
    let before = h
        .state()
        .loaded
        .as_ref()
        .expect("loaded")
        .analysis
        .exchanges
        .len();
    let out = std::env::temp_dir().join(format!("sipdoctor-gui-{}-auth.pcap", std::process::id()));
    h.state_mut()
        .push(Intent::ExportTo(ExportKind::Pcap, out.clone()));
    h.run();
    assert!(h.state().error.is_none(), "{:?}", h.state().error);
    drop_file(&mut h, out.clone());
    let l = h.state().loaded.as_ref().expect("the saved packets load");
    assert_eq!(l.analysis.exchanges.len(), before);
    assert_eq!(l.path, out);
    std::fs::remove_file(&out).ok();
}

/// A fresh temporary folder for one test.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sipdoctor-gui-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_path_with_spaces_and_non_ascii_opens_like_any_other() {
    // As `sipdoctor FILE` and the desktop entry's `Exec=sipdoctor %f` pass it: one argument.
    let dir = temp_dir("path with spaces").join("Nguyễn 抓包");
    std::fs::create_dir_all(&dir).unwrap();
    let odd = dir.join("phone 1001 – ünïcode.pcap");
    std::fs::copy(fixture("02-register-wrong-password.pcap"), &odd).unwrap();

    let mut plain = new_app();
    plain
        .state_mut()
        .push(Intent::Open(fixture("02-register-wrong-password.pcap")));
    wait_idle(&mut plain);
    let mut h = new_app();
    h.state_mut().push(Intent::Open(odd.clone()));
    wait_idle(&mut h);

    assert!(h.state().error.is_none(), "{:?}", h.state().error);
    let (a, b) = (h.state().loaded.as_ref(), plain.state().loaded.as_ref());
    let (a, b) = (a.expect("loaded"), b.expect("loaded"));
    assert_eq!(a.path, odd);
    assert!(!a.analysis.exchanges.is_empty());
    assert_eq!(
        a.derived.verdict, b.derived.verdict,
        "same capture, same verdict"
    );
    assert_eq!(h.state().settings.recent.first(), Some(&odd));
    std::fs::remove_dir_all(dir.parent().unwrap()).ok();
}

#[test]
fn files_that_are_not_captures_show_a_clear_error_and_nothing_crashes() {
    let dir = temp_dir("not-captures");
    let text = dir.join("notes.pcap");
    std::fs::write(
        &text,
        "REGISTER sip:example.com SIP/2.0\r\nthis is a text file\r\n",
    )
    .unwrap();
    let empty = dir.join("empty.pcapng");
    std::fs::write(&empty, b"").unwrap();
    let folder = dir.join("a folder.pcap");
    std::fs::create_dir_all(&folder).unwrap();
    let missing = dir.join("gone.pcap");
    let mut h = new_app();
    for p in [&text, &empty, &folder, &missing] {
        h.state_mut().push(Intent::Open(p.clone()));
        wait_idle(&mut h);
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        let e = h
            .state()
            .error
            .clone()
            .unwrap_or_else(|| panic!("no error for {name}"));
        assert!(e.contains(&name), "the banner names the file: {e}");
        assert!(h.state().loaded.is_none(), "{name}");
        assert!(has_label(&h, S::CannotOpen.get(Lang::En)), "{name}");
    }
    // The app still works: a real capture opens after them.
    h.state_mut()
        .push(Intent::Open(fixture("02-register-wrong-password.pcap")));
    wait_idle(&mut h);
    assert!(h.state().error.is_none());
    assert!(h.state().loaded.is_some());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_capture_cut_short_is_said_in_the_chosen_language() {
    let dir = temp_dir("cut-short");
    let bytes = std::fs::read(fixture("02-register-wrong-password.pcap")).unwrap();
    let cut = dir.join("cut.pcap");
    std::fs::write(&cut, &bytes[..10]).unwrap();
    let mut h = new_app();
    for (lang, words) in [
        (Lang::Zh, "文件在文件头处就结束了"),
        (Lang::Vi, "tệp bắt gói bị cắt cụt"),
    ] {
        h.state_mut().push(Intent::SetLang(lang));
        h.state_mut().push(Intent::Open(cut.clone()));
        wait_idle(&mut h);
        let e = h.state().error.clone().expect("an error");
        assert!(e.contains(words) && e.contains("cut.pcap"), "{lang:?}: {e}");
        assert!(has_label(&h, &e), "{lang:?}: the banner shows it");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn dialogs_start_in_the_last_folder_and_the_capture_folder() {
    use super::dialogs::Request;
    let cap = fixture("02-register-wrong-password.pcap");
    let fixtures = cap.parent().unwrap().to_path_buf();
    assert_eq!(
        Request::open(&[cap.clone(), PathBuf::from("/elsewhere/x.pcap")]),
        Request::Open {
            dir: Some(fixtures.clone())
        }
    );
    assert_eq!(Request::open(&[]), Request::Open { dir: None });
    let save = Request::save(ExportKind::Html, &cap);
    assert_eq!(
        save,
        Request::Save {
            kind: ExportKind::Html,
            dir: Some(fixtures.clone()),
            name: "02-register-wrong-password-sipdoctor.html".into()
        }
    );
    assert_eq!(
        save.initial_path(),
        fixtures
            .join("02-register-wrong-password-sipdoctor.html")
            .display()
            .to_string()
    );
    let Request::Save { name, .. } = Request::save(ExportKind::Pcap, &cap) else {
        panic!("a save request")
    };
    assert_eq!(name, "02-register-wrong-password-auth.pcap");
    // A capture named relative to the working folder still gives an absolute folder.
    let Request::Open { dir: Some(d) } = Request::open(&[PathBuf::from("x.pcap")]) else {
        panic!("a folder")
    };
    assert!(d.is_absolute(), "{}", d.display());
}

#[test]
fn the_dialog_backend_is_found_from_the_desktop() {
    use super::dialogs::{Backend, NO_NATIVE_DIALOG_ENV, backend};
    use std::collections::HashMap;
    use std::ffi::OsString;
    let check = |vars: &[(&str, &str)], files: &[&str]| {
        let vars: HashMap<String, OsString> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), OsString::from(v)))
            .collect();
        let files: Vec<PathBuf> = files.iter().map(PathBuf::from).collect();
        backend(&|k| vars.get(k).cloned(), &|p| files.iter().any(|f| f == p))
    };
    let service = "/usr/share/dbus-1/services/org.freedesktop.portal.Desktop.service";
    let bus = ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/run/user/1000/bus");
    let path = ("PATH", "/usr/local/bin:/usr/bin");
    if cfg!(target_os = "linux") {
        // A bare window manager under Xvfb: no session bus, no portal, no zenity.
        assert_eq!(check(&[path], &[]), Backend::None);
        // A desktop with a portal.
        assert_eq!(check(&[bus, path], &[service]), Backend::Portal);
        // A bus but no portal installed, zenity there: rfd's fallback.
        assert_eq!(check(&[bus, path], &["/usr/bin/zenity"]), Backend::Zenity);
        // The portal installed but no session bus to reach it.
        assert_eq!(
            check(&[path], &[service, "/usr/bin/zenity"]),
            Backend::Zenity
        );
        // The bus found from XDG_RUNTIME_DIR; the portal service in XDG_DATA_DIRS.
        assert_eq!(
            check(
                &[
                    ("XDG_RUNTIME_DIR", "/run/user/7"),
                    ("XDG_DATA_DIRS", "/opt/share")
                ],
                &[
                    "/run/user/7/bus",
                    "/opt/share/dbus-1/services/org.freedesktop.portal.Desktop.service"
                ]
            ),
            Backend::Portal
        );
    } else {
        assert_eq!(check(&[path], &[]), Backend::Native);
    }
    assert_eq!(
        check(&[bus, path, (NO_NATIVE_DIALOG_ENV, "1")], &[service]),
        Backend::None
    );
}

#[test]
fn rfd_errors_are_counted_and_other_logs_are_not() {
    use super::dialogs::{RfdErrors, rfd_errors};
    use log::Log as _;
    let before = rfd_errors();
    let log = |target: &str, level: log::Level| {
        RfdErrors.log(
            &log::Record::builder()
                .target(target)
                .level(level)
                .args(format_args!(
                    "Failed to pick file with zenity: No such file or directory"
                ))
                .build(),
        )
    };
    log("wgpu_core::instance", log::Level::Error);
    log("rfd::backend::xdg_desktop_portal", log::Level::Warn);
    assert_eq!(rfd_errors(), before, "only rfd's errors count");
    log("rfd::backend::xdg_desktop_portal", log::Level::Error);
    assert_eq!(rfd_errors(), before + 1);
}

#[test]
fn with_no_dialog_the_path_field_opens_the_capture() {
    use super::dialogs::{Request, path_field_id};
    let cap = fixture("02-register-wrong-password.pcap");
    let mut h = new_app();
    h.state_mut().settings.remember(&cap);
    let req = Request::open(&h.state().settings.recent);
    h.state_mut().push(Intent::NoDialog(req));
    h.run();
    assert!(has_label(&h, "No file dialog could be opened"), "says why");
    let prompt = h.state().path_prompt.clone().expect("the path field");
    let mut dir = cap.parent().unwrap().display().to_string();
    dir.push(std::path::MAIN_SEPARATOR);
    assert_eq!(prompt.text, dir, "starts in the last folder");
    // Type the file name after the folder, press Enter: as a technician would.
    h.get_by_role_and_label(Role::TextInput, S::PathLabel.get(Lang::En))
        .focus();
    h.run();
    h.get_by_role_and_label(Role::TextInput, S::PathLabel.get(Lang::En))
        .type_text("02-register-wrong-password.pcap");
    h.run();
    assert!(
        h.ctx.memory(|m| m.has_focus(path_field_id())),
        "the path field has the focus"
    );
    h.key_press(egui::Key::Enter);
    wait_idle(&mut h);
    assert!(h.state().path_prompt.is_none(), "the field closes");
    assert_eq!(h.state().loaded.as_ref().map(|l| l.path.clone()), Some(cap));
}

#[test]
fn with_no_dialog_the_path_field_saves_the_report_and_cancel_closes_it() {
    use super::dialogs::Request;
    let cap = fixture("02-register-wrong-password.pcap");
    let mut h = new_app();
    h.state_mut().push(Intent::Open(cap.clone()));
    wait_idle(&mut h);
    h.state_mut()
        .push(Intent::NoDialog(Request::save(ExportKind::Markdown, &cap)));
    h.run();
    let prompt = h.state().path_prompt.clone().expect("the path field");
    assert!(
        prompt
            .text
            .ends_with("02-register-wrong-password-sipdoctor.md")
    );
    assert!(has_label(&h, S::SaveAs.get(Lang::En)));
    // Cancel closes it and writes nothing.
    h.get_by_label(S::Cancel.get(Lang::En)).click();
    h.run();
    assert!(h.state().path_prompt.is_none());
    // Again, saved elsewhere (the fixtures folder stays untouched).
    let dir = temp_dir("save-prompt");
    let out = dir.join("rapport été.md");
    h.state_mut()
        .push(Intent::NoDialog(Request::save(ExportKind::Markdown, &cap)));
    h.run();
    h.state_mut().path_prompt.as_mut().unwrap().text = out.display().to_string();
    h.run();
    h.get_by_label(S::SaveButton.get(Lang::En)).click();
    h.run();
    let text = std::fs::read_to_string(&out).expect("the report was written");
    assert!(text.contains("REGISTER"), "{text}");
    assert!(
        h.state()
            .notice
            .as_deref()
            .is_some_and(|n| n.contains("rapport été.md"))
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn help_shows_the_version() {
    let mut h = new_app();
    assert!(!has_label(&h, env!("CARGO_PKG_VERSION")));
    h.state_mut().push(Intent::ToggleHelp);
    h.run();
    assert!(
        has_label(&h, env!("CARGO_PKG_VERSION")),
        "Help/About names the version"
    );
    assert!(has_label(&h, super::about::PRODUCT));
    assert!(super::about::window_icon().is_some_and(|i| i.width == 256 && i.height == 256));
}

/// What the search box must match for an account, read from the whole capture by the test
/// itself: user, auth users, client address, User-Agent and its exchanges' Call-IDs.
fn account_matches(a: &crate::analysis::Analysis, i: usize, needle: &str) -> bool {
    let acc = &a.accounts[i];
    let needle = needle.to_lowercase();
    let has = |s: &str| s.to_lowercase().contains(&needle);
    has(&acc.user)
        || acc.auth_users.iter().any(|u| has(u))
        || acc.auth_user.as_deref().is_some_and(has)
        || has(&acc.client.to_string())
        || acc.user_agent.as_deref().is_some_and(has)
        || acc.exchanges.iter().any(|&e| has(&a.exchanges[e].call_id))
}

/// Type into the accounts search box as a user would (Ctrl+F, then the keys).
fn search_accounts(h: &mut Harness<'static, SipDoctorApp>, text: &str) {
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    h.run();
    let search = S::Search.get(Lang::En);
    let field = h.get_by_role_and_label(Role::TextInput, search);
    // Ctrl+F put the keyboard focus in the box: select what is there and type over it.
    assert!(field.is_focused(), "Ctrl+F focuses the search box");
    h.state_mut().loaded.as_mut().unwrap().table.search.clear();
    h.state_mut().push(Intent::SearchAccounts);
    h.run();
    h.get_by_role_and_label(Role::TextInput, search)
        .type_text(text);
    h.run();
}

#[test]
fn office_capture_opens_on_the_accounts_table_and_one_row_focuses_every_step() {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1366.0, 1600.0))
        .with_max_steps(40)
        .build_ui_state(
            |ui, app: &mut SipDoctorApp| app.ui(ui),
            SipDoctorApp::new(Settings::default(), None),
        );
    h.run();
    drop_file(&mut h, fixture("13-office-register-mixed.pcap"));
    let l = h.state().loaded.as_ref().expect("loaded");
    let whole = l.analysis.clone();
    let n = whole.accounts.len();
    assert!(n >= 20, "the office has 20+ phones, got {n}");
    // Every account has its row, problems first.
    for a in &whole.accounts {
        let label = super::views::account_row_label(Lang::En, a);
        assert!(h.query_by_label(&label).is_some(), "no row for {label}");
    }
    let shown = l.table.shown.clone();
    assert_eq!(shown.len(), n);
    let first_healthy = shown
        .iter()
        .position(|&i| !super::accounts::is_problem(&whole.accounts[i]))
        .unwrap_or(n);
    assert!(first_healthy > 0, "the office capture has failing phones");
    assert!(
        shown[first_healthy..]
            .iter()
            .all(|&i| !super::accounts::is_problem(&whole.accounts[i])),
        "problems first"
    );
    // The counts by root cause are above the table.
    let census = whole.census().expect("a census with many accounts");
    for c in &census.by_cause {
        let chip = format!(
            "{} {}",
            super::views::accounts_cause_text(h.state().loaded.as_ref().unwrap(), c.code, Lang::En),
            c.count
        );
        assert!(has_label(&h, &chip), "no count {chip}");
    }

    // A count is a filter: only that root cause's rows; a second click clears it.
    let first = &census.by_cause[0];
    let chip = format!(
        "{} {}",
        super::views::accounts_cause_text(h.state().loaded.as_ref().unwrap(), first.code, Lang::En),
        first.count
    );
    h.get_by_label(&chip).click();
    h.run();
    let filtered = h.state().loaded.as_ref().unwrap().table.shown.clone();
    assert_eq!(filtered.len(), first.count);
    assert!(
        filtered
            .iter()
            .all(|&i| whole.accounts[i].root_cause == Some(first.code))
    );
    h.get_by_label(&chip).click();
    h.run();
    assert_eq!(h.state().loaded.as_ref().unwrap().table.shown.len(), n);
    // A column header sorts by it (then reversed, then back to problems first).
    h.get_by_label(S::ColUser.get(Lang::En)).click();
    h.run();
    let users: Vec<String> = h
        .state()
        .loaded
        .as_ref()
        .unwrap()
        .table
        .shown
        .iter()
        .map(|&i| whole.accounts[i].user.clone())
        .collect();
    assert!(users.windows(2).all(|w| w[0] <= w[1]), "{users:?}");
    for arrow in [" ▲", " ▼"] {
        h.get_by_label(&format!("{}{arrow}", S::ColUser.get(Lang::En)))
            .click();
        h.run();
    }
    assert_eq!(h.state().loaded.as_ref().unwrap().table.shown, shown);

    // Search by the user of the first failing account: only matching rows stay.
    let pick = shown[0];
    let user = whole.accounts[pick].user.clone();
    search_accounts(&mut h, &user);
    let after: Vec<usize> = h.state().loaded.as_ref().unwrap().table.shown.clone();
    assert!(after.contains(&pick));
    assert!(after.len() < n, "the search narrowed the table");
    for (i, a) in whole.accounts.iter().enumerate() {
        let label = super::views::account_row_label(Lang::En, a);
        let want = account_matches(&whole, i, &user);
        assert_eq!(after.contains(&i), want, "{label} for {user:?}");
        assert_eq!(h.query_by_label(&label).is_some(), want, "row {label}");
    }
    // A Call-ID finds its account too.
    let call_id = whole.exchanges[whole.accounts[pick].exchanges[0]]
        .call_id
        .to_string();
    search_accounts(&mut h, &call_id);
    let by_call: Vec<usize> = h.state().loaded.as_ref().unwrap().table.shown.clone();
    assert!(
        by_call.contains(&pick),
        "Call-ID {call_id} finds its account"
    );
    search_accounts(&mut h, &user);

    // Pick the row: every step narrows to it.
    let label = super::views::account_row_label(Lang::En, &whole.accounts[pick]);
    h.get_by_label(&label).click();
    h.run();
    let l = h.state().loaded.as_ref().unwrap();
    assert_eq!(l.focused, Some(pick));
    assert!(has_label(&h, &format!("{label} ×")), "the focus chip");
    assert!(
        has_label(&h, S::Ladder.get(Lang::En)),
        "step 1 shows its ladder"
    );
    go_to(&mut h, Step::Credentials);
    assert!(has_label(&h, &format!("{label} ×")), "the chip on step 2");
    let l = h.state().loaded.as_ref().unwrap();
    // Step 2's request list: that account's requests only, every one of them.
    let frames: std::collections::HashSet<u64> = whole.accounts[pick]
        .exchanges
        .iter()
        .flat_map(|&e| whole.exchanges[e].messages())
        .map(|m| whole.messages[m].frame())
        .collect();
    let all = whole.captured_auths();
    let mine: Vec<u64> = all
        .iter()
        .map(|c| c.frame)
        .filter(|f| frames.contains(f))
        .collect();
    let listed: Vec<u64> = l.derived.auths.iter().map(|c| c.frame).collect();
    assert!(!listed.is_empty(), "the failing account sent credentials");
    assert_eq!(listed, mine, "only and all of the account's requests");
    assert!(listed.len() < all.len());
    // The summary speaks of that account (the core's focused verdict).
    go_to(&mut h, Step::Summary);
    let verdict = h.state().loaded.as_ref().unwrap().derived.verdict.clone();
    assert!(has_label(&h, &verdict));

    // Esc goes back to all accounts, on the table.
    h.key_press(egui::Key::Escape);
    h.run();
    let l = h.state().loaded.as_ref().unwrap();
    assert_eq!(l.focused, None);
    assert_eq!(h.state().step, Step::Capture);
    assert_eq!(l.analysis.accounts.len(), n);
    assert!(h.query_by_label(&label).is_some(), "the table again");
    // Backspace too (outside a text field).
    h.get_by_label(&label).click();
    h.run();
    assert!(h.state().loaded.as_ref().unwrap().focused.is_some());
    h.key_press(egui::Key::Backspace);
    h.run();
    assert_eq!(h.state().loaded.as_ref().unwrap().focused, None);
    // The chip's × does the same.
    h.get_by_label(&label).click();
    h.run();
    assert!(h.state().loaded.as_ref().unwrap().focused.is_some());
    h.get_by_label(&format!("{label} ×")).click();
    h.run();
    assert_eq!(h.state().loaded.as_ref().unwrap().focused, None);
}

/// A whole-server capture of `n` accounts made from one real exchange (fixture 02): each
/// account gets its own user, client IP and exchange (the same messages), so the table, the
/// exchange list and the ladder have real content at that scale.
fn synthetic_server(n: usize) -> crate::analysis::Analysis {
    let mut a = crate::analysis::analyze_file(
        &fixture("02-register-wrong-password.pcap"),
        &mut |_| {},
        &std::sync::atomic::AtomicBool::new(false),
    )
    .expect("fixture 02");
    let proto_ex = a.exchanges[0].clone();
    let proto_acc = a.accounts[0].clone();
    a.exchanges.clear();
    a.accounts.clear();
    for i in 0..n {
        let ip = std::net::Ipv4Addr::from(0x0a00_0000u32 + i as u32 + 1);
        let client = std::net::SocketAddr::new(ip.into(), 5060);
        let mut e = proto_ex.clone();
        e.id = i;
        e.client = client.into();
        e.call_id = format!("{i:08x}@synthetic").into();
        a.exchanges.push(e);
        let mut acc = proto_acc.clone();
        acc.id = i;
        acc.user = format!("{}", 100_000 + i);
        acc.auth_user = Some(acc.user.clone());
        acc.client = client;
        acc.exchanges = vec![i];
        if i % 5 != 0 {
            acc.root_cause = None;
            acc.outcome = crate::transaction::Outcome::Accepted;
        }
        a.accounts.push(acc);
    }
    a
}

/// The time to lay out one frame of the accounts table and of the ladder (with the
/// exchange list) at 100,000 accounts. Prints the figures; no timing assert.
/// `cargo test --release --lib gui::tests::frame_time -- --ignored --nocapture`
#[test]
#[ignore = "a measurement: run by hand with --ignored --nocapture"]
fn frame_time_with_100k_accounts() {
    let n = 100_000;
    let a = synthetic_server(n);
    let t0 = Instant::now();
    let loaded = super::state::Loaded::new(fixture("synthetic"), a);
    let prepare = t0.elapsed();
    let mut app = SipDoctorApp::new(Settings::default(), None);
    app.loaded = Some(loaded);
    app.selected_exchange = Some(n / 2);
    let mut h = harness(app);
    let time = |h: &mut Harness<'static, SipDoctorApp>| {
        for _ in 0..3 {
            h.step();
        }
        let frames = 20;
        let t = Instant::now();
        for _ in 0..frames {
            h.step();
        }
        t.elapsed() / frames
    };
    assert_eq!(h.state().loaded.as_ref().unwrap().table.shown.len(), n);
    let table = time(&mut h);
    // Typing in the search box: one refilter of 100k keys.
    let t = Instant::now();
    h.state_mut().loaded.as_mut().unwrap().table.search = "10.1.".into();
    h.state_mut().push(Intent::SearchAccounts);
    h.step();
    let search = t.elapsed();
    assert!(h.state().loaded.as_ref().unwrap().table.shown.len() < n);
    // The ladder and the exchange list of all 100k exchanges (focus set without narrowing:
    // the worst case for the list).
    h.state_mut().loaded.as_mut().unwrap().focused = Some(n / 2);
    h.step();
    let ladder = time(&mut h);
    println!(
        "{n} accounts: prepare {prepare:?}; accounts table {table:?}/frame; \
         search keystroke {search:?}; ladder + exchange list {ladder:?}/frame"
    );
}

/// Step 1, the status line and the summary in Chinese: the core's sentences are Chinese, each
/// title shown once, and no English title or explanation is left.
#[test]
fn findings_verdict_and_status_line_follow_the_language() {
    let mut h = new_app();
    h.state_mut().push(Intent::SetLang(Lang::Zh));
    h.run();
    drop_file(&mut h, fixture("02-register-wrong-password.pcap"));
    go_to(&mut h, Step::Capture);
    let l = h.state().loaded.as_ref().unwrap();
    let f = &l.analysis.findings[0];
    let (zh_title, en_title) = (f.title_in(Lang::Zh), f.title.clone());
    let zh_expl = f.explanation_in(Lang::Zh);
    let status = l.derived.steps[0].summary_in(Lang::Zh);
    let verdict = l.verdict_in(Lang::Zh).to_string();
    assert!(zh_title.contains("凭据"), "{zh_title}");
    assert!(has_label(&h, &format!("● {zh_title}")), "translated title");
    assert!(
        !has_label(&h, &en_title),
        "the English title is not shown too"
    );
    assert!(has_label(&h, &zh_expl), "translated explanation");
    assert!(!has_label(&h, &f.explanation), "no English explanation");
    assert!(has_label(&h, &status), "the status line: {status}");
    go_to(&mut h, Step::Summary);
    assert!(has_label(&h, &verdict), "the verdict: {verdict}");
    assert!(!has_label(&h, &en_title));
}

#[test]
fn a_password_checked_with_every_account_shown_is_checked_for_its_own_account_only() {
    let mut h = new_app();
    drop_file(&mut h, fixture("13-office-register-mixed.pcap"));
    // The first authenticated request of phone 2017 (a wrong password, lab.json), chosen in
    // step 2 with all 24 accounts in view.
    let l = h.state().loaded.as_ref().unwrap();
    assert!(l.focused.is_none());
    let pick = l
        .derived
        .auths
        .iter()
        .position(|c| {
            c.credentials(&l.analysis)
                .and_then(|p| p.username())
                .as_deref()
                == Some("2017")
        })
        .expect("a request of 2017");
    let frame = l.derived.auths[pick].frame;
    go_to(&mut h, Step::Credentials);
    h.state_mut().push(Intent::ChooseAuth(pick));
    h.run();
    // What the phone sent (lab.json client_password) matches.
    type_password_and_check(&mut h, "offise-2017");
    assert!(has_label(&h, S::Matches.get(Lang::En)));
    let l = h.state().loaded.as_ref().unwrap();
    let focused = l.focused.expect("the check focused the request's account");
    assert_eq!(l.accounts()[focused].user, "2017");
    assert_eq!(
        l.derived.auths[h.state().creds.auth].frame,
        frame,
        "the same request"
    );
    // Only 2017's three requests were checked (not the 23 other phones').
    let v = &l.analysis.verifications;
    assert_eq!(v.len(), 3, "{v:?}");
    assert!(v.iter().all(|x| x.verified));
}

#[test]
fn server_scale_counts_have_their_thousands_grouped() {
    use super::views::count;
    assert_eq!(count(437_880u64, Lang::En), "437,880");
    assert_eq!(count(1_000_000u64, Lang::Zh), "1,000,000");
    assert_eq!(count(88_576u64, Lang::Vi), "88.576");
    assert_eq!(count(999u64, Lang::En), "999");
    assert_eq!(count(0u64, Lang::En), "0");
}

#[test]
fn a_server_s_own_ban_is_labelled_with_its_own_entry_not_fail2ban() {
    use crate::finding::FindingCode;
    let mut h = new_app();
    drop_file(&mut h, fixture("13-office-register-mixed.pcap"));
    let l = h.state().loaded.as_ref().expect("loaded");
    // Phone 2023 guessed until Kamailio itself answered 403 (lab.json).
    let banned = l
        .accounts()
        .iter()
        .find(|a| a.user == "2023")
        .expect("account 2023");
    assert_eq!(banned.root_cause, Some(FindingCode::BruteForceBlock));
    let own = crate::kb::get("communication/sip-server-own-ban")
        .expect("entry")
        .title(Lang::En)
        .to_string();
    let fail2ban = crate::kb::for_code(FindingCode::BruteForceBlock)
        .expect("entry")
        .title(Lang::En)
        .to_string();
    assert_ne!(own, fail2ban);
    let label = super::views::accounts_cause_text(l, FindingCode::BruteForceBlock, Lang::En);
    assert_eq!(label, own, "the row's root cause");
    // The count above the table says the same, and fail2ban is named nowhere.
    assert!(has_label(&h, &format!("{own} 1")), "count chip {own} 1");
    assert!(!has_label(&h, &fail2ban));
}

#[test]
fn the_table_opens_before_the_request_list_which_follows_and_survives_a_focus() {
    let a = crate::analysis::analyze_file(
        &fixture("13-office-register-mixed.pcap"),
        &mut |_| {},
        &std::sync::atomic::AtomicBool::new(false),
    )
    .expect("office capture");
    let all = a.captured_auths();
    assert!(!all.is_empty());
    // What the worker sends first: everything but the step 2 list.
    let a = Arc::new(a);
    let loaded = super::state::Loaded::prepare(fixture("office"), a.clone());
    let mut app = SipDoctorApp::new(Settings::default(), None);
    app.set_loaded(loaded);
    let mut h = harness(app);
    h.run();
    assert!(
        has_label(&h, S::Accounts.get(Lang::En)),
        "the table is drawn"
    );
    // (a spinner: it never settles, so a few steps instead of `run`)
    h.state_mut().push(Intent::GoTo(Step::Credentials));
    h.run_steps(4);
    assert!(has_label(&h, S::ListingRequests.get(Lang::En)));
    assert!(!has_label(&h, S::NoAuthRequests.get(Lang::En)));
    // The list arrives while an account is in focus: it is the whole capture's, kept for
    // the way back; the focused account shows its own requests.
    h.state_mut().push(Intent::FocusAccount(Some(0)));
    h.run();
    let focused = h.state().loaded.as_ref().unwrap().derived.auths.len();
    assert!(focused < all.len(), "{focused} of {}", all.len());
    h.state_mut()
        .loaded
        .as_mut()
        .unwrap()
        .set_auths(super::state::auth_rows(&a));
    assert_eq!(
        h.state().loaded.as_ref().unwrap().derived.auths.len(),
        focused
    );
    h.state_mut().push(Intent::FocusAccount(None));
    h.run();
    let l = h.state().loaded.as_ref().unwrap();
    assert!(l.derived.auths_ready);
    let frames = |v: &[crate::verify::CapturedAuth]| v.iter().map(|c| c.frame).collect::<Vec<_>>();
    let listed: Vec<u64> = l.derived.auths.iter().map(|c| c.frame).collect();
    assert_eq!(listed, frames(&all));
    go_to(&mut h, Step::Credentials);
    assert!(has_label(&h, S::CapturedValues.get(Lang::En)));
    assert!(!has_label(&h, S::ListingRequests.get(Lang::En)));
    drop(a);
    // A credentials check changes the analysis the worker no longer shares: no copy.
    assert_eq!(
        Arc::strong_count(&h.state().loaded.as_ref().unwrap().analysis),
        1
    );
}

/// Where the time goes when the GUI opens a big capture: the analysis, each part of
/// `Loaded::new`, and the first frames of the accounts table. Prints the figures; no timing
/// assert. `SIPDOCTOR_BIG=/tmp/x.pcap cargo test --release --lib gui::tests::open_big -- \
/// --ignored --nocapture` (a capture from `tests/bench/make_capture.py --sip-only`).
#[test]
#[ignore = "a measurement: run by hand with SIPDOCTOR_BIG=FILE --ignored --nocapture"]
fn open_big_capture_timings() {
    let Some(path) = std::env::var_os("SIPDOCTOR_BIG").map(PathBuf::from) else {
        println!("set SIPDOCTOR_BIG to a capture");
        return;
    };
    let t = Instant::now();
    let a = crate::analysis::analyze_file(
        &path,
        &mut |_| {},
        &std::sync::atomic::AtomicBool::new(false),
    )
    .expect("the capture reads");
    println!(
        "analysis {:?}: {} messages, {} exchanges, {} accounts, {} findings",
        t.elapsed(),
        a.messages.len(),
        a.exchanges.len(),
        a.accounts.len(),
        a.findings.len()
    );
    let part = |name: &str, f: &mut dyn FnMut()| {
        let t = Instant::now();
        f();
        println!("  {name}: {:?}", t.elapsed());
    };
    part("captured_auths", &mut || drop(a.captured_auths()));
    part("auth_requests", &mut || drop(a.auth_requests()));
    part("auth_rows (step 2's list)", &mut || {
        drop(super::state::auth_rows(&a))
    });
    part("census", &mut || drop(a.census()));
    part("steps", &mut || drop(crate::diagnose::steps(&a)));
    part("clock_readings", &mut || {
        drop(crate::diagnose::clock_readings(&a))
    });
    part("verdict", &mut || drop(crate::report::verdict(&a)));
    part("accounts view", &mut || {
        drop(super::accounts::AccountsView::new(
            &a.accounts,
            &a.exchanges,
            &a.findings,
        ))
    });
    // What opening does now: the worker prepares (all but the step 2 list), the UI thread
    // takes the result and draws; the worker then lists the authenticated requests.
    let t = Instant::now();
    let a = Arc::new(a);
    let loaded = super::state::Loaded::prepare(path, a.clone());
    println!("worker: Loaded::prepare {:?}", t.elapsed());
    let mut app = SipDoctorApp::new(Settings::default(), None);
    let t = Instant::now();
    app.set_loaded(loaded);
    println!("UI thread: set_loaded {:?}", t.elapsed());
    let t = Instant::now();
    let mut h = harness(app);
    h.step();
    println!("UI thread: first frame {:?}", t.elapsed());
    let t = Instant::now();
    let auths = super::state::auth_rows(&a);
    drop(a);
    println!("worker, after the table: auth_rows {:?}", t.elapsed());
    h.state_mut().loaded.as_mut().unwrap().set_auths(auths);
    let t = Instant::now();
    for _ in 0..100 {
        h.step();
    }
    println!("next frames {:?}/frame", t.elapsed() / 100);
    // Picking the first row (a failing account) and going back to all accounts.
    let first = h.state().loaded.as_ref().unwrap().table.shown[0];
    let t = Instant::now();
    h.state_mut().push(Intent::FocusAccount(Some(first)));
    h.step();
    println!("focus one account (UI thread) {:?}", t.elapsed());
    let t = Instant::now();
    h.state_mut().push(Intent::FocusAccount(None));
    h.step();
    println!("back to all accounts (UI thread) {:?}", t.elapsed());
}

/// The message pane reads the selected message back from the capture once per selection, not
/// every frame: with the file gone after the click, the pane still shows the message.
#[test]
fn the_message_pane_reads_the_capture_once_per_selection() {
    let dir = std::env::temp_dir().join(format!("sipdoctor-raw-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let copy = dir.join("02.pcap");
    std::fs::copy(fixture("02-register-wrong-password.pcap"), &copy).unwrap();
    let mut h = new_app();
    drop_file(&mut h, copy.clone());
    h.state_mut().push(Intent::SelectMessage(Some(1)));
    h.run();
    let l = h.state().loaded.as_ref().unwrap();
    let want = l.analysis.messages[1].raw_text(&l.analysis.raw);
    assert!(want.starts_with("SIP/2.0 401"), "{want}");
    assert_eq!(h.state().raw_of_selected(), Some(want.as_str()));
    std::fs::remove_file(&copy).unwrap();
    h.run();
    assert_eq!(h.state().raw_of_selected(), Some(want.as_str()));
    let frame = h.state().loaded.as_ref().unwrap().analysis.messages[1].frame();
    assert!(has_label(
        &h,
        &format!("{} {frame} ·", S::Frame.get(Lang::En))
    ));
    // Another selection reads again: the file is gone, so the pane says why, not old text.
    h.state_mut().push(Intent::SelectMessage(Some(3)));
    h.run();
    assert_ne!(h.state().raw_of_selected(), Some(want.as_str()));
    std::fs::remove_dir_all(&dir).ok();
}

/// Step 2's list holds no copy of a request: each row reads what it shows (method, auth
/// username, header, Request-URI, challenge frame, every captured digest value) from the
/// analysis, and it is what the owned copies of `captured_auths` say, in their order, on
/// every fixture with credentials (REGISTER and INVITE, Authorization and
/// Proxy-Authorization, pre-emptive credentials, the office capture, and a focused account).
#[test]
fn step_2_rows_read_from_the_analysis_what_the_owned_copies_say() {
    let check = |a: &crate::analysis::Analysis, name: &str| {
        let rows = super::state::auth_rows(a);
        let owned = a.captured_auths();
        assert_eq!(rows.len(), owned.len(), "{name}");
        for (r, c) in rows.iter().zip(&owned) {
            assert_eq!(r.frame, c.frame, "{name}");
            assert_eq!(r.header, c.header, "{name} frame {}", c.frame);
            assert_eq!(r.challenge, c.challenge.as_ref().map(|x| x.0), "{name}");
            let m = r.request(a).expect("the row's message");
            assert_eq!(m.method().unwrap_or(""), c.method, "{name}");
            assert_eq!(m.request_uri().unwrap_or(""), c.request_uri, "{name}");
            let cr = r.credentials(a).expect("the row's credentials");
            assert_eq!(cr.unpack(), c.credentials, "{name} frame {}", c.frame);
        }
        rows.len()
    };
    let mut total = 0;
    let mut proxy = false;
    for name in [
        "02-register-wrong-password.pcap",
        "03a-invite-407-ok.pcap",
        "03b-invite-407-wrong-password.pcap",
        "03c-invite-preemptive-auth-linphonec.pcap",
        "08-register-stale-nonce.pcap",
        "12f-invite-wrong-password-sll2.pcap",
        "13-office-register-mixed.pcap",
    ] {
        let a = crate::analysis::analyze_file(
            &fixture(name),
            &mut |_| {},
            &std::sync::atomic::AtomicBool::new(false),
        )
        .expect(name);
        total += check(&a, name);
        proxy |= super::state::auth_rows(&a)
            .iter()
            .any(|r| r.header == "Proxy-Authorization");
        if let Some(acc) = a.accounts.iter().find(|x| x.user == "2017") {
            let focus = crate::accounts::Focus {
                account: Some(acc.user.clone()),
                client: Some(crate::accounts::ClientFilter::Ip(acc.client.ip())),
            };
            let narrowed = a.focus(&focus);
            assert!(check(&narrowed, "office, 2017 in focus") > 0);
        }
    }
    assert!(total > 20, "{total} requests");
    assert!(proxy, "a Proxy-Authorization request among them");
}
