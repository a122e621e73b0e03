//! The one place that parses dates and times from text and converts chrono values to the
//! integers polars stores (days since 1970-01-01 for dates, milliseconds for datetimes).

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};

/// Parses an ISO date `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    fixed_date(t.as_bytes()).or_else(|| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok())
}

/// The value of ASCII digits, `None` if any byte is not one.
fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |n, &c| {
        c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
    })
}

/// Fast path for the shape nearly every file uses, `YYYY-MM-DD` exactly: read without
/// chrono's format interpreter (millions of rows). Anything else — and any impossible date —
/// returns `None` and goes to chrono, so what is accepted, and how, does not change.
fn fixed_date(b: &[u8]) -> Option<NaiveDate> {
    let b: &[u8; 10] = b.try_into().ok()?;
    // The date read last on this thread: a log's rows of one day follow each other (a fluid
    // log has several a day), and reading the digits and checking the calendar again was
    // about a twelfth of such a log's parsing thread (perf, 1,000 athletes).
    thread_local! {
        static LAST: std::cell::Cell<Option<([u8; 10], NaiveDate)>> =
            const { std::cell::Cell::new(None) };
    }
    if let Some((text, date)) = LAST.get() {
        if text == *b {
            return Some(date);
        }
    }
    if b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y = digits(&b[0..4])?;
    let date = NaiveDate::from_ymd_opt(
        i32::try_from(y).ok()?,
        digits(&b[5..7])?,
        digits(&b[8..10])?,
    )?;
    LAST.set(Some((*b, date)));
    Some(date)
}

/// Fast path for `YYYY-MM-DD HH:MM[:SS]` (space or `T`), as `fixed_date`. Seconds of 60
/// (chrono's leap second) are left to chrono.
fn fixed_datetime(b: &[u8]) -> Option<NaiveDateTime> {
    if !(b.len() == 16 || b.len() == 19) || !(b[10] == b' ' || b[10] == b'T') || b[13] != b':' {
        return None;
    }
    let date = fixed_date(&b[..10])?;
    let seconds = if b.len() == 19 {
        if b[16] != b':' {
            return None;
        }
        digits(&b[17..19]).filter(|s| *s < 60)?
    } else {
        0
    };
    date.and_hms_opt(digits(&b[11..13])?, digits(&b[14..16])?, seconds)
}

/// Parses a local date-time `YYYY-MM-DD HH:MM[:SS]`, with a space or `T` between date and time.
pub fn parse_datetime(text: &str) -> Option<NaiveDateTime> {
    let t = text.trim();
    if let Some(dt) = fixed_datetime(t.as_bytes()) {
        return Some(dt);
    }
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
    // Counted from 1 January of year 1 (chrono's own day number, no date arithmetic): it is
    // read for every row of every file, and the difference of two dates built the epoch and
    // a duration each time. Any date chrono holds is within ±262,143 years: it fits in i32.
    d.num_days_from_ce() - EPOCH_DAYS_FROM_CE
}

/// 1970-01-01, polars' day 0, as chrono's day number from 1 January of year 1.
const EPOCH_DAYS_FROM_CE: i32 = 719_163;

/// The date polars' day count stands for (clamped to chrono's range, so it never panics).
pub fn from_days(days: i32) -> NaiveDate {
    days.checked_add(EPOCH_DAYS_FROM_CE)
        .and_then(NaiveDate::from_num_days_from_ce_opt)
        .unwrap_or(if days < 0 {
            NaiveDate::MIN
        } else {
            NaiveDate::MAX
        })
}

/// Milliseconds since 1970-01-01 00:00, as polars stores a `Datetime(ms)` without a zone.
pub fn to_millis(dt: NaiveDateTime) -> i64 {
    dt.and_utc().timestamp_millis()
}

/// The wall-clock time in `tz` of the UTC instant `utc`, or why there is none: an instant
/// within hours of chrono's range ends (±262,000 years) has no local time there, and chrono's
/// own conversions panic on it.
pub fn local_in<Tz: chrono::TimeZone>(
    utc: NaiveDateTime,
    tz: &Tz,
) -> Result<NaiveDateTime, String> {
    use chrono::Offset;
    utc.checked_add_offset(tz.offset_from_utc_datetime(&utc).fix())
        .ok_or_else(|| out_of_range(utc))
}

/// The UTC instant of a wall-clock time `offset_s` seconds east of UTC, or why there is none:
/// an offset beyond ±18 h is no time zone's (a corrupt file), and the result must stay within
/// chrono's range.
pub fn utc_from_offset(local: NaiveDateTime, offset_s: i64) -> Result<NaiveDateTime, String> {
    let offset = i32::try_from(offset_s)
        .ok()
        .filter(|o| o.abs() <= MAX_OFFSET_S)
        .and_then(chrono::FixedOffset::east_opt)
        .ok_or_else(|| {
            format!("UTC offset {offset_s} s is not a time-zone offset (at most ±18 h)")
        })?;
    local
        .checked_sub_offset(offset)
        .ok_or_else(|| out_of_range(local))
}

/// The largest UTC offset a time zone has ever had is +14 h; ±18 h is the ISO 8601 bound.
pub const MAX_OFFSET_S: i32 = 18 * 3600;

fn out_of_range(t: NaiveDateTime) -> String {
    format!("{t} is too near the end of the calendar's range to convert between time zones")
}

/// Midnight of a date.
pub fn midnight(d: NaiveDate) -> NaiveDateTime {
    d.and_time(NaiveTime::MIN)
}

/// The start hours tried for the best start (`--between`; by default 06:00–20:00, the hours
/// of daylight at mid-latitudes in the training season — the weather files carry no sun
/// times). A start is tried when the whole session ends by the window's end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StartWindow {
    pub from: NaiveTime,
    pub to: NaiveTime,
}

impl Default for StartWindow {
    fn default() -> Self {
        StartWindow {
            from: NaiveTime::from_hms_opt(6, 0, 0).unwrap_or_default(),
            to: NaiveTime::from_hms_opt(20, 0, 0).unwrap_or_default(),
        }
    }
}

impl StartWindow {
    /// Parses `06:00-20:00`.
    pub fn parse(text: &str) -> Result<StartWindow, String> {
        let bad = || format!("--between {text:?}: expected HH:MM-HH:MM, such as 06:00-20:00");
        let (a, b) = text.split_once('-').ok_or_else(bad)?;
        let t = |x: &str| NaiveTime::parse_from_str(x.trim(), "%H:%M").map_err(|_| bad());
        let w = StartWindow {
            from: t(a)?,
            to: t(b)?,
        };
        if w.from >= w.to {
            return Err(format!(
                "--between {text:?}: the window ends before it starts"
            ));
        }
        Ok(w)
    }

    /// The whole-hour starts of a session of `minutes` on `day` that end within the window.
    pub fn starts(&self, day: NaiveDate, minutes: f64) -> Vec<NaiveDateTime> {
        let end = day.and_time(self.to);
        (0..24)
            .filter_map(|h| NaiveTime::from_hms_opt(h, 0, 0))
            .filter(|t| *t >= self.from)
            .map(|t| day.and_time(t))
            .filter(|st| *st + chrono::Duration::seconds((minutes * 60.0) as i64) <= end)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The last date read is kept per thread: a repeat gives the same date, and a different
    /// text (one byte apart, impossible, or of another shape) is read afresh.
    #[test]
    fn a_repeated_date_reads_the_same_and_a_different_one_afresh() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        for (text, want) in [
            ("2024-02-29", d(2024, 2, 29)),
            ("2024-02-29", d(2024, 2, 29)),
            ("2023-02-29", None),
            ("2024-02-29", d(2024, 2, 29)),
            ("2024-02-28", d(2024, 2, 28)),
            ("2024/02/28", None),
            ("2024-02-28", d(2024, 2, 28)),
            ("2024-02-2", None),
            ("2025-12-31", d(2025, 12, 31)),
        ] {
            assert_eq!(fixed_date(text.as_bytes()), want, "{text}");
            // chrono also reads a one-digit day (`2024-02-2`).
            let by_chrono = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
            assert_eq!(parse_date(text), by_chrono, "{text}");
        }
        assert_eq!(
            parse_datetime("2024-02-29 07:05"),
            d(2024, 2, 29).and_then(|d| d.and_hms_opt(7, 5, 0))
        );
        assert_eq!(parse_datetime("2023-02-29 07:05"), None);
    }

    /// The day numbers are polars' (days since 1970-01-01) and agree with date arithmetic from
    /// the epoch, at chrono's ends too; a number past them is clamped, not a panic.
    #[test]
    fn day_numbers_are_days_since_1970() {
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        assert_eq!(to_days(epoch), 0);
        assert_eq!(
            to_days(NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()),
            19_782
        );
        assert_eq!(to_days(NaiveDate::from_ymd_opt(1969, 12, 31).unwrap()), -1);
        assert_eq!(to_days(NaiveDate::from_ymd_opt(1970, 1, 2).unwrap()), 1);
        assert_eq!(to_days(NaiveDate::from_ymd_opt(2000, 1, 1).unwrap()), 10957);
        assert_eq!(
            from_days(10957),
            NaiveDate::from_ymd_opt(2000, 1, 1).unwrap()
        );
        for d in [
            NaiveDate::MIN,
            NaiveDate::from_ymd_opt(1, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(1900, 3, 1).unwrap(),
            NaiveDate::from_ymd_opt(2000, 2, 29).unwrap(),
            NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            NaiveDate::MAX,
        ] {
            let by_arithmetic = (d - epoch).num_days() as i32;
            assert_eq!(to_days(d), by_arithmetic, "{d}");
            assert_eq!(from_days(by_arithmetic), d, "{d}");
        }
        assert_eq!(from_days(i32::MAX), NaiveDate::MAX);
        assert_eq!(from_days(i32::MIN), NaiveDate::MIN);
    }

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
    fn conversions_at_the_range_ends_fail_with_a_reason() {
        let tokyo: chrono_tz::Tz = "Asia/Tokyo".parse().unwrap();
        // Tokyo is UTC+9 (no DST since 1951): the last UTC instant has no Tokyo time.
        assert!(local_in(NaiveDateTime::MAX, &tokyo)
            .unwrap_err()
            .contains("too near the end"));
        let noon = NaiveDate::from_ymd_opt(2025, 7, 1)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap();
        assert_eq!(
            local_in(noon, &tokyo).unwrap(),
            noon + chrono::Duration::hours(9)
        );
        // 7200 s east of UTC: 12:00 local is 10:00 UTC.
        assert_eq!(
            utc_from_offset(noon, 7200).unwrap(),
            noon - chrono::Duration::hours(2)
        );
        for huge in [i64::MAX, i64::MIN, 1_000_000_000_000_000, 64_801] {
            assert!(
                utc_from_offset(noon, huge)
                    .unwrap_err()
                    .contains("is not a time-zone offset"),
                "{huge}"
            );
        }
        assert!(utc_from_offset(NaiveDateTime::MIN, 3600).is_err());
    }

    #[test]
    fn stamp_accepts_a_bare_date() {
        let d = NaiveDate::from_ymd_opt(2025, 7, 3).unwrap();
        assert_eq!(parse_stamp("2025-07-03"), Some(Stamp::Day(d)));
        assert_eq!(parse_stamp("2025-07-03 12:00").map(Stamp::date), Some(d));
    }

    mod properties {
        use super::super::*;
        use chrono::Datelike;
        use proptest::prelude::*;

        proptest! {
            /// The fast paths give what chrono's format parser gives, for every text of the
            /// fixed shapes (impossible dates and times included), or step aside.
            #[test]
            fn fast_paths_agree_with_chrono(
                y in 0u32..10000, m in 0u32..100, d in 0u32..100, h in 0u32..100,
                mi in 0u32..100, sec in 0u32..100, sep in prop::sample::select(vec![" ", "T"]),
            ) {
                let day = format!("{y:04}-{m:02}-{d:02}");
                let by_chrono = NaiveDate::parse_from_str(&day, "%Y-%m-%d").ok();
                if let Some(fast) = fixed_date(day.as_bytes()) {
                    prop_assert_eq!(Some(fast), by_chrono);
                }
                prop_assert_eq!(parse_date(&day), by_chrono);
                for (text, format) in [
                    (format!("{day}{sep}{h:02}:{mi:02}"), format!("%Y-%m-%d{sep}%H:%M")),
                    (format!("{day}{sep}{h:02}:{mi:02}:{sec:02}"), format!("%Y-%m-%d{sep}%H:%M:%S")),
                ] {
                    let by_chrono = NaiveDateTime::parse_from_str(&text, &format).ok();
                    if let Some(fast) = fixed_datetime(text.as_bytes()) {
                        prop_assert_eq!(Some(fast), by_chrono, "{}", text);
                    }
                    prop_assert_eq!(parse_datetime(&text), by_chrono, "{}", text);
                }
            }

            /// No text makes the parsers panic; whatever they accept is a real calendar date.
            #[test]
            fn parsers_never_panic(text in any::<String>()) {
                if let Some(d) = parse_date(&text) {
                    prop_assert!(NaiveDate::from_ymd_opt(d.year(), d.month(), d.day()).is_some());
                }
                let _ = parse_datetime(&text);
                let _ = parse_stamp(&text);
            }

            /// Near-dates: digits and separators in date shapes, including impossible days.
            #[test]
            fn date_shaped_text_never_panics(
                y in 0u32..10000, m in 0u32..100, d in 0u32..100, h in 0u32..100, mi in 0u32..100,
                sep in prop::sample::select(vec![" ", "T", "  ", "t", ""]),
            ) {
                let text = format!("{y:04}-{m:02}-{d:02}{sep}{h:02}:{mi:02}");
                let parsed = parse_datetime(&text);
                let valid = NaiveDate::from_ymd_opt(y as i32, m, d).is_some() && h < 24 && mi < 60
                    // chrono reads a space in the format as any run of spaces, none included
                    // (`2025-01-0108:00` is accepted); a lowercase `t` is not a `T`.
                    && sep != "t";
                prop_assert_eq!(parsed.is_some(), valid, "{}", text);
            }

            /// A date written as YYYY-MM-DD reads back as itself, and its day count round-trips.
            #[test]
            fn dates_round_trip(days in -700_000i32..2_900_000) {
                // Years 53 to 9909: the four-digit years `%Y` writes.
                let d = from_days(days);
                prop_assert_eq!(to_days(d), days);
                prop_assert_eq!(parse_date(&d.format("%Y-%m-%d").to_string()), Some(d));
            }

            /// Any day count, however far out of range, gives a date and no panic.
            #[test]
            fn from_days_never_panics(days in any::<i32>()) {
                let _ = from_days(days);
            }
        }
    }
}
