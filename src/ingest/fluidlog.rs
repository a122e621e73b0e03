//! Generic fluid logs (hydration apps, spreadsheets): a time or date column and a volume
//! whose unit is in the header (`volume (ml)`, `water (fl oz)`, `amount (cups)`, `l`) or in a
//! `unit` column. A volume without a stated unit is rejected, never guessed.

use super::checks::limits;
use super::format::{
    opt, starts, Ctx, Field, Format, Mapping, Recognise, Table, ML_PER_US_CUP, ML_PER_US_FL_OZ,
};
use super::text::Record;
use super::types::Kind;
use crate::dates;

/// Generic fluid logs with the volume's unit in the header or a unit column.
pub static FORMAT: Format = Format {
    name: "fluid-log",
    kind: Some(Kind::Fluids),
    recognise: Recognise::Header(FIELDS),
    read,
    locate_header: None,
    checks_own_rows: false,
};

pub const FIELDS: &[Field] = &[
    starts("time", &["time", "date", "timestamp", "datetime"], true),
    starts(
        "volume",
        &["volume", "amount", "water", "intake", "fluid"],
        true,
    ),
    opt("unit", &["unit", "units"]),
    // A separate date column beside a time-of-day `time` column (`date,time,amount,…`).
    opt("day", &["date", "day"]),
    opt("drink", &["drink", "beverage"]),
    starts("sodium", &["sodium"], false),
];

/// Millilitres per unit, from a unit name as written in a header or a unit column.
pub fn ml_per_unit(unit: &str) -> Option<f64> {
    let u = unit
        .trim()
        .trim_matches(|c| c == '(' || c == ')' || c == '[' || c == ']')
        .to_lowercase()
        .replace(['.', '_'], " ");
    let u = u.split_whitespace().collect::<Vec<_>>().join(" ");
    match u.as_str() {
        "ml" | "millilitre" | "milliliter" | "millilitres" | "milliliters" => Some(1.0),
        "cl" => Some(10.0),
        "dl" => Some(100.0),
        "l" | "litre" | "liter" | "litres" | "liters" => Some(1000.0),
        "fl oz" | "floz" | "oz" | "fl oz us" | "fluid ounces" => Some(ML_PER_US_FL_OZ),
        "cup" | "cups" | "cup us" => Some(ML_PER_US_CUP),
        _ => None,
    }
}

/// The unit in parentheses or brackets at the end of a header, if any.
fn header_unit(h: &str) -> Option<&str> {
    let open = h.rfind(['(', '['])?;
    Some(&h[open..])
}

pub fn read(ctx: &mut Ctx, t: &Table) {
    let (header, m, data) = (t.header, t.mapping, t.data);
    let from_header = m
        .header(header, "volume")
        .and_then(header_unit)
        .and_then(|u| ml_per_unit(u).map(|f| (u.to_string(), f)));
    ctx.report.units = Some(match (&from_header, m.index("unit")) {
        (Some((u, _)), _) => format!(
            "volume in {} (from the header)",
            u.trim_matches(|c| matches!(c, '(' | ')' | '[' | ']'))
        ),
        (None, Some(_)) => "volume unit from the unit column, per row".into(),
        (None, None) => {
            "NONE STATED: rows are rejected (name the unit in the header, e.g. volume (ml))".into()
        }
    });
    ctx.report.time_zone = Some("local time as written".into());
    for rec in data {
        let result = (|| {
            let t = m.cell(rec, "time").ok_or("time is empty")?;
            let stamp = stamp(m, rec, t)?;
            let x = ctx.num(m, rec, "volume")?.ok_or("volume is empty")?;
            let per = match (&from_header, m.cell(rec, "unit")) {
                (Some((_, f)), _) => *f,
                (None, Some(u)) => ml_per_unit(u)
                    .ok_or_else(|| format!("unit {u:?} is not a known volume unit"))?,
                (None, None) => return Err("the volume's unit is not stated".into()),
            };
            let ml = x * per;
            if ml <= 0.0 || ml > limits::VOLUME_ML.1 {
                return Err(format!(
                    "volume {ml:.0} ml is outside the plausible range 0–{}",
                    limits::VOLUME_ML.1
                ));
            }
            let sodium = ctx.num(m, rec, "sodium")?;
            ctx.canonical
                .add_fluid(&ctx.athlete, stamp, ml, m.cell(rec, "drink"), sodium)
        })();
        ctx.account(rec.line, result);
    }
}

/// A row's time: the `time` cell as a date or date-time, or — when the log has a separate
/// date column — that date with the `time` cell as its time of day.
fn stamp(m: &Mapping, rec: &Record, t: &str) -> Result<dates::Stamp, String> {
    let day_column = m.index("day").filter(|d| Some(*d) != m.index("time"));
    if let Some(stamp) = dates::parse_stamp(t) {
        return Ok(stamp);
    }
    let clock = ["%H:%M:%S", "%H:%M"]
        .iter()
        .find_map(|f| chrono::NaiveTime::parse_from_str(t.trim(), f).ok());
    match (day_column, clock) {
        (Some(_), Some(clock)) => {
            let d = m.cell(rec, "day").ok_or("date is empty")?;
            let day = dates::parse_date(d).ok_or_else(|| format!("date {d:?} is not a date"))?;
            Ok(dates::Stamp::At(day.and_time(clock)))
        }
        _ => Err(format!("time {t:?} is not a date or date-time")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separate_date_and_time_columns() {
        // Issue 16: `date,time,amount,unit,drink` rows were all rejected ("time "08:00" is
        // not a date or date-time").
        let header: Vec<String> = ["date", "time", "amount", "unit", "drink"]
            .map(String::from)
            .to_vec();
        let (m, missing) = Mapping::build(FIELDS, &header);
        assert!(missing.is_empty());
        let rec = Record {
            line: 2,
            end_line: 2,
            cells: ["2025-06-01", "08:00", "250", "ml", "water"]
                .map(String::from)
                .to_vec(),
        };
        let want = dates::parse_datetime("2025-06-01 08:00:00").unwrap();
        assert_eq!(stamp(&m, &rec, "08:00"), Ok(dates::Stamp::At(want)));
        // A time of day without a date column stays an error.
        let (m1, _) = Mapping::build(FIELDS, &["time".to_string(), "volume (ml)".to_string()]);
        assert!(stamp(&m1, &rec, "08:00").is_err());
    }

    #[test]
    fn units_convert() {
        assert_eq!(ml_per_unit("(ml)"), Some(1.0));
        assert_eq!(ml_per_unit("[L]"), Some(1000.0));
        assert_eq!(ml_per_unit("fl oz"), Some(29.5735295625));
        assert_eq!(ml_per_unit("cups"), Some(236.5882365));
        assert_eq!(ml_per_unit("gallons"), None);
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// No text makes the unit parser panic; a known unit is known in any case, padding
        /// and brackets, with the same factor.
        #[test]
        fn units_are_read_in_any_spelling(
            t in any::<String>(),
            unit in prop::sample::select(vec!["ml", "cl", "dl", "l", "litres", "fl oz", "fl_oz_us", "oz", "cups"]),
            upper in any::<bool>(),
            wrap in prop::sample::select(vec![("", ""), ("(", ")"), ("[", "]"), (" ", "  ")]),
        ) {
            let _ = ml_per_unit(&t);
            let spelled = if upper { unit.to_uppercase() } else { unit.to_string() };
            let written = format!("{}{spelled}{}", wrap.0, wrap.1);
            let want = ml_per_unit(unit);
            prop_assert!(want.is_some());
            prop_assert_eq!(ml_per_unit(&written), want);
        }
    }
}
