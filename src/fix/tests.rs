use super::*;
use regex::Regex;

/// A finding code by its wire name (tests read better with the names).
fn c(name: &str) -> FindingCode {
    FindingCode::parse(name).expect("a finding code")
}

const SERVERS: [ServerKind; 7] = [
    ServerKind::AsteriskPjsip,
    ServerKind::AsteriskChanSip,
    ServerKind::Asterisk,
    ServerKind::FreeSwitch,
    ServerKind::Kamailio,
    ServerKind::OpenSips,
    ServerKind::Unknown,
];

fn ctx() -> FixContext {
    FixContext {
        user: Some("alice".into()),
        auth_user: Some("alice-auth".into()),
        realm: Some("sipdoctor.lab".into()),
        domain: Some("sipdoctor.lab".into()),
        server: Some("pbx.sipdoctor.lab".into()),
        server_ip: Some("10.9.0.1".into()),
        server_port: Some(5070),
        client_ip: Some("10.9.0.2".into()),
        transport: Some("UDP".into()),
        ban_ip: Some("10.9.0.66".into()),
        jail: Some("kamailio-auth".into()),
        method: Some(Method::Register),
    }
}

fn all_commands(f: &Fix) -> Vec<&FixCommand> {
    f.steps
        .iter()
        .flat_map(|s| s.commands.iter().chain(&s.other_servers))
        .collect()
}

fn every_hints() -> Vec<FixHints> {
    let mut v = vec![FixHints::default()];
    let one = |f: fn(&mut FixHints)| {
        let mut h = FixHints::default();
        f(&mut h);
        h
    };
    v.push(one(|h| h.reason = Some("Not relaying".into())));
    v.push(one(|h| h.icmp_unreachable = true));
    v.push(one(|h| h.password_variant = true));
    v.push(one(|h| h.ban_reply = true));
    v.push(one(|h| h.burst_then_silence = true));
    v.push(one(|h| h.tls = true));
    v.push(one(|h| h.port_or_transport = true));
    v.push(one(|h| h.outbound_proxy = true));
    v
}

#[test]
fn every_kb_entry_is_reachable_from_a_finding() {
    let mut reached = std::collections::BTreeSet::new();
    for &code in FindingCode::ALL {
        for s in SERVERS {
            for h in every_hints() {
                for id in ids_for(code, s, &h) {
                    assert!(kb::get(id).is_some(), "route to missing entry {id}");
                    reached.insert(id);
                }
            }
        }
    }
    let missing: Vec<&str> = kb::all()
        .iter()
        .map(|e| e.id.as_str())
        .filter(|id| !reached.contains(id))
        .collect();
    assert!(missing.is_empty(), "unreachable kb entries: {missing:?}");
    assert!(kb::all().len() >= 39);
}

/// A main route sends a finding to an entry that says it covers that code: a row pointing a
/// code at an entry about something else fails here, naming both.
#[test]
fn every_main_route_lands_on_an_entry_for_its_code() {
    for r in ROUTES.iter().filter(|r| r.role == Role::Main) {
        let Some(code) = r.code else { continue };
        let e = kb::get(r.kb).unwrap_or_else(|| panic!("route to missing entry {}", r.kb));
        assert!(
            e.diagnosis_codes.iter().any(|c| c == code.as_str()),
            "{} is routed to {} which does not list it in diagnosis_codes",
            code,
            r.kb
        );
    }
}

#[test]
fn selection_follows_server_and_hints() {
    let none = FixHints::default();
    let id = |code: &str, s, h: &FixHints| entry_for(c(code), s, h).map(|e| e.id.as_str());
    assert_eq!(
        id("credentials-rejected", ServerKind::Kamailio, &none),
        Some("communication/sip-kamailio-auth-failure")
    );
    assert_eq!(
        id("credentials-rejected", ServerKind::Unknown, &none),
        Some("communication/sip-401-unauthorized-credentials")
    );
    assert_eq!(
        id("credentials-rejected", ServerKind::FreeSwitch, &none),
        Some("communication/sip-freeswitch-auth-failure")
    );
    assert_eq!(
        id("password-ok-but-rejected", ServerKind::AsteriskPjsip, &none),
        Some("communication/sip-asterisk-unknown-auth-user")
    );
    // The phone's password is proven right: each server's own lookup is what to check.
    assert_eq!(
        id("password-ok-but-rejected", ServerKind::FreeSwitch, &none),
        Some("communication/sip-freeswitch-auth-failure")
    );
    assert_eq!(
        id("password-ok-but-rejected", ServerKind::OpenSips, &none),
        Some("communication/sip-opensips-auth-failure")
    );
    assert!(
        ids_for(c("password-ok-but-rejected"), ServerKind::FreeSwitch, &none)
            .contains(&"communication/sip-password-ok-but-rejected")
    );
    let ban = FixHints {
        ban_reply: true,
        ..Default::default()
    };
    assert_eq!(
        id("brute-force-block", ServerKind::Kamailio, &ban),
        Some("communication/sip-server-own-ban")
    );
    assert_eq!(
        id("brute-force-block", ServerKind::Kamailio, &none),
        Some("communication/sip-fail2ban-ban")
    );
    let relay = FixHints {
        reason: Some("Not Relaying".into()),
        ..Default::default()
    };
    assert_eq!(
        id("forbidden-before-auth", ServerKind::Kamailio, &relay),
        Some("communication/sip-kamailio-not-relaying")
    );
    // The note on chan_sip comes with any finding on a chan_sip server.
    let ids = ids_for(c("wrong-password"), ServerKind::AsteriskChanSip, &none);
    assert_eq!(ids[0], "communication/sip-401-wrong-password");
    assert!(ids.contains(&"communication/sip-chan-sip-removed-asterisk21"));
    assert!(
        !ids_for(c("wrong-password"), ServerKind::AsteriskPjsip, &none)
            .contains(&"communication/sip-chan-sip-removed-asterisk21")
    );
}

#[test]
fn every_placeholder_in_kb_is_known_and_done_by_parses() {
    let re = Regex::new(r"\{([a-z_]+)\}").unwrap();
    let mut used = std::collections::BTreeSet::new();
    for e in kb::all() {
        for s in &e.steps {
            if let Some(d) = &s.done_by {
                assert!(Did::from_wire(d).is_some(), "{}: done_by {d}", e.id);
            }
            for m in &s.applies_to {
                assert!(Method::parse(m).is_some(), "{}: applies_to {m}", e.id);
            }
            let texts = s.commands.iter().map(|c| c.command.as_str()).chain([
                s.title.as_str(),
                s.detail.as_str(),
                s.check.as_str(),
            ]);
            for t in texts {
                for c in re.captures_iter(t) {
                    assert!(
                        PLACEHOLDERS.contains(&&c[1]),
                        "{}: unknown {{{}}}",
                        e.id,
                        &c[1]
                    );
                    used.insert(c[1].to_string());
                }
            }
        }
    }
    for p in [
        "user",
        "auth_user",
        "realm",
        "domain",
        "server_port",
        "client_ip",
        "ban_ip",
        "jail",
        "method",
    ] {
        assert!(used.contains(p), "no kb command uses {{{p}}}");
    }
}

/// A shell line (not a config line) that puts a password into the command line: a literal
/// `<password>`-style placeholder or quoted secret passed as an argument, or a password-taking
/// command that does not read the secret without echo first.
fn secret_in_shell_line(line: &str) -> bool {
    let t = line.trim();
    let config = t.starts_with(';')
        || t.starts_with('#')
        || t.starts_with('[')
        || t.starts_with('<')
        || Regex::new(r"^[\w-]+\s*=").unwrap().is_match(t);
    if config {
        return false;
    }
    let literal = Regex::new(r"(?i)<(new )?password>|<secret>|'(new-)?secret'").unwrap();
    let takes_secret =
        Regex::new(r"kamctl (passwd|add)\b|md5sum|sha256sum|opensips-cli .*password").unwrap();
    literal.is_match(t)
        || (takes_secret.is_match(t) && !(t.contains("read -rs") && t.contains("unset")))
}

#[test]
fn the_secret_scanner_catches_the_old_commands() {
    assert!(secret_in_shell_line(
        "kamctl passwd 1001@example.com '<new password>'"
    ));
    assert!(secret_in_shell_line(
        "printf '%s' '1001:asterisk:<password>' | md5sum"
    ));
    assert!(secret_in_shell_line("kamctl add 1002@example.com 'secret'"));
    assert!(!secret_in_shell_line(
        "read -rs P; kamctl passwd {auth_user}@{domain} \"$P\"; unset P"
    ));
    assert!(!secret_in_shell_line("password=<new password>"));
    assert!(!secret_in_shell_line(
        "<param name=\"password\" value=\"<new password>\"/>"
    ));
}

#[test]
fn no_kb_command_puts_a_secret_in_shell_history() {
    for e in kb::all() {
        for s in &e.steps {
            for c in &s.commands {
                for line in c.command.lines() {
                    assert!(!secret_in_shell_line(line), "{}: {line}", e.id);
                }
            }
        }
    }
}

#[test]
fn checks_read_and_changes_change() {
    let change =
        Regex::new(r"kamctl (passwd|add)|unbanip|htable\.delete|modprobe -r|domain add|set-ntp")
            .unwrap();
    for e in kb::all() {
        for s in &e.steps {
            let t = s.title.to_ascii_lowercase();
            if [
                "check", "confirm", "read", "compare", "look", "find", "see", "measure", "list",
                "identify", "locate", "test",
            ]
            .iter()
            .any(|w| t.starts_with(w))
            {
                for c in &s.commands {
                    assert!(
                        !change.is_match(&c.command),
                        "{}: '{}' changes: {}",
                        e.id,
                        s.title,
                        c.command
                    );
                }
            }
        }
    }
    let e = kb::get("communication/sip-401-unauthorized-credentials").unwrap();
    let f = build(e, ServerKind::Kamailio, &ctx(), &[], Lang::En);
    let check = f
        .steps
        .iter()
        .find(|s| s.title.starts_with("Check the account"))
        .unwrap();
    assert_eq!(
        check.commands[0].text,
        "kamctl db show subscriber | grep alice-auth"
    );
    let set = f
        .steps
        .iter()
        .find(|s| s.title.starts_with("Only if the password differs"))
        .unwrap();
    assert!(
        set.commands[0]
            .text
            .starts_with("read -rs P; kamctl passwd alice-auth@sipdoctor.lab \"$P\"")
    );
}

#[test]
fn the_detected_servers_commands_come_first_filled_with_the_capture() {
    let e = kb::get("communication/sip-401-unauthorized-credentials").unwrap();
    for (kind, tag, want) in [
        (ServerKind::Kamailio, "kamailio", "grep alice-auth"),
        (
            ServerKind::AsteriskPjsip,
            "asterisk-pjsip",
            "pjsip show endpoint alice",
        ),
        (
            ServerKind::FreeSwitch,
            "freeswitch",
            "user_exists id alice sipdoctor.lab",
        ),
    ] {
        let f = build(e, kind, &ctx(), &[Did::Capture], Lang::En);
        assert_eq!(f.server, tag);
        let step = f
            .steps
            .iter()
            .find(|s| s.title.starts_with("Check the account"))
            .unwrap();
        assert_eq!(step.commands[0].server, tag, "{kind:?}");
        assert!(
            step.commands[0].text.contains(want),
            "{}",
            step.commands[0].text
        );
        assert!(
            step.commands
                .iter()
                .all(|c| c.server == tag || NEUTRAL.contains(&c.server.as_str()))
        );
        assert!(!step.other_servers.is_empty());
        assert!(step.other_servers.iter().all(|c| c.server != tag));
        assert!(!f.other_servers.contains(&tag.to_string()));
        for c in all_commands(&f) {
            for lit in ["1001", "example.com", "192.0.2.10"] {
                assert!(!c.text.contains(lit), "{lit} in {}", c.text);
            }
        }
    }
    // Unknown server: generic first, nothing folded.
    let f = build(e, ServerKind::Unknown, &ctx(), &[], Lang::En);
    assert_eq!(f.server, "generic");
    let step = f
        .steps
        .iter()
        .find(|s| s.title.starts_with("Check the account"))
        .unwrap();
    assert!(step.other_servers.is_empty() && f.other_servers.is_empty());
    assert!(step.commands.len() >= 4);
    let s0 = &f.steps[0];
    assert_eq!(s0.commands[0].server, "generic");
}

#[test]
fn missing_values_stay_visible_placeholders() {
    let e = kb::get("communication/sip-fail2ban-ban").unwrap();
    let f = build(
        e,
        ServerKind::Kamailio,
        &FixContext::default(),
        &[],
        Lang::En,
    );
    let texts: Vec<&str> = all_commands(&f).iter().map(|c| c.text.as_str()).collect();
    assert!(
        texts
            .iter()
            .any(|t| t.contains("fail2ban-client set <jail> unbanip <ban_ip>")),
        "{texts:?}"
    );
    let f = build(e, ServerKind::Kamailio, &ctx(), &[], Lang::En);
    let texts: Vec<&str> = all_commands(&f).iter().map(|c| c.text.as_str()).collect();
    assert!(
        texts
            .iter()
            .any(|t| t.contains("fail2ban-client set kamailio-auth unbanip 10.9.0.66"))
    );
}

#[test]
fn hostile_capture_values_never_become_live_commands() {
    let e = kb::get("communication/sip-401-unauthorized-credentials").unwrap();
    for bad in [
        "1001'; rm -rf / #",
        "$(id)",
        "`id`",
        "a b",
        "-rf",
        "x\ny",
        "a\"b",
        "a;b",
        "a|b",
        "a\u{7}b",
        "ä",
    ] {
        assert!(!safe_value(bad), "{bad:?}");
        let c = FixContext {
            user: Some(bad.into()),
            auth_user: Some(bad.into()),
            ..ctx()
        };
        for kind in SERVERS {
            let f = build(e, kind, &c, &[], Lang::En);
            assert!(f.withheld.contains(&"user") && f.withheld.contains(&"auth_user"));
            for cmd in all_commands(&f) {
                assert!(!cmd.text.contains(bad), "{bad:?} in {}", cmd.text);
            }
            let md = to_markdown(&f, Lang::En);
            assert!(md.contains("\\<user\\>") || md.contains("<user>"));
        }
    }
    for good in [
        "alice",
        "6009",
        "10.9.0.2",
        "[2001:db8::1]",
        "sip.example.org",
        "a+b@x.y",
    ] {
        assert!(safe_value(good), "{good}");
    }
}

#[test]
fn steps_the_app_did_are_done_and_other_methods_are_left_out() {
    let e = kb::get("communication/sip-401-unauthorized-credentials").unwrap();
    let f = build(e, ServerKind::Kamailio, &ctx(), &[Did::Capture], Lang::En);
    assert_eq!(f.steps[0].title, "Capture one full REGISTER exchange");
    assert!(f.steps[0].done && f.steps[0].done_by == Some("capture"));
    let prove = f
        .steps
        .iter()
        .find(|s| s.done_by == Some("digest"))
        .unwrap();
    assert!(!prove.done, "no digest recomputed yet");
    let f2 = build(
        e,
        ServerKind::Kamailio,
        &ctx(),
        &[Did::Capture, Did::Digest],
        Lang::En,
    );
    assert!(
        f2.steps
            .iter()
            .find(|s| s.done_by == Some("digest"))
            .unwrap()
            .done
    );
    let none = build(e, ServerKind::Kamailio, &ctx(), &[], Lang::En);
    assert!(!none.steps[0].done);

    let invite = FixContext {
        method: Some(Method::Invite),
        ..ctx()
    };
    let f = build(e, ServerKind::Kamailio, &invite, &[Did::Capture], Lang::En);
    assert_eq!(f.steps[0].title, "Capture one full INVITE exchange");
    for s in &f.steps {
        assert!(
            !s.title.contains("REGISTER") && !s.check.contains("REGISTER"),
            "{s:?}"
        );
    }
    let zh = build(e, ServerKind::Kamailio, &invite, &[Did::Capture], Lang::Zh);
    assert_eq!(zh.steps[0].title, "抓取一次完整的 INVITE 交互");
    // A REGISTER-only step is dropped for INVITE.
    let ok = kb::get("communication/sip-first-401-normal").unwrap();
    assert_eq!(
        build(ok, ServerKind::Kamailio, &ctx(), &[], Lang::En)
            .steps
            .len(),
        2
    );
    assert_eq!(
        build(ok, ServerKind::Kamailio, &invite, &[], Lang::En)
            .steps
            .len(),
        1
    );
}

#[test]
fn fix_json_has_the_contract_names() {
    let f = fix_for(
        c("credentials-rejected"),
        ServerKind::AsteriskPjsip,
        &FixHints::default(),
        &ctx(),
        &[Did::Capture],
        Lang::Vi,
    )
    .unwrap();
    let v = serde_json::to_value(&f).unwrap();
    for k in ["kb", "title", "server", "steps"] {
        assert!(v.get(k).is_some(), "{k}");
    }
    let s = &v["steps"][0];
    for k in ["title", "detail", "done", "commands"] {
        assert!(s.get(k).is_some(), "step {k}");
    }
    assert!(s["commands"][0].get("server").is_some() && s["commands"][0].get("text").is_some());
    assert_eq!(v["server"], "asterisk-pjsip");
    assert!(!f.see_also.is_empty());
    assert_eq!(f.title, kb::get(&f.kb).unwrap().title(Lang::Vi));
}

#[test]
fn markdown_and_text_render_once_in_code_blocks() {
    let e = kb::get("communication/sip-401-unauthorized-credentials").unwrap();
    for lang in [Lang::En, Lang::Zh, Lang::Vi] {
        let f = build(e, ServerKind::AsteriskPjsip, &ctx(), &[Did::Capture], lang);
        let md = to_markdown(&f, lang);
        assert!(
            !md.contains("&gt;") && !md.contains("&lt;") && !md.contains("&amp;"),
            "{md}"
        );
        assert_eq!(md.matches(f.title.as_str()).count(), 1, "{md}");
        // The multi-line pjsip.conf snippet sits in a fenced block, line by line.
        assert!(
            md.contains("```\n; pjsip.conf\n[alice]\ntype=auth\n"),
            "{md}"
        );
        assert!(!md.contains("`; pjsip.conf"), "inline code span: {md}");
        let fences = md
            .lines()
            .filter(|l| l.trim_start().starts_with("```"))
            .count();
        assert_eq!(fences % 2, 0);
        assert!(fences >= 2 * all_commands(&f).len());
        let txt = to_text(&f, lang);
        assert_eq!(txt.matches(f.title.as_str()).count(), 1);
        assert!(
            txt.contains("  asterisk -rx 'pjsip show endpoint alice'"),
            "{txt}"
        );
        assert!(txt.contains(words(lang).other));
        assert!(txt.contains(Did::Capture.note(lang)));
    }
    // A command with backticks gets a longer fence.
    let mut out = String::new();
    md_fence(&mut out, "", "echo ```x```");
    assert!(out.starts_with("````\n"));
}

#[test]
fn zh_and_vi_words_are_translated() {
    let has_cjk = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    for d in Did::ALL {
        assert!(has_cjk(d.note(Lang::Zh)));
        assert!(d.note(Lang::Vi).starts_with("đã xong"));
        assert_ne!(d.note(Lang::En), d.note(Lang::Vi));
    }
    for lang in [Lang::Zh, Lang::Vi] {
        let w = words(lang);
        let en = words(Lang::En);
        for (a, b) in [
            (w.server, en.server),
            (w.check, en.check),
            (w.other, en.other),
            (w.see_also, en.see_also),
            (w.withheld, en.withheld),
        ] {
            assert_ne!(a, b);
            assert!(kb::glossary_violations(a, lang).is_empty(), "{a}");
        }
        assert_ne!(server_label("generic", lang), "any server");
    }
}
