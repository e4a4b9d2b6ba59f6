//! Network tests of the probe: a real Kamailio (tests/lab/kamailio.cfg) and small scripted
//! servers, each test inside its own network namespace (loopback only) and PID namespace, so
//! every process it starts dies with it.
//!
//! How: the test re-executes its own test binary under `unshare --net --pid --fork
//! --kill-child`, filtered to itself, with an environment variable telling the inner run that
//! it is inside the namespace. Where Kamailio or namespaces are missing, the outer test prints
//! `SKIP: <reason>` to stderr and returns (`.ci/run` installs both).

use std::io::Write as _;
use std::net::UdpSocket;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::*;

const ENV: &str = "SIPDOCTOR_PROBE_NETNS";
/// Password of the scripted servers (distinctive, so a leak into the report is found).
const PW: &str = "pw-Scripted-7";
/// Longest an inner (namespaced) test may run.
const INNER_LIMIT: Duration = Duration::from_secs(90);

fn have(cmd: &str) -> bool {
    std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).any(|d| d.join(cmd).is_file()))
        .unwrap_or(false)
        || Path::new("/usr/sbin").join(cmd).is_file()
        || Path::new("/sbin").join(cmd).is_file()
}

/// `unshare` arguments that work here, or why none does.
fn unshare_args() -> Result<Vec<&'static str>, String> {
    if !have("unshare") {
        return Err("unshare (util-linux) is not installed".into());
    }
    if !have("ip") {
        return Err("ip (iproute2) is not installed".into());
    }
    let mut last = String::new();
    for args in [
        vec!["--net", "--pid", "--fork", "--kill-child"],
        vec![
            "--map-root-user",
            "--net",
            "--pid",
            "--fork",
            "--kill-child",
        ],
    ] {
        let out = Command::new("unshare")
            .args(&args)
            .args(["--", "ip", "link", "set", "lo", "up"])
            .output();
        match out {
            Ok(o) if o.status.success() => return Ok(args),
            Ok(o) => last = String::from_utf8_lossy(&o.stderr).trim().to_string(),
            Err(e) => last = e.to_string(),
        }
    }
    Err(format!("network namespaces are not available ({last})"))
}

/// Run `body` inside a fresh network namespace (see the module comment).
fn in_netns(name: &str, needs_kamailio: bool, body: impl FnOnce()) {
    if std::env::var(ENV).as_deref() == Ok(name) {
        let st = Command::new("ip")
            .args(["link", "set", "lo", "up"])
            .status()
            .expect("ip runs");
        assert!(st.success(), "ip link set lo up failed");
        body();
        return;
    }
    if needs_kamailio && !have("kamailio") {
        eprintln!("SKIP: {name}: kamailio is not installed (apt-get install kamailio)");
        return;
    }
    let args = match unshare_args() {
        Ok(a) => a,
        Err(why) => {
            eprintln!("SKIP: {name}: {why}");
            return;
        }
    };
    let full = format!(
        "{}::{name}",
        module_path!()
            .strip_prefix("sipdoctor::")
            .unwrap_or(module_path!())
    );
    let exe = std::env::current_exe().expect("test binary path");
    let mut child = Command::new("unshare")
        .args(&args)
        .arg("--")
        .arg(exe)
        .args([full.as_str(), "--exact", "--nocapture", "--test-threads=1"])
        .env(ENV, name)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("unshare starts");
    let started = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if started.elapsed() > INNER_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{name}: inner run exceeded {INNER_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut out = String::new();
    let mut err = String::new();
    use std::io::Read;
    let _ = child.stdout.take().unwrap().read_to_string(&mut out);
    let _ = child.stderr.take().unwrap().read_to_string(&mut err);
    eprint!("{err}");
    print!("{out}");
    assert!(status.success(), "{name}: inner run failed ({status})");
    assert!(
        out.contains("1 passed"),
        "{name}: the inner run did not run the test:\n{out}"
    );
}

/// A Kamailio started from tests/lab/kamailio.cfg, stopped (SIGTERM, by PID) on drop.
struct Kamailio {
    child: Child,
    dir: PathBuf,
}

impl Kamailio {
    fn start(defines: &[&str]) -> Kamailio {
        let lab = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lab");
        let dir = std::env::temp_dir().join(format!("sipdoctor-probe-{}", wire::random_hex(6)));
        std::fs::create_dir_all(&dir).expect("runtime dir");
        let log = std::fs::File::create(dir.join("kamailio.log")).expect("log file");
        let mut cmd = Command::new("kamailio");
        cmd.current_dir(&lab)
            .args([
                "-f",
                "kamailio.cfg",
                "-DD",
                "-E",
                "-m",
                "16",
                "-M",
                "4",
                "-Y",
            ])
            .arg(&dir)
            .args(["-A", "BF_MAX=0"]);
        for d in defines {
            cmd.args(["-A", d]);
        }
        let child = cmd
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("kamailio starts");
        let mut k = Kamailio { child, dir };
        // Ready when its TCP socket accepts (UDP and TCP are bound before the workers start).
        let t0 = Instant::now();
        loop {
            if let Ok(Some(st)) = k.child.try_wait() {
                panic!("kamailio exited ({st}):\n{}", k.log());
            }
            if std::net::TcpStream::connect("127.0.0.1:5060").is_ok() {
                break;
            }
            assert!(
                t0.elapsed() < Duration::from_secs(15),
                "kamailio not ready:\n{}",
                k.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        // give the UDP worker a moment after the TCP main socket
        std::thread::sleep(Duration::from_millis(100));
        k
    }
    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("kamailio.log")).unwrap_or_default()
    }
}

impl Drop for Kamailio {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let t0 = Instant::now();
        while t0.elapsed() < Duration::from_secs(3) {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn opts(user: &str, transport: Transport) -> ProbeOptions {
    let mut o = ProbeOptions::new("127.0.0.1:5060", transport, user);
    o.domain = Some("sipdoctor.lab".into());
    o
}

fn run_register(o: &ProbeOptions, password: &str) -> ProbeReport {
    let mut seen = Vec::new();
    let r = register(o, &Secret::password(password), &mut |s| {
        seen.push(s.clone())
    });
    assert_eq!(seen, r.ladder, "the callback saw every step, in order");
    let json = serde_json::to_string(&r).unwrap();
    assert!(
        !json.contains(password),
        "the secret leaked into the report"
    );
    eprintln!("{}", ladder_text(&r));
    r
}

fn ladder_text(r: &ProbeReport) -> String {
    let mut s = String::new();
    for st in &r.ladder {
        let arrow = match st.direction {
            Direction::Sent => "->",
            Direction::Received => "<-",
        };
        s.push_str(&format!(
            "{:>6} ms {arrow} {}  [{}]\n",
            st.t_ms, st.summary, st.detail
        ));
    }
    s.push_str(&format!("verdict {}: {}\n", r.verdict.as_str(), r.message));
    s
}

fn sent(r: &ProbeReport) -> Vec<&LadderStep> {
    r.ladder
        .iter()
        .filter(|s| s.direction == Direction::Sent)
        .collect()
}
fn received(r: &ProbeReport) -> Vec<&LadderStep> {
    r.ladder
        .iter()
        .filter(|s| s.direction == Direction::Received)
        .collect()
}

/// Register, challenge, register, 200, unregister (Expires 0, same nonce, nc 2), 200 with no
/// binding left.
fn assert_registered_and_unregistered(r: &ProbeReport, alg: &str) {
    assert_eq!(r.verdict, Verdict::Registered, "{}", r.message);
    assert_eq!(r.algorithm.as_deref(), Some(alg));
    assert_eq!(r.unregistered, Some(true), "{}", r.message);
    let tx = sent(r);
    let rx = received(r);
    assert_eq!(tx.len(), 3, "REGISTER, REGISTER+auth, unREGISTER");
    assert!(tx[0].detail.contains("no credentials"));
    assert!(
        tx[1].detail.contains(&format!("algorithm={alg}")),
        "{}",
        tx[1].detail
    );
    assert!(tx[1].detail.contains("nc=00000001"));
    assert!(tx[2].detail.contains("Expires: 0"), "{}", tx[2].detail);
    assert!(
        tx[2].detail.contains("nc=00000002"),
        "same nonce reused: {}",
        tx[2].detail
    );
    let codes: Vec<&str> = rx.iter().map(|s| &s.summary[..3]).collect();
    assert_eq!(codes, ["401", "200", "200"]);
    assert!(
        rx[1].detail.contains("our binding is listed"),
        "{}",
        rx[1].detail
    );
    assert!(
        rx[2].detail.contains("0 binding(s)"),
        "no binding left: {}",
        rx[2].detail
    );
}

#[test]
fn kamailio_right_password_udp() {
    in_netns("kamailio_right_password_udp", true, || {
        let _k = Kamailio::start(&[]);
        let r = run_register(&opts("1001", Transport::Udp), "s3cret-1001");
        assert_registered_and_unregistered(&r, "MD5");
        assert_eq!(r.server_addr.as_deref(), Some("127.0.0.1:5060"));
        assert_eq!(r.packets_sent, 3);
    });
}

#[test]
fn kamailio_right_password_tcp_with_space() {
    in_netns("kamailio_right_password_tcp_with_space", true, || {
        let _k = Kamailio::start(&[]);
        let r = run_register(&opts("1003", Transport::Tcp), "Right Pass 3");
        assert_registered_and_unregistered(&r, "MD5");
        assert_eq!(r.transport, Transport::Tcp);
    });
}

#[test]
fn kamailio_wrong_password() {
    in_netns("kamailio_wrong_password", true, || {
        let k = Kamailio::start(&[]);
        let r = run_register(&opts("1001", Transport::Udp), "s3cret-1002");
        assert_eq!(r.verdict, Verdict::WrongCredentials, "{}", r.message);
        assert_eq!(r.status, Some(401));
        assert_eq!(r.packets_sent, 2, "no retry after the refusal");
        assert!(r.unregistered.is_none());
        assert!(r.message.contains("\"1001\""), "{}", r.message);
        // Kamailio itself counted the failed authentication
        assert!(k.log().contains("auth failure"), "{}", k.log());
    });
}

#[test]
fn kamailio_sha256() {
    in_netns("kamailio_sha256", true, || {
        let _k = Kamailio::start(&["WITH_SHA256"]);
        let r = run_register(&opts("1004", Transport::Udp), "s3cret-1004");
        assert_registered_and_unregistered(&r, "SHA-256");
        assert!(received(&r)[0].detail.contains("algorithm=SHA-256"));
        // and the wrong password is refused with SHA-256 as well
        let r = run_register(&opts("1004", Transport::Udp), "s3cret-1001");
        assert_eq!(r.verdict, Verdict::WrongCredentials, "{}", r.message);
        assert_eq!(r.algorithm.as_deref(), Some("SHA-256"));
    });
}

#[test]
fn kamailio_source_acl_forbidden() {
    in_netns("kamailio_source_acl_forbidden", true, || {
        let _k = Kamailio::start(&[]);
        let mut o = opts("1001", Transport::Udp);
        o.bind = Some("127.0.0.2".parse().unwrap());
        let r = run_register(&o, "s3cret-1001");
        assert_eq!(r.verdict, Verdict::Forbidden, "{}", r.message);
        assert_eq!(r.status, Some(403));
        assert_eq!(r.packets_sent, 1);
        assert!(r.message.contains("before any challenge"), "{}", r.message);
        // the same request from 127.0.0.1 registers: the ACL, not the password, decided
        let r = run_register(&opts("1001", Transport::Udp), "s3cret-1001");
        assert_eq!(r.verdict, Verdict::Registered, "{}", r.message);
    });
}

#[test]
fn kamailio_auth_user_mismatch_forbidden() {
    in_netns("kamailio_auth_user_mismatch_forbidden", true, || {
        let _k = Kamailio::start(&[]);
        let mut o = opts("1001", Transport::Udp);
        o.auth_user = Some("1002".into());
        let r = run_register(&o, "s3cret-1002");
        assert_eq!(r.verdict, Verdict::Forbidden, "{}", r.message);
        assert!(r.message.contains("after our credentials"), "{}", r.message);
        assert!(sent(&r)[1].detail.contains("username=\"1002\""));
    });
}

#[test]
fn kamailio_options_ping() {
    in_netns("kamailio_options_ping", true, || {
        let _k = Kamailio::start(&[]);
        for t in [Transport::Udp, Transport::Tcp] {
            let o = ProbeOptions::new("127.0.0.1", t, "");
            let r = options_ping(&o, &mut |_| {});
            eprintln!("{}", ladder_text(&r));
            assert_eq!(r.verdict, Verdict::Answered, "{}", r.message);
            assert_eq!(r.status, Some(200));
            assert!(r.message.contains("kamailio"), "{}", r.message);
        }
    });
}

#[test]
fn no_listener_is_unreachable() {
    in_netns("no_listener_is_unreachable", false, || {
        let t0 = Instant::now();
        let r = run_register(&opts("1001", Transport::Udp), PW);
        assert_eq!(r.verdict, Verdict::Unreachable, "{}", r.message);
        assert!(r.message.contains("ICMP"), "{}", r.message);
        assert!(t0.elapsed() < Duration::from_secs(2), "ICMP is immediate");
        let r = run_register(&opts("1001", Transport::Tcp), PW);
        assert_eq!(r.verdict, Verdict::Unreachable, "{}", r.message);
        assert!(r.message.contains("refused"), "{}", r.message);
        assert_eq!(r.packets_sent, 0);
        assert_eq!(r.ladder.len(), 1);
        assert_eq!(r.ladder[0].summary, "TCP connect 127.0.0.1:5060");
        let r = options_ping(
            &ProbeOptions::new("127.0.0.1", Transport::Udp, ""),
            &mut |_| {},
        );
        assert_eq!(r.verdict, Verdict::Unreachable, "{}", r.message);
    });
}

#[test]
fn silent_port_is_no_answer_within_bound() {
    in_netns("silent_port_is_no_answer_within_bound", false, || {
        let sink = UdpSocket::bind("127.0.0.1:5060").unwrap();
        sink.set_read_timeout(Some(Duration::from_millis(100)))
            .unwrap();
        let mut o = opts("1001", Transport::Udp);
        o.timeout = Duration::from_secs(3);
        let t0 = Instant::now();
        let r = run_register(&o, PW);
        let took = t0.elapsed();
        assert_eq!(r.verdict, Verdict::NoAnswer, "{}", r.message);
        // timer E: sent at 0, 0.5, 1.5 s; the next (3.5 s) is past the 3 s bound
        assert_eq!(r.packets_sent, 3, "{}", ladder_text(&r));
        let t: Vec<u64> = sent(&r).iter().map(|s| s.t_ms).collect();
        assert!(
            t[1] >= 490 && t[1] < 900 && t[2] >= 1490 && t[2] < 2100,
            "{t:?}"
        );
        assert!(
            took >= Duration::from_millis(2990) && took < Duration::from_millis(4000),
            "{took:?}"
        );
        let mut n = 0;
        let mut buf = [0u8; 4096];
        while sink.recv(&mut buf).is_ok() {
            n += 1;
        }
        assert_eq!(n, 3, "the silent socket received what the ladder says");
        // the default bound is 8 s: 0, .5, 1.5, 3.5, 7.5 -> 5 packets
        let t0 = Instant::now();
        let r = run_register(&opts("1001", Transport::Udp), PW);
        assert_eq!(r.verdict, Verdict::NoAnswer);
        assert_eq!(r.packets_sent, 5, "{}", ladder_text(&r));
        assert!(t0.elapsed() < Duration::from_millis(9000));
    });
}

// ---- scripted servers, for what the lab Kamailio cannot produce on request ----

/// The headers of a request as (lower-case name, value).
fn req_headers(raw: &[u8]) -> (String, Vec<Header>) {
    let (start, headers, _, _) = parse_datagram(raw).expect("request parses");
    let StartLine::Request { method, .. } = start else {
        panic!("not a request")
    };
    (method.to_string(), headers)
}

fn hval<'a>(h: &'a [Header], n: &str) -> Option<&'a str> {
    h.iter()
        .find(|x| header_is(&x.name, n))
        .map(|x| x.value.as_str())
}

/// A response to `raw` (RFC 3261 8.2.6.2: Via, From, To, Call-ID, CSeq copied; To tag added).
fn reply(raw: &[u8], status: &str, extra: &[String]) -> Vec<u8> {
    let (_, h) = req_headers(raw);
    let mut s = format!("SIP/2.0 {status}\r\n");
    for n in ["via", "from"] {
        s.push_str(&format!("{n}: {}\r\n", hval(&h, n).unwrap()));
    }
    s.push_str(&format!("To: {};tag=srv\r\n", hval(&h, "to").unwrap()));
    for n in ["call-id", "cseq"] {
        s.push_str(&format!("{n}: {}\r\n", hval(&h, n).unwrap()));
    }
    for e in extra {
        s.push_str(e);
        s.push_str("\r\n");
    }
    s.push_str("Content-Length: 0\r\n\r\n");
    s.into_bytes()
}

/// Checks the request's Authorization with the digest engine, for `password`.
fn auth_ok(raw: &[u8], password: &str) -> Option<(String, String)> {
    let (method, h) = req_headers(raw);
    let c = parse_credentials(hval(&h, "authorization")?).ok()?;
    let alg = Algorithm::parse(c.algorithm()).ok()?;
    let user = c.username()?;
    let p = DigestParams {
        algorithm: alg,
        username: &user,
        realm: c.realm()?,
        method: &method,
        uri: c.uri()?,
        nonce: c.nonce()?,
        qop: Qop::parse(c.qop()).ok()?,
        nc: c.nc().unwrap_or(""),
        cnonce: c.cnonce().unwrap_or(""),
        body: b"",
        userhash: false,
    };
    let expect = digest::response(&p, &Secret::password(password));
    let nonce = c.nonce()?.to_string();
    digest::same_hex(&expect, c.response()?).then(|| (alg.to_string(), nonce))
}

/// A UDP server on 127.0.0.1:`port` answering each request through `script`; returns the
/// requests it saw when stopped.
struct Scripted {
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<Vec<Vec<u8>>>>,
}

impl Scripted {
    fn start(port: u16, mut script: impl FnMut(&[u8]) -> Vec<Vec<u8>> + Send + 'static) -> Self {
        let sock = UdpSocket::bind(("127.0.0.1", port)).unwrap();
        sock.set_read_timeout(Some(Duration::from_millis(50)))
            .unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let stop2 = stop.clone();
        let handle = std::thread::spawn(move || {
            let mut seen = Vec::new();
            let mut buf = vec![0u8; 65535];
            while !stop2.load(Ordering::Relaxed) {
                if let Ok((n, from)) = sock.recv_from(&mut buf) {
                    let m = buf[..n].to_vec();
                    for out in script(&m) {
                        sock.send_to(&out, from).unwrap();
                    }
                    seen.push(m);
                }
            }
            seen
        });
        Scripted {
            stop,
            handle: Some(handle),
        }
    }
    fn finish(mut self) -> Vec<Vec<u8>> {
        self.stop.store(true, Ordering::Relaxed);
        self.handle.take().unwrap().join().unwrap()
    }
}

fn challenge(nonce: &str, alg: &str, stale: bool) -> String {
    format!(
        "WWW-Authenticate: Digest realm=\"lab\", nonce=\"{nonce}\", algorithm={alg}, qop=\"auth\"{}",
        if stale { ", stale=true" } else { "" }
    )
}

#[test]
fn scripted_stale_nonce_is_answered_again() {
    in_netns("scripted_stale_nonce_is_answered_again", false, || {
        let srv = Scripted::start(5060, move |m| {
            let v = match auth_ok(m, PW) {
                None => reply(m, "401 Unauthorized", &[challenge("n1", "MD5", false)]),
                // the first answered nonce is declared stale, once
                Some((_, nonce)) if nonce == "n1" => {
                    reply(m, "401 Unauthorized", &[challenge("n2", "MD5", true)])
                }
                Some(_) => reply(m, "200 OK", &[]),
            };
            vec![v]
        });
        let r = run_register(&opts("1001", Transport::Udp), PW);
        let seen = srv.finish();
        assert_eq!(r.verdict, Verdict::Registered, "{}", r.message);
        assert_eq!(r.unregistered, Some(true));
        assert_eq!(
            seen.len(),
            4,
            "REGISTER, auth n1, auth n2 (stale), unREGISTER"
        );
        assert!(received(&r)[1].detail.contains("stale=true"));
        assert!(auth_ok(&seen[3], PW).is_some());
    });
}

#[test]
fn scripted_always_stale_is_bounded() {
    in_netns("scripted_always_stale_is_bounded", false, || {
        let mut n = 0;
        let srv = Scripted::start(5060, move |m| {
            n += 1;
            let stale = auth_ok(m, PW).is_some();
            vec![reply(
                m,
                "401 Unauthorized",
                &[challenge(&format!("n{n}"), "MD5", stale)],
            )]
        });
        let r = run_register(&opts("1001", Transport::Udp), PW);
        let seen = srv.finish();
        assert_eq!(r.verdict, Verdict::Error, "{}", r.message);
        assert!(r.message.contains("stale"), "{}", r.message);
        assert_eq!(
            seen.len(),
            4,
            "first, answer, two stale re-answers, then stop"
        );
    });
}

#[test]
fn scripted_topmost_supported_challenge_sha512_256() {
    in_netns(
        "scripted_topmost_supported_challenge_sha512_256",
        false,
        || {
            let srv = Scripted::start(5060, move |m| {
                let v = match auth_ok(m, PW) {
                Some((alg, _)) if alg == "SHA-512-256" => reply(m, "200 OK", &[]),
                Some(_) => reply(m, "403 Wrong algorithm", &[]),
                None => reply(
                    m,
                    "401 Unauthorized",
                    &[
                        "WWW-Authenticate: Digest realm=\"lab\", nonce=\"a\", algorithm=AKAv1-MD5".into(),
                        challenge("b", "SHA-512-256", false),
                        challenge("c", "SHA-256", false),
                        challenge("d", "MD5", false),
                    ],
                ),
            };
                vec![v]
            });
            let r = run_register(&opts("1001", Transport::Udp), PW);
            srv.finish();
            assert_eq!(r.verdict, Verdict::Registered, "{}", r.message);
            assert_eq!(r.algorithm.as_deref(), Some("SHA-512-256"));
        },
    );
}

#[test]
fn scripted_one_redirect_followed_not_two() {
    in_netns("scripted_one_redirect_followed_not_two", false, || {
        let a = Scripted::start(5060, |m| {
            vec![reply(
                m,
                "302 Moved Temporarily",
                &["Contact: <sip:127.0.0.1:5070>".into()],
            )]
        });
        let b = Scripted::start(5070, |m| {
            vec![match auth_ok(m, PW) {
                Some(_) => reply(m, "200 OK", &[]),
                None => reply(m, "401 Unauthorized", &[challenge("x", "MD5", false)]),
            }]
        });
        let r = run_register(&opts("1001", Transport::Udp), PW);
        assert_eq!(r.verdict, Verdict::Registered, "{}", r.message);
        assert_eq!(r.server_addr.as_deref(), Some("127.0.0.1:5070"));
        assert_eq!(a.finish().len(), 1);
        assert_eq!(b.finish().len(), 3);

        // both redirect: the second is not followed
        let a = Scripted::start(5060, |m| {
            vec![reply(
                m,
                "302 Moved",
                &["Contact: <sip:127.0.0.1:5070>".into()],
            )]
        });
        let b = Scripted::start(5070, |m| {
            vec![reply(
                m,
                "302 Moved",
                &["Contact: <sip:127.0.0.1:5060>".into()],
            )]
        });
        let r = run_register(&opts("1001", Transport::Udp), PW);
        assert_eq!(r.verdict, Verdict::Error, "{}", r.message);
        assert!(r.message.contains("one redirect"), "{}", r.message);
        assert_eq!(a.finish().len() + b.finish().len(), 2);
    });
}

#[test]
fn scripted_provisional_then_silence_and_packet_cap() {
    in_netns(
        "scripted_provisional_then_silence_and_packet_cap",
        false,
        || {
            // Only 100 Trying: retransmissions every T2 after it (RFC 3261 17.1.2.2).
            let srv = Scripted::start(5060, |m| vec![reply(m, "100 Trying", &[])]);
            let mut o = opts("1001", Transport::Udp);
            o.timeout = Duration::from_millis(5500);
            let r = run_register(&o, PW);
            assert_eq!(r.verdict, Verdict::NoAnswer, "{}", r.message);
            assert!(r.message.contains("provisionally"), "{}", r.message);
            // timer E still fires at T1 (0.5 s), then every T2: sent at 0, 0.5, 4.5 s (next 8.5)
            assert_eq!(srv.finish().len(), 3, "{}", ladder_text(&r));
            // hard cap on packets
            let sink = Scripted::start(5060, |_| vec![]);
            let mut o = opts("1001", Transport::Udp);
            o.max_packets = 2;
            let r = run_register(&o, PW);
            assert_eq!(r.verdict, Verdict::Error, "{}", r.message);
            assert_eq!(r.packets_sent, 2);
            assert_eq!(sink.finish().len(), 2);
        },
    );
}

#[test]
fn report_json_shape() {
    in_netns("report_json_shape", false, || {
        let srv = Scripted::start(5060, |m| vec![reply(m, "403 Forbidden", &[])]);
        let r = run_register(&opts("1001", Transport::Udp), PW);
        srv.finish();
        let v = serde_json::to_value(&r).unwrap();
        assert_eq!(v["verdict"], "forbidden");
        assert_eq!(v["ladder"][0]["direction"], "sent");
        assert_eq!(v["ladder"][1]["direction"], "received");
        assert_eq!(v["ladder"][1]["summary"], "403 Forbidden");
        assert!(v["ladder"][0]["t_ms"].is_u64());
        let mut out = std::io::sink();
        let _ = writeln!(out, "{v}");
    });
}
