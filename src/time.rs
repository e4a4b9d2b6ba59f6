//! Time formatting for capture timestamps (UTC, no time-zone database needed).
//!
//! Kept here, below every layer that shows a time, so the diagnosis and the reports share it
//! without importing the pipeline.

use crate::capture::Nanos;

/// Format a capture timestamp as UTC `YYYY-MM-DD HH:MM:SS.mmm`.
pub fn format_ts(ts: Nanos) -> String {
    let secs = ts.div_euclid(1_000_000_000);
    let ms = ts.rem_euclid(1_000_000_000) / 1_000_000;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, mo, d) = civil_from_days(days);
    format!(
        "{y:04}-{mo:02}-{d:02} {:02}:{:02}:{:02}.{ms:03}",
        rem / 3600,
        (rem / 60) % 60,
        rem % 60
    )
}

/// A signed clock skew, readable: `"+42 s"`, `"+3 min 12 s"`, `"-5 h 2 min"`,
/// `"-1711 days 22 h"` (never a raw count of seconds). Used by the CLI, the reports and the GUI.
pub fn format_skew(secs: i64) -> String {
    let sign = if secs < 0 { '-' } else { '+' };
    format!("{sign}{}", format_duration(secs.unsigned_abs()))
}

/// A duration, readable: `"42 s"`, `"3 min 12 s"`, `"5 h 2 min"`, `"1711 days 22 h"`.
/// (In another language: `crate::msg::format_duration_in`.)
pub fn format_duration(secs: u64) -> String {
    crate::msg::format_duration_in(secs, crate::msg::Lang::En)
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// (year, month, day) to days since 1970-01-01.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        assert_eq!(format_ts(0), "1970-01-01 00:00:00.000");
        assert_eq!(
            format_ts(1_700_000_000_123_000_000),
            "2023-11-14 22:13:20.123"
        );
        for days in [-1000, 0, 59, 60, 365, 11_000, 20_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn skews_read_as_days_hours_minutes_never_raw_seconds() {
        assert_eq!(format_skew(0), "+0 s");
        assert_eq!(format_skew(42), "+42 s");
        assert_eq!(format_skew(192), "+3 min 12 s");
        assert_eq!(format_skew(-(5 * 3600 + 2 * 60)), "-5 h 2 min");
        assert_eq!(
            format_skew(-(1711 * 86_400 + 22 * 3600 + 59)),
            "-1711 days 22 h"
        );
        // The lab fixture 11: Date 2000-01-01 against a capture of 2026-11-21 08:14:54.
        assert_eq!(format_skew(-848_564_094), "-9821 days 8 h");
        assert_eq!(format_duration(u64::MAX).split(' ').count(), 4);
        assert!(!format_skew(i64::MIN).contains("848564094"));
    }
}
