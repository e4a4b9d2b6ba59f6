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
        // The provisional cause from the outcomes already names the lab's root cause.
        let symptom = acc.symptom.map(|x| x.code()).unwrap_or("auth-ok");
        assert_eq!(symptom, root, "{user}@{ip}");

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
