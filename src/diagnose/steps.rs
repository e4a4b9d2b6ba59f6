//! The wizard's five steps: each one's verdict and findings, decided here for both fronts.

use serde::Serialize;

use super::clock::{broke_nothing, broke_nothing_given, has_clock_readings};
use super::server::ClockReading;
use crate::finding::{Finding, FindingCode};
use crate::model::Analysis;
use crate::msg::{Lang, Msg, Text};
use crate::text;

/// Verdict of one wizard step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepVerdict {
    Ok,
    /// Something to note that broke nothing (a phone clock off under accepted requests): the
    /// step is checked and the capture stays healthy.
    Warning,
    Problem,
    NotChecked,
}

impl StepVerdict {
    /// Every verdict, in wire order (README's `steps[].verdict`).
    pub const ALL: [StepVerdict; 4] = [
        StepVerdict::Ok,
        StepVerdict::Warning,
        StepVerdict::Problem,
        StepVerdict::NotChecked,
    ];

    /// The wire name (`"not-checked"`).
    pub fn as_str(self) -> &'static str {
        match self {
            StepVerdict::Ok => "ok",
            StepVerdict::Warning => "warning",
            StepVerdict::Problem => "problem",
            StepVerdict::NotChecked => "not-checked",
        }
    }
}

/// The five steps of the wizard, each with its verdict and the findings that belong to it.
#[derive(Debug, Clone, Serialize)]
pub struct StepReport {
    pub step: u8,
    pub name: &'static str,
    pub verdict: StepVerdict,
    pub summary: String,
    pub findings: Vec<FindingCode>,
    /// The summary as a message, for the other languages.
    #[serde(skip)]
    pub summary_text: Text,
}

impl StepReport {
    /// The step's name in `lang`.
    pub fn name_in(&self, lang: Lang) -> &'static str {
        NAMES[self.step as usize - 1].template(lang)
    }

    /// The summary in `lang` (the status line of the wizard).
    pub fn summary_in(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.summary.clone(),
            _ => self.summary_text.render(lang),
        }
    }
}

const NAMES: [Msg; 5] = [
    Msg::StepNameCapture,
    Msg::StepNameCredentials,
    Msg::StepNameFail2ban,
    Msg::StepNameClock,
    Msg::StepNameClient,
];

/// Step reports from an analysis (the GUI and the CLI show the same).
pub fn steps(a: &Analysis) -> Vec<StepReport> {
    (1..=5u8).map(|step| step_report(a, step, None)).collect()
}

/// [`steps`] of an analysis whose [`super::clock_readings`] are `clock` (read once: they are
/// a walk over every message).
pub fn steps_given(a: &Analysis, clock: &[ClockReading]) -> Vec<StepReport> {
    (1..=5u8)
        .map(|step| step_report(a, step, Some(clock)))
        .collect()
}

fn step_report(a: &Analysis, step: u8, clock: Option<&[ClockReading]>) -> StepReport {
    let fs: Vec<&Finding> = a
        .findings
        .iter()
        .filter(|f| f.code.step() == step)
        .collect();
    let problem = fs.iter().find(|f| f.severity.is_problem());
    let verdict = match step {
        // A phone clock off under accepted requests is not a step-4 problem: the phone's
        // clock is not in the digest (RFC 7616 section 3.4) and every exchange got its 2xx.
        4 if problem.is_some()
            && clock.map_or_else(|| broke_nothing(a), |r| broke_nothing_given(a, r)) =>
        {
            StepVerdict::Warning
        }
        _ if problem.is_some() => StepVerdict::Problem,
        1 if !a.messages.is_empty() => StepVerdict::Ok,
        2 if !a.verifications.is_empty() => StepVerdict::Ok,
        3 if !a.exchanges.is_empty() => StepVerdict::Ok,
        4 if clock.map_or_else(|| has_clock_readings(a), |r| !r.is_empty()) => StepVerdict::Ok,
        _ => StepVerdict::NotChecked,
    };
    let summary = match (step, verdict) {
        (_, StepVerdict::Problem | StepVerdict::Warning) => problem
            .map(|f| problem_summary(a, f))
            .unwrap_or_else(|| text!(StepNothing)),
        (1, StepVerdict::Ok) => text!(
            StepCaptureOk,
            messages = crate::msg::count(a.messages.len()),
            exchanges = crate::msg::count(a.exchanges.len())
        ),
        (2, StepVerdict::Ok) => text!(StepCredentialsOk),
        (3, StepVerdict::Ok) => text!(StepBanOk),
        (4, StepVerdict::Ok) => text!(StepClockOk),
        (2, _) => text!(StepCredentialsTodo),
        (5, _) => text!(StepClientTodo),
        _ => text!(StepNothing),
    };
    StepReport {
        step,
        name: NAMES[step as usize - 1].template(Lang::En),
        verdict,
        summary: summary.en(),
        findings: fs.iter().map(|f| f.code).collect(),
        summary_text: summary,
    }
}

/// A step's problem: the finding's title, and with more than one account how many of them
/// it speaks of ("... (4 of 40 accounts)").
fn problem_summary(a: &Analysis, f: &Finding) -> Text {
    if a.accounts.len() <= 1 {
        return f.text.title.clone();
    }
    let Some(i) = a.findings.iter().position(|x| std::ptr::eq(x, f)) else {
        return f.text.title.clone();
    };
    let n = a
        .accounts
        .iter()
        .filter(|x| x.findings.contains(&i))
        .count();
    text!(
        StepProblemOf,
        title = f.text.title.clone(),
        n = n,
        total = a.accounts.len()
    )
}

/// The verdict of the whole capture from its steps: a problem in any step, else ok when any
/// step could be checked (a warning step counts as checked: it broke nothing).
pub fn overall_verdict(steps: &[StepReport]) -> StepVerdict {
    if steps.iter().any(|s| s.verdict == StepVerdict::Problem) {
        StepVerdict::Problem
    } else if steps
        .iter()
        .any(|s| matches!(s.verdict, StepVerdict::Ok | StepVerdict::Warning))
    {
        StepVerdict::Ok
    } else {
        StepVerdict::NotChecked
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;
    use crate::secret::Secret;
    use crate::verify::Expectation;

    fn verdicts(a: &Analysis) -> Vec<StepVerdict> {
        steps(a).iter().map(|s| s.verdict).collect()
    }

    #[test]
    fn a_healthy_registration_checks_capture_ban_and_clock_and_leaves_the_rest() {
        use StepVerdict::*;
        let mut a = fixture("01-register-ok.pcap");
        // Step 4 is checked by the time in Kamailio's nonce, which agrees with the capture.
        assert_eq!(verdicts(&a), [Ok, NotChecked, Ok, Ok, NotChecked]);
        assert_eq!(overall_verdict(&steps(&a)), Ok);
        a.verify_with(&Secret::password("s3cret-1001"), &Expectation::default());
        assert_eq!(verdicts(&a)[1], Ok);
        assert_eq!(
            steps(&a)[1].summary,
            "the typed password reproduces every digest"
        );
    }

    #[test]
    fn findings_land_in_their_step_and_name_its_summary() {
        let a = fixture("10a-register-brute-force-403.pcap");
        let s = steps(&a);
        assert_eq!(s[2].verdict, StepVerdict::Problem);
        assert!(s[2].findings.contains(&FindingCode::BruteForceBlock));
        assert_eq!(s[2].summary, a.findings[0].title);
        assert_eq!(overall_verdict(&s), StepVerdict::Problem);
        // Fixture 11: the phone's Date is 1711 days behind and it registers with 200 OK. The
        // clock step warns, and the capture stays healthy.
        let skew = fixture("11-register-date-skew.pcap");
        let s = steps(&skew);
        assert_eq!(s[3].verdict, StepVerdict::Warning);
        assert!(s[3].findings.contains(&FindingCode::ClockSkew));
        assert!(s[3].summary.contains("phone's clock"), "{}", s[3].summary);
        assert_eq!(overall_verdict(&s), StepVerdict::Ok);
        // The same phone clock under a refusal, or a server clock that is off, stays a problem.
        let phone_date = "Date: Wed, 26 Jul 2019 22:13:20 GMT\n";
        let r = register(1, "z9hG4bK1", "203.0.113.5", phone_date);
        let with = |status: &str, extra: &str| {
            let answer = response(status, 1, "z9hG4bK1", extra);
            analysis(&[(PHONE, PBX, 0, &r), (PBX, PHONE, 10, &answer)])
        };
        assert_eq!(steps(&with("200 OK", ""))[3].verdict, StepVerdict::Warning);
        let refused = with("403 Forbidden", "");
        assert_eq!(steps(&refused)[3].verdict, StepVerdict::Problem);
        let server_off = with("200 OK", "Date: Tue, 14 Nov 2023 22:20:00 GMT\n");
        assert_eq!(steps(&server_off)[3].verdict, StepVerdict::Problem);
    }

    #[test]
    fn nothing_to_check_is_not_checked() {
        let a = fixture("92-no-sip.pcap");
        // no-sip is a warning of step 1.
        assert_eq!(steps(&a)[0].verdict, StepVerdict::Problem);
        let empty = undiagnosed(&[]);
        assert!(
            steps(&empty)
                .iter()
                .all(|s| s.verdict == StepVerdict::NotChecked)
        );
        assert_eq!(overall_verdict(&steps(&empty)), StepVerdict::NotChecked);
        for v in StepVerdict::ALL {
            assert_eq!(serde_json::to_value(v).unwrap(), v.as_str());
        }
    }
}
