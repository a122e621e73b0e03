//! Planned sessions: the plan CSV (`athlete,date,start,sport,duration_min` and one of
//! `rpe`/`avg_hr`/`load`; optional `indoor`, `location`) and the one-off `--session` text.
//! Each row becomes a `PlannedSession` or a rejection naming file, line and problem; the
//! checks that need the other inputs (known athlete, weather for the hours) are `plan`'s.

use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use super::checks::{self, limits};
use super::format::sport_name;
use super::text;
use super::types::Rejection;

/// One planned session, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedSession {
    /// As written (resolved against the inputs' athletes by `plan`).
    pub athlete: String,
    pub start: NaiveDateTime,
    /// The model's sport name; indoor sessions carry the `indoor` marker (`indoor run`).
    pub sport: String,
    pub duration_min: f64,
    pub rpe: Option<f64>,
    pub avg_hr: Option<f64>,
    pub load: Option<f64>,
    pub indoor: bool,
    /// A weather place other than the athlete's own (`athletes.toml` `location`).
    pub location: Option<String>,
    /// Where it came from: `plan.csv:3` or `--session`.
    pub source: String,
}

impl PlannedSession {
    pub fn date(&self) -> NaiveDate {
        self.start.date()
    }
}

/// The model's name of a planned sport; an indoor session gets the `indoor` marker unless
/// its name has one (whether the model knows the sport is checked by `plan::check`).
fn sport(raw: &str, indoor: bool) -> Result<String, String> {
    let name = sport_name(raw);
    if name.is_empty() {
        return Err("no sport".to_string());
    }
    let marked = ["treadmill", "virtual", "indoor"]
        .iter()
        .any(|m| name.contains(m));
    Ok(if indoor && !marked {
        format!("indoor {name}")
    } else {
        name
    })
}

fn duration(minutes: f64) -> Result<f64, String> {
    if minutes > limits::DURATION_MIN.1 {
        return Err(format!(
            "a session of {minutes} min ({:.1} h) is longer than a day",
            minutes / 60.0
        ));
    }
    checks::value("duration_min", minutes, limits::DURATION_MIN).and_then(|m| {
        if m > 0.0 {
            Ok(m)
        } else {
            Err("duration_min must be more than 0".to_string())
        }
    })
}

/// (rpe, avg_hr, load), at least one known.
type Intensity = (Option<f64>, Option<f64>, Option<f64>);

fn intensity(
    rpe: Option<f64>,
    avg_hr: Option<f64>,
    load: Option<f64>,
) -> Result<Intensity, String> {
    if rpe.is_none() && avg_hr.is_none() && load.is_none() {
        return Err("no intensity: give one of rpe (0–10), avg_hr (bpm) or load".to_string());
    }
    Ok((
        checks::optional("rpe", rpe, limits::RPE)?,
        checks::optional("avg_hr", avg_hr, limits::HR)?,
        checks::optional("load", load, limits::LOAD)?,
    ))
}

fn parse_bool(t: &str) -> Result<bool, String> {
    match t.trim().to_ascii_lowercase().as_str() {
        "" | "0" | "false" | "no" | "n" | "outdoor" => Ok(false),
        "1" | "true" | "yes" | "y" | "indoor" => Ok(true),
        other => Err(format!("indoor {other:?} is not yes/no")),
    }
}

fn parse_start(date: Option<&str>, start: &str) -> Result<NaiveDateTime, String> {
    let start = start.trim();
    if let Some(dt) = crate::dates::parse_datetime(start) {
        return Ok(dt);
    }
    let date = date
        .filter(|d| !text::is_blank(d))
        .ok_or_else(|| format!("start {start:?} has no date (give a date column)"))?;
    let day = crate::dates::parse_date(date)
        .ok_or_else(|| format!("date {:?} is not a date (YYYY-MM-DD)", date.trim()))?;
    let time = NaiveTime::parse_from_str(start, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(start, "%H:%M:%S"))
        .map_err(|_| format!("start {start:?} is not a time of day (HH:MM)"))?;
    Ok(day.and_time(time))
}

fn number(cell: Option<&str>, what: &str) -> Result<Option<f64>, String> {
    match cell {
        None => Ok(None),
        Some(t) => text::number(t, text::Decimal::Point).map_err(|e| format!("{what}: {e}")),
    }
}

/// Reads a plan CSV: the sessions, and the rows refused with their reasons.
pub fn read_plan_csv(path: &Path) -> anyhow::Result<(Vec<PlannedSession>, Vec<Rejection>)> {
    let bytes = text::read_limited(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let decoded = text::decode(&bytes);
    let first_line = decoded.text.lines().next().unwrap_or("");
    let (records, stopped) = text::records(&decoded.text, text::sniff_delimiter(first_line));
    let file = path.display().to_string();
    let mut records = records.into_iter();
    let header: Vec<String> = match records.next() {
        Some(h) => h.cells.iter().map(|c| text::header_key(c)).collect(),
        None => anyhow::bail!("{file}: the plan is empty (expected a header row)"),
    };
    let idx = |name: &str| header.iter().position(|h| h == name);
    let missing: Vec<&str> = ["athlete", "start", "sport", "duration_min"]
        .into_iter()
        .filter(|c| idx(c).is_none())
        .collect();
    anyhow::ensure!(
        missing.is_empty(),
        "{file}: line 1: the plan has no column {} (a plan needs athlete, date, start, sport, \
         duration_min and one of rpe, avg_hr, load; see docs/planning.md)",
        missing.join(", ")
    );
    let mut sessions = Vec::new();
    let mut rejected = Vec::new();
    for rec in records {
        let cell = |name: &str| {
            idx(name)
                .and_then(|i| rec.cells.get(i))
                .map(String::as_str)
                .filter(|t| !text::is_blank(t))
        };
        let row = || -> Result<PlannedSession, String> {
            let athlete = cell("athlete").ok_or("no athlete")?.trim().to_string();
            let start = parse_start(cell("date"), cell("start").ok_or("no start")?)?;
            checks::time("start", start, None)?;
            let indoor = parse_bool(cell("indoor").unwrap_or(""))?;
            let sport = sport(cell("sport").ok_or("no sport")?, indoor)?;
            let minutes = number(cell("duration_min"), "duration_min")?.ok_or("no duration_min")?;
            let (rpe, avg_hr, load) = intensity(
                number(cell("rpe"), "rpe")?,
                number(cell("avg_hr"), "avg_hr")?,
                number(cell("load"), "load")?,
            )?;
            Ok(PlannedSession {
                athlete,
                start,
                sport,
                duration_min: duration(minutes)?,
                rpe,
                avg_hr,
                load,
                indoor,
                location: cell("location").map(|l| l.trim().to_string()),
                source: format!("{file}:{}", rec.line),
            })
        };
        match row() {
            Ok(s) => sessions.push(s),
            Err(reason) => rejected.push(Rejection {
                file: file.clone(),
                line: Some(rec.line),
                reason,
            }),
        }
    }
    if let Some((line, reason)) = stopped {
        rejected.push(Rejection {
            file,
            line: Some(line),
            reason,
        });
    }
    Ok((sessions, rejected))
}

/// Parses `--session "2025-08-04 07:00 run 120min rpe7"`: date, time, sport, duration
/// (`120min`, `2h`, `1h30`), intensity (`rpe7`, `hr150`, `load300`), and optionally
/// `indoor`. `athlete` is the `--athlete` given with it.
pub fn parse_session(spec: &str, athlete: &str) -> Result<PlannedSession, String> {
    let words: Vec<&str> = spec.split_whitespace().collect();
    let usage = || {
        format!(
            "--session {spec:?}: expected \"DATE HH:MM SPORT DURATION INTENSITY [indoor]\", \
             e.g. \"2025-08-04 07:00 run 120min rpe7\""
        )
    };
    if words.len() < 4 {
        return Err(usage());
    }
    let start = parse_start(Some(words[0]), words[1]).map_err(|e| format!("--session: {e}"))?;
    let indoor = words[4..].iter().any(|w| w.eq_ignore_ascii_case("indoor"));
    // The sport may be several words ("indoor ride"); the duration is the first word after it
    // that reads as one.
    let dur_at = (3..words.len())
        .find(|&i| duration_word(words[i]).is_some())
        .ok_or_else(usage)?;
    let sport =
        sport(&words[2..dur_at].join(" "), indoor).map_err(|e| format!("--session: {e}"))?;
    let minutes = duration_word(words[dur_at]).ok_or_else(usage)?;
    let (mut rpe, mut hr, mut load) = (None, None, None);
    for w in &words[dur_at + 1..] {
        let lower = w.to_ascii_lowercase();
        let num = |p: &str| lower.strip_prefix(p).and_then(|n| n.parse::<f64>().ok());
        if let Some(x) = num("rpe") {
            rpe = Some(x);
        } else if let Some(x) = num("hr") {
            hr = Some(x);
        } else if let Some(x) = num("load") {
            load = Some(x);
        } else if lower != "indoor" {
            return Err(format!(
                "--session: {w:?} is not rpeN, hrN, loadN or indoor"
            ));
        }
    }
    let (rpe, avg_hr, load) = intensity(rpe, hr, load).map_err(|e| format!("--session: {e}"))?;
    Ok(PlannedSession {
        athlete: athlete.to_string(),
        start,
        sport,
        duration_min: duration(minutes).map_err(|e| format!("--session: {e}"))?,
        rpe,
        avg_hr,
        load,
        indoor,
        location: None,
        source: "--session".to_string(),
    })
}

/// `120min`, `90m`, `2h`, `1h30`, `1.5h` → minutes.
fn duration_word(w: &str) -> Option<f64> {
    let w = w.to_ascii_lowercase();
    if let Some(m) = w.strip_suffix("min").or_else(|| w.strip_suffix('m')) {
        return m.parse().ok();
    }
    if let Some(h) = w.strip_suffix('h') {
        return h.parse::<f64>().ok().map(|h| h * 60.0);
    }
    let (h, m) = w.split_once('h')?;
    Some(h.parse::<f64>().ok()? * 60.0 + m.parse::<f64>().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_text() {
        let s = parse_session("2025-08-04 07:00 run 120min rpe7", "ana").unwrap();
        assert_eq!(s.start.to_string(), "2025-08-04 07:00:00");
        assert_eq!(s.sport, "run");
        assert_eq!(s.duration_min, 120.0);
        assert_eq!(s.rpe, Some(7.0));
        let s = parse_session("2025-08-04 18:30 ride 1h30 hr140 indoor", "ben").unwrap();
        assert_eq!(s.sport, "indoor ride");
        assert_eq!(s.duration_min, 90.0);
        assert_eq!(s.avg_hr, Some(140.0));
        assert!(parse_session("2025-08-04 07:00 run 120min", "ana")
            .unwrap_err()
            .contains("no intensity"));
        assert!(parse_session("2025-08-04 07:00 run 30h rpe5", "ana")
            .unwrap_err()
            .contains("longer than a day"));
    }

    #[test]
    fn plan_rows_are_used_or_refused_with_a_reason() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("plan.csv");
        std::fs::write(
            &p,
            "athlete,date,start,sport,duration_min,rpe,avg_hr,load,indoor,location\n\
             ana,2025-09-01,07:00,run,60,6,,,,\n\
             ana,2025-09-01,07:00,run,1800,6,,,,\n\
             ana,2025-09-02,07:00,quidditch,60,6,,,,\n\
             ana,2025-09-02,25:00,run,60,6,,,,\n\
             ana,2025-09-03,07:00,ride,60,,,,yes,\n\
             ben,2025-09-03,07:00,ride,60,,,200,yes,oslo\n",
        )
        .unwrap();
        let (ok, bad) = read_plan_csv(&p).unwrap();
        assert_eq!(ok[1].sport, "quidditch");
        assert_eq!(ok[2].sport, "indoor ride");
        assert_eq!(ok[2].location.as_deref(), Some("oslo"));
        let reasons: Vec<(u64, &str)> = bad
            .iter()
            .map(|r| (r.line.unwrap(), r.reason.as_str()))
            .collect();
        // quidditch is read (plan::check refuses unknown sports, knowing the model's).
        assert_eq!(ok.len(), 3);
        assert_eq!(reasons.len(), 3, "{reasons:?}");
        assert_eq!(reasons[0].0, 3);
        assert!(reasons[0].1.contains("30.0 h) is longer than a day"));
        assert!(reasons[1].1.contains("not a time of day"));
        assert!(reasons[2].1.contains("no intensity"));
    }
}
