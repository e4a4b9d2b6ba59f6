//! Accounts on the whole-office lab capture (fixture 13: one real Kamailio, 24 sipp phones,
//! each from its own 127.0.10.N): every phone of `phones` in lab.json is found as its own
//! account, with its client IP, user and auth user, and a focus selects exactly its requests.

use std::net::IpAddr;

use sipdoctor::accounts::{self, Account, Focus};

use crate::{analyze, fixtures, lab_rows};

const OFFICE: &str = "13-office-register-mixed.pcap";

fn office_phones() -> Vec<serde_json::Value> {
    let row = lab_rows()
        .into_iter()
        .find(|r| r["file"] == OFFICE)
        .expect("lab.json row of the office capture");
    row["phones"].as_array().expect("phones").clone()
}

fn s<'a>(v: &'a serde_json::Value, k: &str) -> &'a str {
    v[k].as_str().unwrap_or_else(|| panic!("{k} in {v}"))
}

#[test]
fn every_office_phone_is_its_own_account() {
    let a = analyze(&fixtures().join(OFFICE)).expect("office capture");
    let accs = accounts::build(&a.messages, &a.exchanges);
    let phones = office_phones();
    assert!(phones.len() >= 20, "an office: 20+ phones");
    assert_eq!(accs.len(), phones.len(), "one account per phone");
    let covered: usize = accs.iter().map(|x| x.exchanges.len()).sum();
    assert_eq!(covered, a.exchanges.len(), "every exchange in one account");

    for ph in &phones {
        let user = s(ph, "user");
        let ip: IpAddr = s(ph, "client_ip").parse().unwrap();
        let found: Vec<&Account> = accs
            .iter()
            .filter(|x| x.user == user && x.client.ip() == ip)
            .collect();
        assert_eq!(found.len(), 1, "{user}@{ip}: {found:?}");
        let acc = found[0];
        assert_eq!(acc.auth_user.as_deref(), Some(s(ph, "auth_user")), "{user}");
        assert_eq!(acc.realm.as_deref(), Some("sipdoctor.lab"), "{user}");
        assert_eq!(acc.user_agent.as_deref(), Some("sipp-lab"), "{user}");
        assert_eq!(acc.server.to_string(), "127.0.0.1:5060", "{user}");
        let ports: Vec<u16> = ph["client_ports"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_u64().unwrap() as u16)
            .collect();
        assert_eq!(acc.client_ports, ports, "{user}: ports in order");
        assert_eq!(
            acc.client.port(),
            *ports.last().unwrap(),
            "{user}: latest port"
        );
        assert_eq!(
            acc.exchanges.len(),
            ports.len(),
            "{user}: one REGISTER per port"
        );

        let root = s(ph, "root_cause");
        assert_eq!(
            accounts::is_healthy(acc.outcome),
            root == "auth-ok",
            "{user}: outcome {:?} vs expected {root}",
            acc.outcome
        );
        // The diagnosed root cause of the same account names the lab's root cause.
        let diagnosed = a
            .accounts
            .iter()
            .find(|x| x.user == user && x.client.ip() == ip)
            .unwrap_or_else(|| panic!("{user}@{ip} in the analysis' accounts"));
        assert_eq!(diagnosed.exchanges, acc.exchanges, "{user}@{ip}");
        let cause = diagnosed.root_cause.map_or("auth-ok", |c| c.as_str());
        assert_eq!(cause, root, "{user}@{ip}");

        // Focus on this phone's address: exactly the requests tshark sees from it.
        let focus = Focus {
            account: None,
            client: Some(ip.to_string().parse().unwrap()),
        };
        let sel = accounts::select(&focus, &accs, &a.exchanges, &a.messages, &a.icmp);
        assert_eq!(sel.accounts, vec![acc.id], "{user}");
        let requests = sel
            .messages
            .iter()
            .filter(|&&m| a.messages[m].is_request())
            .count() as u64;
        assert_eq!(
            requests,
            ph["sip_requests_tshark"].as_u64().unwrap(),
            "{user}: requests vs tshark ip.src == {ip}"
        );
        assert!(
            sel.messages
                .iter()
                .all(|&m| a.messages[m].src.ip() == ip || a.messages[m].dst.ip() == ip),
            "{user}: only its own messages"
        );
    }
}

#[test]
fn account_focus_matches_user_or_auth_user() {
    let a = analyze(&fixtures().join(OFFICE)).unwrap();
    let accs = accounts::build(&a.messages, &a.exchanges);
    let users = |want: &str| -> Vec<String> {
        let focus = Focus {
            account: Some(want.into()),
            client: None,
        };
        let sel = accounts::select(&focus, &accs, &a.exchanges, &a.messages, &a.icmp);
        sel.accounts
            .iter()
            .map(|&i| format!("{}@{}", accs[i].user, accs[i].client.ip()))
            .collect()
    };
    // 2022's own phone, and 2021's phone that sends 2022's credentials.
    assert_eq!(users("2022"), vec!["2021@127.0.10.21", "2022@127.0.10.22"]);
    // an auth username alone: 2999 exists only in 2020's Authorization
    assert_eq!(users("2999"), vec!["2020@127.0.10.20"]);
    assert_eq!(users("2017"), vec!["2017@127.0.10.17"]);
    assert!(users("1001").is_empty());
    // --client IP:PORT: only the second registration of 2024
    let focus = Focus {
        account: Some("2024".into()),
        client: Some("127.0.10.24:5070".parse().unwrap()),
    };
    let sel = accounts::select(&focus, &accs, &a.exchanges, &a.messages, &a.icmp);
    assert_eq!(sel.exchanges.len(), 1);
    assert!(
        sel.messages
            .iter()
            .all(|&m| a.messages[m].src.port() == 5070 || a.messages[m].dst.port() == 5070)
    );
}

fn cli_accounts(args: &[&str]) -> (i32, String, String) {
    cli("accounts", args, None)
}

#[test]
fn cli_accounts_rows_and_problems() {
    let path = fixtures().join(OFFICE).display().to_string();
    let phones = office_phones();
    let (code, out, err) = cli_accounts(&["--json", &path]);
    assert_eq!(code, 1, "problems found: exit 1 ({err})");
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let rows = v["accounts"].as_array().unwrap();
    assert_eq!(rows.len(), phones.len());
    assert_eq!(v["total"], phones.len());
    let failing: Vec<&serde_json::Value> = phones
        .iter()
        .filter(|p| p["root_cause"] != "auth-ok")
        .collect();
    assert_eq!(v["with_problems"], failing.len());
    for ph in &phones {
        let row = rows
            .iter()
            .find(|r| {
                r["user"] == ph["user"]
                    && r["client"]
                        .as_str()
                        .unwrap()
                        .starts_with(s(ph, "client_ip"))
            })
            .unwrap_or_else(|| panic!("row of {}", ph["user"]));
        for key in [
            "id",
            "realm",
            "server",
            "user_agent",
            "exchanges",
            "outcome",
            "attempts",
            "first_seen",
            "last_seen",
        ] {
            assert!(row.get(key).is_some(), "{key} in {row}");
        }
        assert_eq!(row["auth_user"], ph["auth_user"]);
        let want = if ph["root_cause"] == "auth-ok" {
            serde_json::Value::Null
        } else {
            ph["root_cause"].clone()
        };
        assert_eq!(row["root_cause"], want, "{}", ph["user"]);
    }
    // problems first
    let first_ok = rows.iter().position(|r| r["root_cause"].is_null()).unwrap();
    assert_eq!(first_ok, failing.len());

    // --problems: only the failing phones; the table says the census.
    let (code, out, _) = cli_accounts(&["--problems", &path]);
    assert_eq!(code, 1);
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with(&format!(
            "{} accounts, {} with a problem: ",
            phones.len(),
            failing.len()
        )),
        "{}",
        lines[0]
    );
    assert_eq!(
        lines.len(),
        3 + failing.len(),
        "census, blank, header, rows:\n{out}"
    );
    for ph in &failing {
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with(&format!("{} ", s(ph, "user")))
                    && l.contains(s(ph, "root_cause"))),
            "{}: {out}",
            ph["user"]
        );
    }

    // a healthy account alone: exit 0
    let (code, out, _) = cli_accounts(&["--account", "2001", "--json", &path]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["accounts"].as_array().unwrap().len(), 1);
    assert_eq!(v["accounts"][0]["outcome"], "accepted");

    // bad input: exit 2
    let (code, _, err) = cli_accounts(&["--client", "phone-7", &path]);
    assert_eq!(code, 2);
    assert!(err.contains("IP:PORT"), "{err}");
    let (code, _, err) = cli_accounts(&[&fixtures().join("93-empty.pcap").display().to_string()]);
    assert_eq!(code, 2);
    assert!(err.lines().count() == 1, "{err}");
}

fn cli_analyze(args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    cli("analyze", args, stdin)
}

/// Run `sipdoctor-cli SUB ARGS` with `stdin`: exit code, stdout, stderr.
fn cli(sub: &str, args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sipdoctor-cli"))
        .arg(sub)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run sipdoctor-cli");
    let mut input = child.stdin.take().unwrap();
    if let Some(s) = stdin {
        input.write_all(s.as_bytes()).unwrap();
    }
    drop(input);
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The README's JSON contract on the office capture: every account's `root_cause` is the one
/// lab.json expects for that phone, its findings are valid indexes that name it, and the
/// verdict is a census.
#[test]
fn analyze_json_accounts_have_the_lab_root_causes() {
    let path = fixtures().join(OFFICE).display().to_string();
    let (code, out, err) = cli_analyze(&["--json", &path], None);
    assert_eq!(code, 1, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let accs = v["accounts"].as_array().expect("accounts[]");
    let findings = v["findings"].as_array().unwrap();
    let phones = office_phones();
    assert_eq!(accs.len(), phones.len());
    for ph in &phones {
        let ip = s(ph, "client_ip");
        let acc = accs
            .iter()
            .find(|x| x["user"] == ph["user"] && s(x, "client").starts_with(&format!("{ip}:")))
            .unwrap_or_else(|| panic!("account of {}", ph["user"]));
        for key in [
            "id",
            "user",
            "auth_user",
            "realm",
            "client",
            "server",
            "user_agent",
            "exchanges",
            "outcome",
            "root_cause",
            "findings",
        ] {
            assert!(acc.get(key).is_some(), "{key} in {acc}");
        }
        let root = s(ph, "root_cause");
        let want = if root == "auth-ok" {
            serde_json::Value::Null
        } else {
            root.into()
        };
        assert_eq!(acc["root_cause"], want, "{}@{ip}", ph["user"]);
        for i in acc["findings"].as_array().unwrap() {
            let f = &findings[i.as_u64().unwrap() as usize];
            assert!(f.is_object(), "finding index {i} valid");
            // "N of 24 accounts: 2017, 2018 ..." with N the accounts that list it; its
            // user is named when at most 10 are.
            let n = accs
                .iter()
                .filter(|x| x["findings"].as_array().unwrap().contains(i))
                .count();
            let e = s(f, "explanation");
            assert!(
                e.starts_with(&format!("{n} of {} accounts: ", phones.len())),
                "{e}"
            );
            assert!(
                n > 10 || e.contains(s(ph, "user")),
                "{}: finding {} names it",
                ph["user"],
                f["code"]
            );
            assert_eq!(
                n > 10,
                e.contains(&format!(" and {} more", n.saturating_sub(10)))
            );
        }
        if root != "auth-ok" {
            let first_error = acc["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| &findings[i.as_u64().unwrap() as usize])
                .find(|f| f["severity"] == "error")
                .expect("an error finding");
            assert_eq!(first_error["code"], root);
        }
    }
    let failing = phones
        .iter()
        .filter(|p| p["root_cause"] != "auth-ok")
        .count();
    let summary = format!("{failing} of {} accounts fail", phones.len());
    assert!(
        v["census"]["sentence"]
            .as_str()
            .unwrap()
            .starts_with(&summary),
        "{}",
        v["census"]
    );
    let (_, text, _) = cli_analyze(&[&path], None);
    assert!(text.contains(&format!("Verdict: {summary}: ")), "{text}");
    assert!(!text.contains("Verdict: The"), "{text}");
}

/// `--account` with each failing phone's server password: the secret is checked against that
/// phone's requests only and names the input that differs.
#[test]
fn focused_password_names_the_differing_input() {
    let path = fixtures().join(OFFICE).display().to_string();
    let mut checked = 0;
    for ph in office_phones() {
        let Some(differs) = ph["differs_with_server_password"].as_str() else {
            continue;
        };
        let user = s(&ph, "user");
        let ip = s(&ph, "client_ip");
        let pass = format!("{}\n", s(&ph, "server_password"));
        let args = [
            "--json",
            &path,
            "--account",
            user,
            "--client",
            ip,
            "--password-stdin",
        ];
        let (code, out, err) = cli_analyze(&args, Some(&pass));
        assert_eq!(code, 1, "{user}: {err}");
        assert!(!out.contains(pass.trim()) && !err.contains(pass.trim()));
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let accs = v["accounts"].as_array().unwrap();
        assert_eq!(accs.len(), 1, "{user}: focused on one account");
        let vs = v["verifications"].as_array().unwrap();
        assert_eq!(
            vs.len() as u64,
            ph["auth_requests"].as_u64().unwrap(),
            "{user}: only its requests are checked"
        );
        assert!(
            vs.iter().all(|x| x["differs"] == differs),
            "{user}: differs {differs}: {vs:?}"
        );
        assert_eq!(
            accs[0]["root_cause"], ph["root_cause_with_password"],
            "{user}"
        );
        // Every frame an exchange or finding names is one of the focused messages.
        let frames: Vec<&serde_json::Value> = v["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| &m["frame"])
            .collect();
        for f in v["findings"].as_array().unwrap() {
            for e in f["evidence"].as_array().unwrap() {
                assert!(frames.contains(&&e["frame"]), "{user}: {e}");
            }
        }
        checked += 1;
    }
    assert!(checked >= 4, "every failing phone with a differing input");
}

#[test]
fn a_focus_that_matches_nothing_is_a_one_line_error() {
    let path = fixtures().join(OFFICE).display().to_string();
    let (code, out, err) = cli_analyze(&[&path, "--account", "nobody"], None);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("nobody"), "{err}");
    let (code, _, err) = cli_analyze(&[&path, "--client", "not-an-ip"], None);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn a_phone_s_clock_skew_is_its_account_s_finding_and_no_root_cause() {
    // Fixture 11: sipp sends a Date header years off; the finding is tied to no exchange,
    // its frames are the phone's REGISTERs.
    let a = analyze(&fixtures().join("11-register-date-skew.pcap")).expect("fixture 11");
    let skew = a
        .findings
        .iter()
        .position(|f| f.code == sipdoctor::finding::FindingCode::ClockSkew)
        .expect("a clock-skew finding");
    assert!(a.findings[skew].exchanges.is_empty());
    assert_eq!(a.accounts.len(), 1);
    let acc = &a.accounts[0];
    assert!(acc.findings.contains(&skew), "{:?}", acc.findings);
    assert_eq!(acc.root_cause, None, "a warning is no root cause");
}
