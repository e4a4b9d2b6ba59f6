//! NAT: a REGISTER whose Contact carries a private address unlike the packet's source.

use std::net::IpAddr;

use super::{Collector, Ctx, Draft, ev};
use crate::finding::{FindingCode, Severity};
use crate::model::is_register;
use crate::sip;
use crate::text;
use crate::transaction::Exchange;

/// RFC 1918, link-local, carrier-grade NAT (RFC 6598) and IPv6 unique-local addresses.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            v4.is_private()
                || v4.is_link_local()
                || (v4.octets()[0] == 100 && (64..128).contains(&v4.octets()[1]))
        }
        IpAddr::V6(v6) => (v6.segments()[0] & 0xfe00) == 0xfc00,
    }
}

/// The last REGISTER of an exchange registers a private Contact from another address.
pub fn private_contact(ctx: &Ctx, c: &mut Collector, e: &Exchange) {
    if !is_register(&e.method) {
        return;
    }
    let last = e.attempts.last().expect("exchange has an attempt");
    let last_req = &ctx.a.messages[last.request()];
    let contact_host = crate::accounts::kept_value(last_req, crate::accounts::KEPT.contact)
        .map(sip::uri_of_name_addr)
        .and_then(sip::uri_host);
    let Some(ip) = contact_host.and_then(|h| h.parse::<IpAddr>().ok()) else {
        return;
    };
    if !is_private(ip) || ip == last_req.src.ip() {
        return;
    }
    c.add(
        Draft::new(
            FindingCode::NatPrivateContact,
            Severity::Warning,
            text!(NatTitle),
            text!(NatExpl),
        )
        .with_evidence(vec![ev(
            last_req.frame(),
            text!(EvNat, ip = ip, src = last_req.src.ip()),
        )])
        .about(e.id),
    );
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;

    fn rule(ctx: &Ctx, c: &mut Collector) {
        for e in &ctx.a.exchanges {
            private_contact(ctx, c, e);
        }
    }

    #[test]
    fn private_ranges() {
        for ip in [
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.20",
            "169.254.1.1",
            "100.64.0.1",
            "fd00::1",
        ] {
            assert!(is_private(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["203.0.113.5", "100.128.0.1", "2001:db8::1", "8.8.8.8"] {
            assert!(!is_private(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn a_private_contact_from_its_own_address_is_no_nat() {
        // The phone really is 192.168.1.20 (a LAN PBX): no NAT in between.
        let lan = "192.168.1.20:5060";
        let r = register(1, "z9hG4bK1", "192.168.1.20", "");
        let ok = response("200 OK", 1, "z9hG4bK1", "");
        let a = undiagnosed(&[(lan, PBX, 0, &r), (PBX, lan, 10, &ok)]);
        assert!(run_rule(&a, rule).is_empty());
        let a = undiagnosed(&[(PHONE, PBX, 0, &r), (PBX, PHONE, 10, &ok)]);
        let fs = run_rule(&a, rule);
        assert_eq!(names(&fs), ["nat-private-contact"]);
        assert_eq!(
            fs[0].evidence[0].text,
            "Contact host 192.168.1.20, packet source 203.0.113.5"
        );
    }

    #[test]
    fn the_lab_captures_on_loopback_show_no_nat() {
        for f in ["01-register-ok.pcap", "02-register-wrong-password.pcap"] {
            assert!(run_rule(&fixture(f), rule).is_empty(), "{f}");
        }
    }
}
