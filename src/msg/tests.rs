use super::*;

#[test]
fn every_message_has_three_languages_with_the_same_parameters() {
    for &m in Msg::ALL {
        let en = m.template(Lang::En);
        for lang in [Lang::Zh, Lang::Vi] {
            let t = m.template(lang);
            assert!(!t.trim().is_empty(), "{m:?} has no {lang:?} text");
            assert_eq!(
                placeholders(t),
                placeholders(en),
                "{m:?}: the {lang:?} template names other parameters than the English one"
            );
            assert!(
                !t.contains('|'),
                "{m:?}: plural choices are English only: {t}"
            );
        }
        assert_eq!(
            en.matches('{').count(),
            en.matches('}').count(),
            "{m:?}: unbalanced braces"
        );
    }
}

#[test]
fn parameters_nested_texts_lists_and_plurals_render() {
    let t = text!(Who, n = 1, total = 1, names = "2001");
    assert_eq!(t.en(), "1 of 1 account: 2001");
    let t = text!(Who, n = 2, total = 40, names = "2001, 2002");
    assert_eq!(t.en(), "2 of 40 accounts: 2001, 2002");
    assert_eq!(t.render(Lang::Zh), "40 个账号中的 2 个：2001, 2002");
    let nested = text!(CredRejExpl, server = Msg::TheServer);
    assert!(nested.en().contains("and the server challenged it again"));
    assert!(nested.render(Lang::Zh).contains("而服务器再次质询"));
    let list = text!(
        NoSipExpl,
        frames = 3,
        skipped = Arg::List(vec![text!(NoPackets), text!(NoPackets)])
    );
    assert!(
        list.render(Lang::Zh)
            .contains("完全没有数据包，完全没有数据包")
    );
    // A missing parameter stays visible (the catalogue test above keeps names aligned).
    assert_eq!(text!(EvTls, src = "a").en(), "TLS stream a -> {dst}");
}

#[test]
fn durations_in_each_language() {
    assert_eq!(format_duration_in(42, Lang::En), "42 s");
    assert_eq!(format_duration_in(192, Lang::En), "3 min 12 s");
    assert_eq!(format_duration_in(18_120, Lang::En), "5 h 2 min");
    assert_eq!(format_duration_in(147_914_647, Lang::En), "1711 days 23 h");
    assert_eq!(format_duration_in(192, Lang::Zh), "3 分 12 秒");
    assert_eq!(
        format_duration_in(147_914_647, Lang::Vi),
        "1711 ngày 23 giờ"
    );
    let t = text!(ClockPhoneTitle, skew = Arg::Skew(-192));
    assert_eq!(
        t.en(),
        "The phone's clock is off by -3 min 12 s (its Date header)"
    );
}

#[test]
fn english_counts_of_one_are_singular_and_other_languages_do_not_inflect() {
    let one = text!(StepCaptureOk, messages = 1, exchanges = 1);
    assert_eq!(one.en(), "1 SIP message, 1 auth exchange");
    let many = text!(StepCaptureOk, messages = 8, exchanges = 2);
    assert_eq!(many.en(), "8 SIP messages, 2 auth exchanges");
    assert_eq!(one.render(Lang::Zh), "1 条 SIP 消息，1 个认证交互");
    assert_eq!(one.render(Lang::Vi), "1 bản tin SIP, 1 trao đổi xác thực");
    let t = text!(BfWhatSilent, method = "REGISTER", cseq = 7, n = 1);
    assert_eq!(t.en(), "REGISTER (CSeq 7) sent 1 time, no answer");
}

#[test]
fn counts_group_thousands_as_each_language_writes_them() {
    assert_eq!(group_thousands(0, Lang::En), "0");
    assert_eq!(group_thousands(999, Lang::En), "999");
    assert_eq!(group_thousands(1000, Lang::En), "1,000");
    assert_eq!(group_thousands(437_880, Lang::Zh), "437,880");
    assert_eq!(group_thousands(88_576, Lang::Vi), "88.576");
    assert_eq!(group_thousands(1_234_567_890, Lang::En), "1,234,567,890");
    // In a message: the plural still sees one as one.
    let t = text!(
        StepCaptureOk,
        messages = count(437_880),
        exchanges = count(1)
    );
    assert_eq!(t.en(), "437,880 SIP messages, 1 auth exchange");
    assert!(
        t.render(Lang::Vi).starts_with("437.880 "),
        "{}",
        t.render(Lang::Vi)
    );
}
