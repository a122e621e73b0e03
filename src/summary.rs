//! The terminal summary of a run: each input file with its kind and row counts, the athletes
//! and dates covered, and the highest-risk days. Takes finished data; computes no score.

use polars::prelude::*;
use std::fmt::Write;

use crate::compute::Analysis;
use crate::schema as s;
use crate::view::AthleteSummaries;

/// How many of the highest-risk days to list.
const TOP_DAYS: usize = 5;
// `analyze` keeps the reasons of the team's highest days only: as many as the lists show.
const _: () = assert!(TOP_DAYS <= crate::view::TEAM_DAYS_LISTED);

/// The reading's warnings, one `warning: …` line each (printed on stderr, apart from the
/// summary, which is the run's result).
pub fn warnings(a: &Analysis) -> String {
    a.ingested
        .warnings
        .iter()
        .map(|w| format!("warning: {w}\n"))
        .collect()
}

/// Renders the summary as text; `wrote` are the lines naming the files the run wrote.
pub fn render(
    a: &Analysis,
    athletes: &AthleteSummaries,
    team: &DataFrame,
    wrote: &[String],
) -> anyhow::Result<String> {
    let mut t = String::new();
    writeln!(t, "Inputs:")?;
    for f in &a.ingested.files {
        match (&f.kind, &f.skipped) {
            (_, Some(why)) => writeln!(t, "  {}  SKIPPED: {why}", f.path.display())?,
            (Some(kind), None) => {
                writeln!(
                    t,
                    "  {}  {kind}: {} rows read, {} used, {} rejected",
                    f.path.display(),
                    f.rows_read,
                    f.rows_used,
                    f.rows_rejected
                )?;
                t.push_str(&f.describe());
            }
            (None, None) => writeln!(t, "  {}", f.path.display())?,
        }
    }
    if let Some(p) = &a.ingested.profiles_path {
        writeln!(
            t,
            "  {}  profiles: {} athletes",
            p.display(),
            a.ingested.profiles.athletes.len()
        )?;
    }
    let span = match (athletes.first_date(), athletes.last_date()) {
        (Some(lo), Some(hi)) => format!("{lo} to {hi}"),
        _ => "no days".to_string(),
    };
    writeln!(
        t,
        "Athletes: {}; days: {span}; {} athlete-days",
        athletes.all().len(),
        athletes.day_count()
    )?;
    // The days kept include the team's highest (`view::TEAM_DAYS_LISTED`).
    let df = &a.daily;
    let top = crate::view::highest_days_of_frame(df, TOP_DAYS)?;
    if !top.is_empty() {
        writeln!(
            t,
            "Highest-risk days (risk of a cramp, the range the unknown inputs leave, band):"
        )?;
        let width = name_width(top.iter().map(|d| d.athlete));
        for d in &top {
            let range = match (d.risk_low_pct, d.risk_high_pct) {
                (Some(lo), Some(hi)) => format!("{lo:.1}–{hi:.1}"),
                _ => "-".to_string(),
            };
            writeln!(
                t,
                "  {:<width$} {}  {:>5} %  {:<11}  {}",
                d.athlete,
                d.date,
                fmt1(d.risk_pct),
                format!("({range})"),
                d.band.map_or("", |b| b.name())
            )?;
        }
    }
    if team.height() > 0 {
        render_team(&mut t, team)?;
    }
    for line in wrote {
        writeln!(t, "{line}")?;
    }
    writeln!(
        t,
        "An evidence-informed heuristic, not a diagnosis or medical advice."
    )?;
    Ok(t)
}

/// A number with one decimal; an unknown is "-".
fn fmt1(x: Option<f64>) -> String {
    x.map_or("-".to_string(), |v| format!("{v:.1}"))
}

/// The width of a name column: the longest name, within 7 and 28 characters.
fn name_width<'a>(names: impl Iterator<Item = &'a str>) -> usize {
    names
        .map(|n| n.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(7, 28)
}

/// How many athletes the terminal ranking lists (all are in team_summary.csv).
const RANKED: usize = 15;

/// The athletes ranked as in team_summary.csv, with the notes a coach should see.
fn render_team(t: &mut String, team: &DataFrame) -> anyhow::Result<()> {
    let text = |c: &str| -> anyhow::Result<StringChunked> { Ok(team.column(c)?.str()?.clone()) };
    let int = |c: &str| -> anyhow::Result<Int64Chunked> { Ok(team.column(c)?.i64()?.clone()) };
    let num = |c: &str| -> anyhow::Result<Float64Chunked> { Ok(team.column(c)?.f64()?.clone()) };
    let (names, bands, leads) = (
        text(s::ATHLETE)?,
        text("latest_band")?,
        text("frequent_top_factors")?,
    );
    let (high7, high28) = (int("high_days_last_7")?, int("high_days_last_28")?);
    let (latest, mean7) = (num("latest_risk_pct")?, num("mean_risk_pct_last_7")?);
    let conf7 = num("mean_confidence_last_7")?;
    let (lacks, lacks_days) = (text("missing_most_often")?, int("missing_most_often_days")?);
    let (low, high) = (num("latest_risk_low_pct")?, num("latest_risk_high_pct")?);
    // "*": some input of the last 7 days was unknown and imputed, so the estimate rests on it.
    let mark = |i: usize| {
        if lacks.get(i).is_some_and(|m| !m.is_empty()) {
            "*"
        } else {
            " "
        }
    };
    let latest_day = team.column("latest_day")?.cast(&DataType::Int32)?;
    let latest_day = latest_day.i32()?;
    let as_of = latest_day
        .max()
        .map(|d| crate::dates::from_days(d).to_string())
        .unwrap_or_default();
    writeln!(
        t,
        "Team, week ending {as_of} (ranked by the mean risk of a cramp over the last 7 days, %):"
    )?;
    let shown = team.height().min(RANKED);
    let width = name_width((0..shown).map(|i| names.get(i).unwrap_or("")));
    // "latest" is a number (right-aligned under its heading) and a band (left-aligned, as wide
    // as the longest band name), so the columns after it line up whatever the band.
    let band_width = (0..shown)
        .map(|i| bands.get(i).unwrap_or("").chars().count())
        .max()
        .unwrap_or(0);
    writeln!(
        t,
        "  {:<width$} {:>6} {:>6} {:>7} {:>6} {:<band_width$} {:>7}  most often leading",
        "athlete", "mean 7", "high 7", "high 28", "latest", "", "conf 7"
    )?;
    for i in 0..shown {
        writeln!(
            t,
            "  {:<width$} {:>6} {:>6} {:>7} {:>6} {:<band_width$} {:>6}{}  {}",
            names.get(i).unwrap_or(""),
            fmt1(mean7.get(i)),
            high7.get(i).unwrap_or(0),
            high28.get(i).unwrap_or(0),
            fmt1(latest.get(i)),
            bands.get(i).unwrap_or(""),
            conf7.get(i).map_or("-".to_string(), |c| format!("{c:.2}")),
            mark(i),
            leads.get(i).unwrap_or("")
        )?;
    }
    if (0..shown).any(|i| mark(i) == "*") {
        writeln!(
            t,
            "  conf 7: mean confidence (0–1) over the last 7 days; * an input was unknown and imputed."
        )?;
        writeln!(
            t,
            "What to add (each unknown input widens the range; shown: the one missing on most of the last 7 days):"
        )?;
        for i in (0..shown).filter(|&i| mark(i) == "*") {
            let range = match (low.get(i), high.get(i)) {
                (Some(lo), Some(hi)) => format!("latest range {lo:.1}–{hi:.1} %"),
                _ => "latest range unknown".to_string(),
            };
            writeln!(
                t,
                "  {}: add {} (missing on {} of the last 7 days; {range})",
                names.get(i).unwrap_or(""),
                lacks.get(i).unwrap_or(""),
                lacks_days.get(i).unwrap_or(0)
            )?;
        }
    }
    if team.height() > RANKED {
        writeln!(t, "  … {} more in team_summary.csv", team.height() - RANKED)?;
    }
    let notes = text("location_note")?;
    let defaulted = text("profile_defaulted")?;
    for i in 0..team.height() {
        let name = names.get(i).unwrap_or("");
        if let Some(n) = notes.get(i).filter(|n| !n.is_empty()) {
            writeln!(t, "note: {name}: {n}")?;
        }
        if let Some(d) = defaulted.get(i).filter(|d| !d.is_empty()) {
            writeln!(t, "note: {name}: from [defaults] in athletes.toml: {d}")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn team_table_columns_line_up_whatever_the_band() {
        let team = DataFrame::new_infer_height(vec![
            Column::new(s::ATHLETE.into(), ["Bartholomew", "ana", "Zo"]),
            Column::new("latest_band".into(), [Some("very_high"), Some("low"), None]),
            Column::new(
                "frequent_top_factors".into(),
                ["heat 3 d", "fatigue 1 d", ""],
            ),
            Column::new("high_days_last_7".into(), [3i64, 0, 0]),
            Column::new("high_days_last_28".into(), [12i64, 0, 0]),
            Column::new("latest_risk_pct".into(), [Some(81.5), Some(5.0), None]),
            Column::new(
                "mean_risk_pct_last_7".into(),
                [Some(70.25), Some(5.0), None],
            ),
            Column::new("latest_day".into(), [20240i32, 20240, 20239])
                .cast(&DataType::Date)
                .unwrap(),
            Column::new("location_note".into(), ["", "", ""]),
            Column::new("profile_defaulted".into(), ["", "", ""]),
            Column::new(
                "mean_confidence_last_7".into(),
                [Some(0.8), Some(0.5), None],
            ),
            Column::new("missing_most_often".into(), ["", "fluids log", ""]),
            Column::new("missing_most_often_days".into(), [0i64, 4, 0]),
            Column::new("latest_risk_low_pct".into(), [Some(80.0), Some(2.0), None]),
            Column::new(
                "latest_risk_high_pct".into(),
                [Some(83.0), Some(12.5), None],
            ),
        ])
        .unwrap();
        let mut t = String::new();
        render_team(&mut t, &team).unwrap();
        let lines: Vec<&str> = t.lines().skip(1).take(4).collect();
        // Only ana lacked an input: she gets the mark and the line saying what to add.
        assert!(lines[2].contains(" 0.50*"), "{t}");
        assert!(lines[1].contains(" 0.80 "), "{t}");
        assert!(
            t.contains(
                "  ana: add fluids log (missing on 4 of the last 7 days; latest range 2.0–12.5 %)"
            ),
            "{t}"
        );
        // Each row's leading-factor text starts where the heading does; the latest score's
        // last digit sits under the heading's last letter.
        let lead = lines[0].find("most often leading").unwrap();
        let latest_end = lines[0].find("latest").unwrap() + "latest".len();
        for (line, lead_text, score) in [
            (lines[1], "heat 3 d", "81.5"),
            (lines[2], "fatigue 1 d", "5.0"),
        ] {
            assert_eq!(line.find(lead_text), Some(lead), "{t}");
            assert_eq!(
                line.rfind(score).map(|i| i + score.len()),
                Some(latest_end),
                "{t}"
            );
        }
        // An unknown latest score is "-", in the same place.
        assert_eq!(lines[3].chars().nth(latest_end - 1), Some('-'), "{t}");
    }
}
