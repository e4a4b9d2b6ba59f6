//! The wizard's five steps: each one's verdict and findings, decided here for both fronts.

use serde::Serialize;

use super::clock::clock_readings;
use crate::finding::{Finding, FindingCode};
use crate::model::Analysis;
use crate::msg::{Lang, Msg, Text};
use crate::text;

/// Verdict of one wizard step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepVerdict {
    Ok,
    Problem,
    NotChecked,
}

impl StepVerdict {
    /// The wire name (`"not-checked"`).
    pub fn as_str(self) -> &'static str {
        match self {
            StepVerdict::Ok => "ok",
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
    (1..=5u8).map(|step| step_report(a, step)).collect()
}

fn step_report(a: &Analysis, step: u8) -> StepReport {
    let fs: Vec<&Finding> = a
        .findings
        .iter()
        .filter(|f| f.code.step() == step)
        .collect();
    let problem = fs.iter().find(|f| f.severity.is_problem());
    let verdict = match step {
        _ if problem.is_some() => StepVerdict::Problem,
        1 if !a.messages.is_empty() => StepVerdict::Ok,
        2 if !a.verifications.is_empty() => StepVerdict::Ok,
        3 if !a.exchanges.is_empty() => StepVerdict::Ok,
        4 if !clock_readings(a).is_empty() => StepVerdict::Ok,
        _ => StepVerdict::NotChecked,
    };
    let summary = match (step, verdict) {
        (_, StepVerdict::Problem) => problem
            .map(|f| problem_summary(a, f))
            .unwrap_or_else(|| text!(StepNothing)),
        (1, StepVerdict::Ok) => text!(
            StepCaptureOk,
            messages = a.messages.len(),
            exchanges = a.exchanges.len()
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
/// step could be checked.
pub fn overall_verdict(steps: &[StepReport]) -> StepVerdict {
    if steps.iter().any(|s| s.verdict == StepVerdict::Problem) {
        StepVerdict::Problem
    } else if steps.iter().any(|s| s.verdict == StepVerdict::Ok) {
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
        let skew = fixture("11-register-date-skew.pcap");
        assert_eq!(steps(&skew)[3].verdict, StepVerdict::Problem);
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
        for v in [
            StepVerdict::Ok,
            StepVerdict::Problem,
            StepVerdict::NotChecked,
        ] {
            assert_eq!(serde_json::to_value(v).unwrap(), v.as_str());
        }
    }
}
