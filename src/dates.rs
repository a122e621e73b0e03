//! The one place that parses dates and times from text and converts chrono values to the
//! integers polars stores (days since 1970-01-01 for dates, milliseconds for datetimes).

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

/// The epoch polars counts dates from.
fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// Parses an ISO date `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

/// Parses a local date-time `YYYY-MM-DD HH:MM[:SS]`, with a space or `T` between date and time.
pub fn parse_datetime(text: &str) -> Option<NaiveDateTime> {
    let t = text.trim();
    const FORMATS: [&str; 4] = [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ];
    FORMATS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok())
}

/// A time stamp that may be a full date-time or only a date (as fluid logs often are).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stamp {
    At(NaiveDateTime),
    Day(NaiveDate),
}

impl Stamp {
    pub fn date(self) -> NaiveDate {
        match self {
            Stamp::At(dt) => dt.date(),
            Stamp::Day(d) => d,
        }
    }
}

/// Parses a date-time, or a bare date.
pub fn parse_stamp(text: &str) -> Option<Stamp> {
    parse_datetime(text)
        .map(Stamp::At)
        .or_else(|| parse_date(text).map(Stamp::Day))
}

/// Days since 1970-01-01, as polars stores a `Date`.
pub fn to_days(d: NaiveDate) -> i32 {
    // Any date chrono can hold is within ±262,143 years: the day count fits in i32.
    (d - epoch()).num_days() as i32
}

/// The date polars' day count stands for.
pub fn from_days(days: i32) -> NaiveDate {
    epoch() + chrono::Duration::days(i64::from(days))
}

/// Milliseconds since 1970-01-01 00:00, as polars stores a `Datetime(ms)` without a zone.
pub fn to_millis(dt: NaiveDateTime) -> i64 {
    dt.and_utc().timestamp_millis()
}

/// Midnight of a date.
pub fn midnight(d: NaiveDate) -> NaiveDateTime {
    d.and_time(NaiveTime::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_separators_and_optional_seconds() {
        let want = NaiveDate::from_ymd_opt(2025, 7, 3)
            .unwrap()
            .and_hms_opt(6, 5, 0)
            .unwrap();
        assert_eq!(parse_datetime("2025-07-03 06:05"), Some(want));
        assert_eq!(parse_datetime("2025-07-03T06:05:00"), Some(want));
        assert_eq!(parse_datetime("2025-07-03 6:5"), Some(want));
        assert_eq!(parse_datetime("03/07/2025 06:05"), None);
    }

    #[test]
    fn day_counts_match_polars_epoch() {
        assert_eq!(to_days(NaiveDate::from_ymd_opt(1970, 1, 2).unwrap()), 1);
        assert_eq!(to_days(NaiveDate::from_ymd_opt(2000, 1, 1).unwrap()), 10957);
        assert_eq!(
            from_days(10957),
            NaiveDate::from_ymd_opt(2000, 1, 1).unwrap()
        );
    }

    #[test]
    fn stamp_accepts_a_bare_date() {
        let d = NaiveDate::from_ymd_opt(2025, 7, 3).unwrap();
        assert_eq!(parse_stamp("2025-07-03"), Some(Stamp::Day(d)));
        assert_eq!(parse_stamp("2025-07-03 12:00").map(Stamp::date), Some(d));
    }
}
