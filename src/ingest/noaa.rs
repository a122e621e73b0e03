//! NOAA Climate Data Online: GHCN-Daily CSV (`STATION,NAME,DATE,…,TMAX,TMIN`, every field
//! quoted, °F in "standard" orders and °C in "metric" ones, missing days simply absent) and
//! Local Climatological Data hourly CSV (`HourlyDryBulbTemperature` in whole °F, local
//! standard time, values with flag suffixes such as `s`).

use super::checks::limits;
use super::format::{
    f_to_c, opt, req, Ctx, Field, Format, Mapping, Recognise, Table, Units, KM_PER_MILE,
};
use super::text::{self, Decimal, Record};
use super::types::Kind;
use crate::dates::{self, Stamp};

/// NOAA GHCN-Daily CSV.
pub static GHCN: Format = Format {
    name: "noaa-ghcn",
    kind: Some(Kind::WeatherDaily),
    recognise: Recognise::Header(GHCN_FIELDS),
    read: read_ghcn,
    locate_header: None,
    checks_own_rows: false,
};

/// NOAA Local Climatological Data hourly CSV.
pub static LCD: Format = Format {
    name: "noaa-lcd",
    kind: Some(Kind::WeatherHourly),
    recognise: Recognise::Header(LCD_FIELDS),
    read: read_lcd,
    locate_header: None,
    checks_own_rows: false,
};

pub const GHCN_FIELDS: &[Field] = &[
    req("station", &["STATION"]),
    req("date", &["DATE"]),
    req("tmax", &["TMAX"]),
    opt("name", &["NAME"]),
    opt("tmin", &["TMIN"]),
    opt("prcp", &["PRCP"]),
];

pub const LCD_FIELDS: &[Field] = &[
    req("station", &["STATION"]),
    req("date", &["DATE"]),
    req("temp", &["HourlyDryBulbTemperature"]),
    opt("rh", &["HourlyRelativeHumidity"]),
    opt("dew", &["HourlyDewPointTemperature"]),
    opt("wind", &["HourlyWindSpeed"]),
    opt("report_type", &["REPORT_TYPE"]),
];

/// GHCN's unit system: `--units`, else a TMAX above 60 (impossible in °C) or PRCP written
/// with two decimals (inches; metric orders write mm with one) means standard (°F).
fn ghcn_units(ctx: &mut Ctx, m: &Mapping, data: &[Record]) -> Units {
    if let Some(u) = ctx.opts.units {
        ctx.report.units = Some(format!("{} (--units)", u.name()));
        return u;
    }
    let tmax_over_60 = data.iter().any(|r| {
        m.cell(r, "tmax")
            .and_then(|t| t.parse::<f64>().ok())
            .is_some_and(|t| t > 60.0)
    });
    let decimals = |r: &Record| {
        m.cell(r, "prcp")
            .and_then(|t| t.split_once('.'))
            .map(|(_, f)| f.len())
    };
    let prcp2 = data.iter().filter(|r| decimals(r) == Some(2)).count();
    let prcp1 = data.iter().filter(|r| decimals(r) == Some(1)).count();
    let (u, why) = if tmax_over_60 {
        (
            Units::Imperial,
            "a TMAX above 60 can only be °F".to_string(),
        )
    } else if prcp2 > prcp1 {
        (
            Units::Imperial,
            "PRCP in inches (two decimals): a \"standard units\" order".to_string(),
        )
    } else if prcp1 > prcp2 {
        (
            Units::Metric,
            "PRCP in mm (one decimal): a \"metric units\" order".to_string(),
        )
    } else {
        (
            Units::Imperial,
            "ASSUMED standard units, CDO's default; give --units metric for a metric order"
                .to_string(),
        )
    };
    ctx.report.units = Some(format!(
        "{} (°{}; {why})",
        u.name(),
        if u == Units::Imperial { "F" } else { "C" }
    ));
    u
}

pub fn read_ghcn(ctx: &mut Ctx, t: &Table) {
    let (m, data) = (t.mapping, t.data);
    let units = ghcn_units(ctx, m, data);
    ctx.report.time_zone = Some("station dates (local days)".to_string());
    let to_c = |x: f64| match units {
        Units::Imperial => f_to_c(x),
        Units::Metric => x,
    };
    let mut stations: Vec<String> = Vec::new();
    for rec in data {
        if let Some(s) = m.cell(rec, "name").or(m.cell(rec, "station")) {
            if !stations.iter().any(|x| x == s) {
                stations.push(s.to_string());
            }
        }
        let result = (|| {
            let t = m.cell(rec, "date").ok_or("DATE is empty")?;
            let date = dates::parse_date(t).ok_or_else(|| format!("DATE {t:?} is not a date"))?;
            let num = |c: &str| match m.cell(rec, c) {
                None => Ok(None),
                Some(t) => text::number(t, Decimal::Point).map_err(|e| format!("{c}: {e}")),
            };
            let tmax = num("tmax")?.ok_or("TMAX is empty (not reported that day)")?;
            let tmax = to_c(tmax);
            if tmax < limits::TEMP_C.0 || tmax > limits::TEMP_C.1 {
                return Err(format!("TMAX {tmax:.1} °C is outside the plausible range"));
            }
            let tmin = num("tmin")?.map(to_c);
            let src = ctx.src(rec.line);
            ctx.canonical
                .add_weather_day("", date, tmax, tmin, None, src)
        })();
        ctx.account(rec.line, result);
    }
    ctx.note(format!(
        "station(s) {}; weather applies to every athlete",
        stations.join(", ")
    ));
}

/// An LCD value: whole numbers with optional flag suffixes (`s` suspect, `V` variable), `T`
/// for a trace, `*` and empty for missing.
fn lcd_number(t: &str) -> Option<f64> {
    let t = t
        .trim()
        .trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == '*');
    t.parse().ok().filter(|x: &f64| x.is_finite())
}

/// Relative humidity (%) from air and dew-point temperature (°C), Magnus formula with
/// Alduchov & Eskridge (1996) coefficients.
fn rh_from_dew(t: f64, td: f64) -> f64 {
    let e = |x: f64| (17.625 * x / (243.04 + x)).exp();
    100.0 * e(td) / e(t)
}

/// LCD's unit system. The classic CDO order writes whole °F and mph; the newer "access"
/// layout writes °C (tenths) and metric wind under the same column names. `--units` decides
/// when given; else the rows' own physics: the humidity the file states must match the one
/// its dry-bulb and dew-point temperatures give, which holds in only one unit system; else
/// temperatures written with decimals (°C tenths; °F is whole); else °F, said to be assumed.
fn lcd_units(ctx: &mut Ctx, m: &Mapping, data: &[Record]) -> Units {
    if let Some(u) = ctx.opts.units {
        ctx.report.units = Some(format!("{} (--units)", u.name()));
        return u;
    }
    let (mut err_c, mut err_f, mut n) = (0.0, 0.0, 0usize);
    let mut decimals = false;
    for r in data {
        let temp = m.cell(r, "temp").and_then(lcd_number);
        if m.cell(r, "temp").is_some_and(|t| t.contains('.')) {
            decimals = true;
        }
        let dew = m.cell(r, "dew").and_then(lcd_number);
        let rh = m.cell(r, "rh").and_then(lcd_number);
        if let (Some(t), Some(td), Some(rh)) = (temp, dew, rh) {
            if td <= t {
                err_c += (rh_from_dew(t, td) - rh).abs();
                err_f += (rh_from_dew(f_to_c(t), f_to_c(td)) - rh).abs();
                n += 1;
            }
        }
    }
    let (u, why) = if n > 0 && (err_c - err_f).abs() / n as f64 > 2.0 {
        let u = if err_c < err_f {
            Units::Metric
        } else {
            Units::Imperial
        };
        (
            u,
            format!(
                "detected: the stated humidity matches the dew point in {} (mean error {:.1} vs {:.1} points over {n} reports)",
                if u == Units::Metric { "°C" } else { "°F" },
                (err_c.min(err_f)) / n as f64,
                (err_c.max(err_f)) / n as f64
            ),
        )
    } else if decimals {
        (
            Units::Metric,
            "detected: temperatures in tenths, as only the metric (°C) layout writes them".into(),
        )
    } else {
        (
            Units::Imperial,
            "ASSUMED: whole numbers and no dew point to check against; give --units metric for the °C layout".into(),
        )
    };
    ctx.report.units = Some(match u {
        Units::Metric => format!("metric (°C, wind m/s; {why})"),
        Units::Imperial => format!("imperial (whole °F, mph; {why})"),
    });
    u
}

pub fn read_lcd(ctx: &mut Ctx, t: &Table) {
    let (m, data) = (t.mapping, t.data);
    let units = lcd_units(ctx, m, data);
    ctx.report.time_zone =
        Some("local standard time as written (LCD does not shift for daylight saving)".into());
    for rec in data {
        let result = (|| {
            let t = m.cell(rec, "date").ok_or("DATE is empty")?;
            let time = match dates::parse_stamp(t) {
                Some(Stamp::At(dt)) => dt,
                _ => return Err(format!("DATE {t:?} is not a date-time")),
            };
            let raw = m
                .cell(rec, "temp")
                .ok_or("HourlyDryBulbTemperature is empty")?;
            let value = lcd_number(raw)
                .ok_or_else(|| format!("HourlyDryBulbTemperature {raw:?} is not a number"))?;
            let temp = match units {
                Units::Imperial => f_to_c(value),
                Units::Metric => value,
            };
            if temp < limits::TEMP_C.0 || temp > limits::TEMP_C.1 {
                return Err(format!(
                    "temperature {temp:.1} °C is outside the plausible range"
                ));
            }
            let rh = m.cell(rec, "rh").and_then(lcd_number);
            // Metric LCD wind is m/s (the ISD unit the access files derive from).
            let wind = m
                .cell(rec, "wind")
                .and_then(lcd_number)
                .map(|w| match units {
                    Units::Imperial => w * KM_PER_MILE,
                    Units::Metric => w * 3.6,
                });
            // Every report is kept at its own time (routine METARs and specials share an
            // hour); the hour's weather is their mean, so a later, hotter report counts.
            let src = ctx.src(rec.line);
            ctx.canonical.add_hour("", time, temp, rh, wind, src)
        })();
        ctx.account(rec.line, result);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn humidity_from_dew_point() {
        // Same air and dew point: saturated.
        assert!((rh_from_dew(20.0, 20.0) - 100.0).abs() < 1e-9);
        // 30 °C with a 20 °C dew point: e_s(20)/e_s(30) = 23.37/42.43 hPa ≈ 55 % (WMO tables).
        assert!((rh_from_dew(30.0, 20.0) - 55.1).abs() < 0.5);
    }
}
