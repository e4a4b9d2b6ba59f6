//! `sipdoctor-cli probe` against the real lab Kamailio (tests/lab/kamailio.cfg), in a private
//! network + PID namespace (`unshare --net --pid --fork --kill-child`: loopback only, and
//! Kamailio dies with the namespace). Prints `SKIP: <reason>` where Kamailio or namespaces are
//! missing (`.ci/run` installs them).

use std::path::Path;
use std::process::Command;

use crate::fixtures;

fn have(cmd: &str) -> bool {
    [
        "/usr/sbin",
        "/usr/bin",
        "/sbin",
        "/bin",
        "/usr/local/bin",
        "/usr/local/sbin",
    ]
    .iter()
    .any(|d| Path::new(d).join(cmd).is_file())
}

fn unshare_works() -> Result<Vec<&'static str>, String> {
    if !have("unshare") || !have("ip") {
        return Err("unshare or ip is not installed".into());
    }
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
        if Command::new("unshare")
            .args(&args)
            .args(["--", "ip", "link", "set", "lo", "up"])
            .status()
            .is_ok_and(|s| s.success())
        {
            return Ok(args);
        }
    }
    Err("network namespaces are not available here".into())
}

/// One CLI run inside the namespace: (exit code, stdout).
struct Ran {
    code: i32,
    out: String,
}

#[test]
fn cli_probe_against_kamailio() {
    if !have("kamailio") {
        eprintln!("SKIP: cli_probe_against_kamailio: kamailio is not installed");
        return;
    }
    let ns = match unshare_works() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("SKIP: cli_probe_against_kamailio: {e}");
            return;
        }
    };
    let cli = env!("CARGO_BIN_EXE_sipdoctor-cli");
    let lab = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lab");
    let dir = std::env::temp_dir().join(format!("sipdoctor-cli-probe-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let capture = fixtures().join("02-register-wrong-password.pcap");
    // Each case: name, stdin, arguments.
    let cases: &[(&str, &str, String)] = &[
        (
            "ok_json",
            "s3cret-1001",
            format!(
                "register --server 127.0.0.1 --user 1001 --domain sipdoctor.lab --password-stdin --json --capture '{}'",
                capture.display()
            ),
        ),
        (
            "wrong_json",
            "s3cret-9999",
            "register --server 127.0.0.1 --user 1001 --password-stdin --json".into(),
        ),
        (
            "ok_text_tcp",
            "Right Pass 3",
            "register --server 127.0.0.1:5060 --transport tcp --user 1003 --password-stdin".into(),
        ),
        (
            "acl",
            "s3cret-1001",
            "register --server 127.0.0.1 --user 1001 --bind 127.0.0.2 --password-stdin --json"
                .into(),
        ),
        ("options", "", "options --server 127.0.0.1 --json".into()),
        // The text in Chinese and Vietnamese (the JSON above stays English).
        (
            "ok_text_zh",
            "s3cret-1001",
            format!(
                "register --server 127.0.0.1 --user 1001 --domain sipdoctor.lab --password-stdin --lang zh --capture '{}'",
                capture.display()
            ),
        ),
        (
            "wrong_text_vi",
            "s3cret-9999",
            "register --server 127.0.0.1 --user 1001 --password-stdin --lang vi".into(),
        ),
        (
            "tcp_refused",
            "s3cret-1001",
            "register --server 127.0.0.1:5999 --transport tcp --user 1001 --password-stdin --json"
                .into(),
        ),
    ];
    let mut script = format!(
        "set -u\nD='{d}'\ncd '{lab}'\nkamailio -f kamailio.cfg -DD -E -m 16 -M 4 -Y \"$D\" -A BF_MAX=0 >/dev/null 2>\"$D/kamailio.log\" &\n\
         i=0; until '{cli}' probe options --server 127.0.0.1 --transport tcp --timeout 0.3 >/dev/null 2>&1; do \
         i=$((i+1)); [ $i -gt 50 ] && echo 'kamailio not ready' >&2 && exit 3; sleep 0.1; done\n",
        d = dir.display(),
        lab = lab.display(),
    );
    for (name, stdin, args) in cases {
        script.push_str(&format!(
            "printf '%s\\n' '{stdin}' | '{cli}' probe {args} >\"$D/{name}.out\" 2>\"$D/{name}.err\"; echo $? >\"$D/{name}.rc\"\n"
        ));
    }
    let st = Command::new("unshare")
        .args(&ns)
        .args(["--", "sh", "-c"])
        .arg(format!("ip link set lo up || exit 4\n{script}"))
        .status()
        .expect("unshare runs");
    let log = std::fs::read_to_string(dir.join("kamailio.log")).unwrap_or_default();
    assert!(
        st.success(),
        "namespace script failed ({st}); kamailio log:\n{log}"
    );
    let get = |name: &str| -> Ran {
        let rd = |ext: &str| {
            std::fs::read_to_string(dir.join(format!("{name}.{ext}"))).unwrap_or_default()
        };
        let ran = Ran {
            code: rd("rc").trim().parse().unwrap_or(-1),
            out: rd("out"),
        };
        eprintln!("== {name}: exit {}\n{}{}", ran.code, ran.out, rd("err"));
        ran
    };

    let r = get("ok_json");
    assert_eq!(r.code, 0);
    let v: serde_json::Value = serde_json::from_str(r.out.trim()).expect("one JSON object");
    assert_eq!(v["verdict"], "registered");
    assert_eq!(v["unregistered"], true);
    assert_eq!(v["algorithm"], "MD5");
    assert!(v["ladder"].as_array().unwrap().len() >= 6);
    // the phone in fixture 02 was refused, the app is accepted: the sentence that matters
    assert!(
        v["comparison"]
            .as_str()
            .unwrap_or("")
            .starts_with("The app registers with these credentials, the phone does not: the phone's settings differ"),
        "{v}"
    );
    assert!(!r.out.contains("s3cret-1001"));

    let r = get("wrong_json");
    assert_eq!(r.code, 1);
    let v: serde_json::Value = serde_json::from_str(r.out.trim()).unwrap();
    assert_eq!(v["verdict"], "wrong-credentials");
    assert!(!r.out.contains("s3cret-9999"));

    let r = get("ok_text_tcp");
    assert_eq!(r.code, 0);
    assert!(r.out.contains("--> REGISTER sip:127.0.0.1"), "{}", r.out);
    assert!(r.out.contains("<-- 401 Unauthorized"));
    assert!(r.out.contains("Expires: 0"));
    assert!(r.out.contains("verdict: registered"));
    assert!(!r.out.contains("Right Pass 3"));

    let r = get("ok_text_zh");
    assert_eq!(r.code, 0);
    for want in [
        "测试 REGISTER 1001（认证用户 1001）-> 127.0.0.1，经 UDP",
        "--> REGISTER sip:sipdoctor.lab",
        "CSeq 1 REGISTER，Expires: 60，未带凭据",
        "质询：",
        "结论：已注册",
        "服务器接受这些凭据",
        "话机（抓包中）：1001 的 REGISTER",
        "本程序用这些凭据能注册，话机却不能",
    ] {
        assert!(r.out.contains(want), "{want}: {}", r.out);
    }
    for en in [
        "verdict:",
        "test REGISTER",
        "no credentials",
        "phone (capture)",
        "The app registers",
    ] {
        assert!(!r.out.contains(en), "English \"{en}\" left: {}", r.out);
    }
    let r = get("wrong_text_vi");
    assert_eq!(r.code, 1);
    assert!(
        r.out.contains("kết luận: sai thông tin xác thực"),
        "{}",
        r.out
    );
    assert!(
        r.out.contains("Máy chủ từ chối thông tin xác thực"),
        "{}",
        r.out
    );
    assert!(
        !r.out.contains("verdict:") && !r.out.contains("The server refused"),
        "{}",
        r.out
    );
    assert!(!r.out.contains("s3cret-9999"));

    let r = get("acl");
    assert_eq!(r.code, 1);
    let v: serde_json::Value = serde_json::from_str(r.out.trim()).unwrap();
    assert_eq!(v["verdict"], "forbidden");

    let r = get("options");
    assert_eq!(r.code, 0);
    let v: serde_json::Value = serde_json::from_str(r.out.trim()).unwrap();
    assert_eq!(v["verdict"], "answered");

    let r = get("tcp_refused");
    assert_eq!(r.code, 1);
    let v: serde_json::Value = serde_json::from_str(r.out.trim()).unwrap();
    assert_eq!(v["verdict"], "unreachable");

    let _ = std::fs::remove_dir_all(&dir);
}
