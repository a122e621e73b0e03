//! The finished daily table as plain rows for every view of it (the charts, the HTML report
//! and the terminal summary): the athlete-days, read one athlete at a time (`TeamDays`), the
//! highest-risk days (one rule, used everywhere) and the days per band. Unknown stays
//! unknown (`None`): a gap in a line, an empty cell, never a zero. Computes no score.

use chrono::NaiveDate;
use polars::prelude::*;

use crate::columns::{Floats, SharedTexts};
use crate::dates;
use crate::evaluate::logged::CRAMP_LOGGED;
use crate::ingest::cramplog::CrampSource;
use crate::model::{Band, FactorId};
use crate::schema as s;

/// One athlete-day, as read from the daily table. Its texts are borrowed from the table, not
/// copied: a squad's days are read in full for the charts and the report, and the three
/// explanation texts are most of a daily table's bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct Day<'a> {
    pub athlete: &'a str,
    pub date: NaiveDate,
    /// The estimated probability of a cramp (%), and the range the unknown inputs could
    /// move it over.
    pub risk_pct: Option<f64>,
    pub risk_low_pct: Option<f64>,
    pub risk_high_pct: Option<f64>,
    pub band: Option<Band>,
    /// Each factor's odds multiplier that day, in `FactorId::ALL` order (1 = no effect; None:
    /// its inputs were unknown and it was imputed).
    pub odds: [Option<f64>; FactorId::ALL.len()],
    pub load: Option<f64>,
    pub atl: Option<f64>,
    pub ctl: Option<f64>,
    /// Form (training stress balance), as in the daily table.
    pub tsb: Option<f64>,
    pub acwr: Option<f64>,
    pub fluid_intake_ml: Option<f64>,
    pub fluid_need_ml: Option<f64>,
    pub heat_index_c: Option<f64>,
    pub confidence: Option<f64>,
    pub missing_inputs: Option<&'a str>,
    pub top_factors: Option<&'a str>,
    pub recommendation: Option<&'a str>,
    /// A cramp that day (`cramp_logged`: a log, or only a title's mention); None when none was
    /// logged or it is unknown (the table's column, absent when no cramps were read, tells).
    pub cramp: Option<CrampSource>,
}

/// The number columns a day carries besides the risk and the factors' odds, in the order
/// `days_where` takes them apart.
const NUMBER_COLUMNS: [&str; 9] = [
    s::LOAD,
    s::ATL,
    s::CTL,
    s::TSB,
    s::ACWR,
    s::FLUID_INTAKE_ML,
    s::FLUID_NEED_ML,
    s::HEAT_INDEX_C,
    "confidence",
];

fn column<'a>(df: &'a DataFrame, name: &str) -> anyhow::Result<&'a Column> {
    anyhow::Context::with_context(df.column(name), || {
        format!("column {name} missing from the daily table")
    })
}

/// A number column of the daily table, read by row index (`columns::Floats`); a non-finite
/// value reads as unknown.
struct Numbers(Floats);

impl Numbers {
    fn of(df: &DataFrame, name: &str) -> anyhow::Result<Numbers> {
        Ok(Numbers(Floats::of(column(df, name)?)?))
    }

    fn get(&self, i: usize) -> Option<f64> {
        self.0.get(i).filter(|x| x.is_finite())
    }
}

/// A text column's cells, borrowed from the table and read by row index; an empty cell reads
/// as unknown.
struct Texts<'a>(&'a StringChunked);

impl<'a> Texts<'a> {
    fn of(df: &'a DataFrame, name: &str) -> anyhow::Result<Texts<'a>> {
        Ok(Texts(column(df, name)?.str()?))
    }

    fn get(&self, i: usize) -> Option<&'a str> {
        self.0.get(i).filter(|t| !t.is_empty())
    }
}

impl<'a> Day<'a> {
    /// A day of an athlete with every value unknown.
    pub fn new(athlete: &'a str, date: NaiveDate) -> Day<'a> {
        Day {
            athlete,
            date,
            risk_pct: None,
            risk_low_pct: None,
            risk_high_pct: None,
            band: None,
            odds: [None; FactorId::ALL.len()],
            load: None,
            atl: None,
            ctl: None,
            tsb: None,
            acwr: None,
            fluid_intake_ml: None,
            fluid_need_ml: None,
            heat_index_c: None,
            confidence: None,
            missing_inputs: None,
            top_factors: None,
            recommendation: None,
            cramp: None,
        }
    }
}

/// The daily table's columns a `Day` is read from, each read by row index.
struct DayColumns<'a> {
    pct: Numbers,
    low: Numbers,
    high: Numbers,
    band: Vec<Option<Band>>,
    ors: Vec<Numbers>,
    numbers: [Numbers; NUMBER_COLUMNS.len()],
    top: Texts<'a>,
    advice: Texts<'a>,
    missing: Texts<'a>,
    /// Only when cramps were read (`evaluate::logged`).
    cramps: Option<Vec<Option<CrampSource>>>,
}

impl<'a> DayColumns<'a> {
    fn of(df: &'a DataFrame) -> anyhow::Result<DayColumns<'a>> {
        let band: Vec<Option<Band>> = column(df, s::RISK_BAND)?
            .cast(&DataType::String)?
            .str()?
            .iter()
            .map(|v| v.and_then(Band::parse))
            .collect();
        let ors: Vec<Numbers> = FactorId::ALL
            .iter()
            .map(|id| Numbers::of(df, &id.or_col()))
            .collect::<anyhow::Result<_>>()?;
        let [load, atl, ctl, tsb, acwr, intake, need, heat, confidence] =
            NUMBER_COLUMNS.map(|n| Numbers::of(df, n));
        let cramps = match df.column(CRAMP_LOGGED) {
            Ok(c) => Some(
                c.str()?
                    .iter()
                    .map(|v| match v {
                        Some("log") => Some(CrampSource::Log),
                        Some("mention") => Some(CrampSource::Mention),
                        _ => None,
                    })
                    .collect(),
            ),
            Err(_) => None,
        };
        Ok(DayColumns {
            pct: Numbers::of(df, s::RISK_PCT)?,
            low: Numbers::of(df, s::RISK_LOW_PCT)?,
            high: Numbers::of(df, s::RISK_HIGH_PCT)?,
            band,
            ors,
            numbers: [
                load?,
                atl?,
                ctl?,
                tsb?,
                acwr?,
                intake?,
                need?,
                heat?,
                confidence?,
            ],
            top: Texts::of(df, "top_factors")?,
            advice: Texts::of(df, "recommendation")?,
            missing: Texts::of(df, "missing_inputs")?,
            cramps,
        })
    }

    /// Row `i` as the day `day` (days since 1970-01-01) of `athlete`.
    fn day(&self, i: usize, athlete: &'a str, day: i32) -> Day<'a> {
        let mut odds = [None; FactorId::ALL.len()];
        for (k, o) in self.ors.iter().enumerate() {
            odds[k] = o.get(i);
        }
        let [load, atl, ctl, tsb, acwr, intake, need, heat, confidence] = &self.numbers;
        Day {
            athlete,
            date: dates::from_days(day),
            risk_pct: self.pct.get(i),
            risk_low_pct: self.low.get(i),
            risk_high_pct: self.high.get(i),
            band: self.band[i],
            odds,
            load: load.get(i),
            atl: atl.get(i),
            ctl: ctl.get(i),
            tsb: tsb.get(i),
            acwr: acwr.get(i),
            fluid_intake_ml: intake.get(i),
            fluid_need_ml: need.get(i),
            heat_index_c: heat.get(i),
            confidence: confidence.get(i),
            missing_inputs: self.missing.get(i),
            top_factors: self.top.get(i),
            recommendation: self.advice.get(i),
            cramp: self.cramps.as_ref().and_then(|c| c[i]),
        }
    }

    /// Row `i` with only what an athlete's summary reads (`AthleteSummary::of`): the date,
    /// the estimate and its range, the band, the confidence, the missing inputs and the
    /// profile factors' odds; every other value unknown. The summaries read every day of a
    /// squad, and a whole `Day` is some thirty cells, most of which they never look at.
    fn summary_day(&self, i: usize, athlete: &'a str, day: i32) -> Day<'a> {
        let mut odds = [None; FactorId::ALL.len()];
        for ((k, o), id) in self.ors.iter().enumerate().zip(FactorId::ALL) {
            if id.day_invariant() {
                odds[k] = o.get(i);
            }
        }
        let [.., confidence] = &self.numbers;
        Day {
            risk_pct: self.pct.get(i),
            risk_low_pct: self.low.get(i),
            risk_high_pct: self.high.get(i),
            band: self.band[i],
            odds,
            confidence: confidence.get(i),
            missing_inputs: self.missing.get(i),
            ..Day::new(athlete, dates::from_days(day))
        }
    }
}

/// The daily-table columns a `Day` is read from (`DayColumns`; the cramp column only when
/// cramps were read): what the views need of the table.
pub fn columns_read() -> Vec<String> {
    let mut c: Vec<String> = [
        s::ATHLETE,
        s::DATE,
        s::RISK_PCT,
        s::RISK_LOW_PCT,
        s::RISK_HIGH_PCT,
        s::RISK_BAND,
    ]
    .iter()
    .chain(NUMBER_COLUMNS.iter())
    .chain(LISTED_TEXTS.iter())
    .chain(["missing_inputs"].iter())
    .map(|c| c.to_string())
    .collect();
    c.extend(FactorId::ALL.iter().map(|f| f.or_col()));
    c
}

/// The most days any view lists of one athlete's with their reasons and advice: an athlete's
/// page lists their 5 highest.
pub const ATHLETE_DAYS_LISTED: usize = 5;
/// The most days any view lists of the team's: the report lists the team's 15 highest, the
/// terminal its 5 highest. They are among the 15 highest of the pass that computed them,
/// whatever athlete they are: each pass keeps those — not 15 of every athlete, which at
/// 10,000 athletes held 150,000 days of texts until the report was written.
pub const TEAM_DAYS_LISTED: usize = 15;

/// The texts only the listed days show; `missing_inputs` is counted over every day.
const LISTED_TEXTS: [&str; 2] = ["top_factors", "recommendation"];

/// The table with `top_factors` and `recommendation` kept only on the listed days
/// (`listed_rows`) and unknown on the others: the views list
/// no other day's reasons, and the reasons, a text of their own on nearly every day, were a
/// quarter of the table (written whole to daily_risk before this is applied).
pub fn keep_texts_of_listed_days(df: &DataFrame) -> anyhow::Result<DataFrame> {
    let listed = listed_rows(df)?;
    let mut out = df.clone();
    for name in LISTED_TEXTS {
        let texts = Texts::of(df, name)?;
        let kept =
            SharedTexts::collect(
                (0..df.height()).map(|i| if listed[i] { texts.get(i) } else { None }),
            );
        out.with_column(kept.with_name(name.into()).into_column())?;
    }
    Ok(out)
}

/// Only the days some view lists (`listed_rows`) and the days a cramp was logged or mentioned (the report's cramp table
/// shows their estimate). What the views show of all the days is in the `AthleteSummary`s.
pub fn listed_days_only(df: &DataFrame) -> anyhow::Result<DataFrame> {
    let mut listed = listed_rows(df)?;
    if let Ok(cramps) = df.column(CRAMP_LOGGED) {
        // `none` (a covered athlete's day without a cramp) and unknown are not listed.
        let cramp = [CrampSource::Log.name(), CrampSource::Mention.name()];
        for (i, c) in cramps.str()?.iter().enumerate() {
            listed[i] |= c.is_some_and(|c| cramp.contains(&c));
        }
    }
    let mask = BooleanChunked::from_iter_values("listed".into(), listed.into_iter());
    let mut kept = df.filter(&mask)?;
    // A filtered text column still points into the whole part's text buffers (the reasons
    // and advice of every day): copied out, the few rows kept let the part's texts go. Kept
    // as they were, a run of 1,000 athletes held about 200 MB of texts no view reads. The
    // advice and missing inputs repeat from day to day: each distinct text is copied once
    // (with 73 days an athlete, the 15 listed are a fifth of the days).
    for name in df.get_column_names_owned() {
        if let Ok(texts) = kept.column(&name)?.str() {
            let copied = SharedTexts::collect(texts.iter());
            kept.with_column(copied.with_name(name).into_column())?;
        }
    }
    Ok(kept)
}

/// Whether each row is a day some view may list, of those with a known estimate: among its
/// athlete's `ATHLETE_DAYS_LISTED` highest (`highest_first` orders one athlete's days by
/// estimate, then date), or at least as high as the table's `TEAM_DAYS_LISTED`-th highest
/// estimate. The team's list orders equal estimates by athlete name, which under
/// `--pseudonymize` is the code given after the passes: every day tied at the last place is
/// kept, so the order the names give cannot matter.
fn listed_rows(df: &DataFrame) -> anyhow::Result<Vec<bool>> {
    let risk = Numbers::of(df, s::RISK_PCT)?;
    let rows = sorted_rows(df, |i| risk.get(i).is_some())?;
    let mut listed = vec![false; df.height()];
    for athlete in rows.chunk_by(|a, b| a.1 == b.1) {
        // One athlete's days in `highest_first` order.
        let mut days: Vec<(usize, Option<f64>, i32)> = athlete
            .iter()
            .map(|&(i, _, day)| (i, risk.get(i), day))
            .collect();
        days.sort_by(|a, b| higher_estimate_first(a.1, b.1).then(a.2.cmp(&b.2)));
        for &(i, _, _) in days.iter().take(ATHLETE_DAYS_LISTED) {
            listed[i] = true;
        }
    }
    let estimates = rows.iter().filter_map(|&(i, _, _)| risk.get(i)).collect();
    if let Some(threshold) = nth_highest(estimates, TEAM_DAYS_LISTED) {
        for &(i, _, _) in &rows {
            if risk.get(i).is_some_and(|r| r >= threshold) {
                listed[i] = true;
            }
        }
    }
    Ok(listed)
}

/// The rows `keep` accepts with their athlete and day, in athlete then date order (a stable
/// sort: rows with the same athlete and date keep their table order). Rows without an athlete
/// or a date are not days and are left out. Row indices are sorted, not days, whose sort
/// needed a scratch copy half the size of a squad's days.
fn sorted_rows(
    df: &DataFrame,
    keep: impl Fn(usize) -> bool,
) -> anyhow::Result<Vec<(usize, &str, i32)>> {
    let athletes = Texts::of(df, s::ATHLETE)?;
    let c = anyhow::Context::context(df.column(s::DATE), "column date missing")?;
    let day_numbers = c.cast(&DataType::Int32)?;
    let day_numbers = day_numbers.i32()?;
    let mut rows: Vec<(usize, &str, i32)> = (0..df.height())
        .filter(|&i| keep(i))
        .filter_map(|i| Some((i, athletes.get(i)?, day_numbers.get(i)?)))
        .collect();
    rows.sort_by_key(|&(_, athlete, day)| (athlete, day));
    Ok(rows)
}

/// The rows `keep` accepts as days, sorted by athlete then date (`sorted_rows`).
fn days_where(df: &DataFrame, keep: impl Fn(usize) -> bool) -> anyhow::Result<Vec<Day<'_>>> {
    let columns = DayColumns::of(df)?;
    Ok(sorted_rows(df, keep)?
        .into_iter()
        .map(|(i, athlete, day)| columns.day(i, athlete, day))
        .collect())
}

/// A team's days read one athlete at a time, for the views that go through the athletes in
/// turn (the charts, the report): every athlete-day as a `Day` at once is 456 bytes a day,
/// 333 MB at 1,000 athletes × 730 days, more than the table it is read from. Holds the rows of
/// each athlete, in date order, and reads their days when asked.
pub struct TeamDays<'a> {
    df: &'a DataFrame,
    columns: DayColumns<'a>,
    /// Each athlete (by name, in order) and the rows of their days with the day (days since
    /// 1970-01-01), in date order.
    athletes: Vec<(&'a str, Vec<(usize, i32)>)>,
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
    days: usize,
}

impl<'a> TeamDays<'a> {
    /// The days of the table: athletes in name order, each one's days in date order.
    pub fn of(df: &'a DataFrame) -> anyhow::Result<TeamDays<'a>> {
        let rows = sorted_rows(df, |_| true)?;
        let first = rows.iter().map(|r| r.2).min().map(dates::from_days);
        let last = rows.iter().map(|r| r.2).max().map(dates::from_days);
        let days = rows.len();
        let mut athletes: Vec<(&str, Vec<(usize, i32)>)> = Vec::new();
        for (i, athlete, day) in rows {
            match athletes.last_mut() {
                Some((a, their)) if *a == athlete => their.push((i, day)),
                _ => athletes.push((athlete, vec![(i, day)])),
            }
        }
        Ok(TeamDays {
            df,
            columns: DayColumns::of(df)?,
            athletes,
            first,
            last,
            days,
        })
    }

    /// The athletes' names, in order.
    pub fn names(&self) -> impl ExactSizeIterator<Item = &'a str> + '_ {
        self.athletes.iter().map(|(a, _)| *a)
    }

    pub fn athlete_count(&self) -> usize {
        self.athletes.len()
    }

    /// The `k`-th athlete's days, in date order.
    pub fn days_of(&self, k: usize) -> Vec<Day<'a>> {
        let Some((athlete, rows)) = self.athletes.get(k) else {
            return Vec::new();
        };
        rows.iter()
            .map(|&(i, day)| self.columns.day(i, athlete, day))
            .collect()
    }

    /// Where the athlete named `athlete` is among `names` (None: the table has no such
    /// athlete).
    pub fn index_of(&self, athlete: &str) -> Option<usize> {
        self.athletes
            .binary_search_by(|(a, _)| (*a).cmp(athlete))
            .ok()
    }

    /// Athlete-days in all.
    pub fn day_count(&self) -> usize {
        self.days
    }

    pub fn first_date(&self) -> Option<NaiveDate> {
        self.first
    }

    /// The last date in the table: the default `as_of` of the ranking.
    pub fn last_date(&self) -> Option<NaiveDate> {
        self.last
    }

    /// The team's `n` highest-risk days (`highest_days_of_frame`: only the rows that can be
    /// among them are read as days).
    pub fn highest_days(&self, n: usize) -> anyhow::Result<Vec<Day<'a>>> {
        highest_days_of_frame(self.df, n)
    }
}

/// The order of the highest-risk days, everywhere they are listed: highest `risk_pct` first; equal
/// estimates by athlete name, then by date (earliest first). Days without an estimate are not
/// listed.
pub fn highest_first(a: &Day, b: &Day) -> std::cmp::Ordering {
    higher_estimate_first(a.risk_pct, b.risk_pct)
        .then_with(|| a.athlete.cmp(b.athlete))
        .then(a.date.cmp(&b.date))
}

/// `highest_first`'s first key: the higher estimate first, an unknown one last.
fn higher_estimate_first(a: Option<f64>, b: Option<f64>) -> std::cmp::Ordering {
    let score = |r: Option<f64>| r.unwrap_or(f64::NEG_INFINITY);
    score(b).total_cmp(&score(a))
}

/// The `n` highest-risk days, in `highest_first` order.
pub fn highest_days<'d, 'a>(days: &'d [Day<'a>], n: usize) -> Vec<&'d Day<'a>> {
    let mut scored: Vec<&Day> = days.iter().filter(|d| d.risk_pct.is_some()).collect();
    scored.sort_by(|a, b| highest_first(a, b));
    scored.truncate(n);
    scored
}

/// The `n` highest-risk days of a whole daily table, without turning every row into a `Day`:
/// only the rows at least as high as the n-th highest `risk_pct` (ties kept) are read, then ordered by
/// `highest_first`.
pub fn highest_days_of_frame<'a>(df: &'a DataFrame, n: usize) -> anyhow::Result<Vec<Day<'a>>> {
    if n == 0 || df.height() == 0 {
        return Ok(Vec::new());
    }
    let risk = Numbers::of(df, s::RISK_PCT)?;
    let scores = (0..df.height()).filter_map(|i| risk.get(i)).collect();
    let Some(threshold) = nth_highest(scores, n) else {
        return Ok(Vec::new());
    };
    let days = days_where(df, |i| risk.get(i).is_some_and(|r| r >= threshold))?;
    Ok(highest_days(&days, n).into_iter().cloned().collect())
}

/// The `n`-th highest of `estimates` (the lowest when there are fewer; None when there are
/// none or `n` is 0): every day at least as high is a candidate for a list of the `n` highest,
/// ties at the last place included.
fn nth_highest(mut estimates: Vec<f64>, n: usize) -> Option<f64> {
    if n == 0 || estimates.is_empty() {
        return None;
    }
    let last = (n - 1).min(estimates.len() - 1);
    let (_, &mut nth, _) = estimates.select_nth_unstable_by(last, |a, b| b.total_cmp(a));
    Some(nth)
}

/// What the views show of one athlete's reported days taken together: the report's section
/// and team table, the terminal's counts. Made in the pass that computed the days (an athlete's
/// days are never split across passes), so that the days need not be kept for the views once
/// they are written: without charts, `analyze` keeps only the days some view lists.
#[derive(Debug, Clone, PartialEq)]
pub struct AthleteSummary {
    pub athlete: String,
    pub days: usize,
    pub first: Option<NaiveDate>,
    pub last: Option<NaiveDate>,
    /// Means over the days where each is known (None: known on none).
    pub mean_risk_pct: Option<f64>,
    pub mean_risk_low_pct: Option<f64>,
    pub mean_risk_high_pct: Option<f64>,
    pub mean_confidence: Option<f64>,
    /// Days per band, in `Band::ALL` order.
    pub bands: [usize; 4],
    /// The highest known `risk_pct`.
    pub highest: Option<f64>,
    /// The profile factors' odds multipliers (`profile_odds`).
    pub profile: Vec<(FactorId, Option<f64>)>,
    /// Each input named in `missing_inputs`, with on how many days (`missing_counts`).
    pub missing: Vec<(String, usize)>,
}

impl AthleteSummary {
    /// The summary of one athlete's days, in date order.
    pub fn of(athlete: &str, days: &[Day]) -> AthleteSummary {
        let mean_of = |f: &dyn Fn(&Day) -> Option<f64>| {
            let known: Vec<f64> = days.iter().filter_map(f).collect();
            (!known.is_empty()).then(|| known.iter().sum::<f64>() / known.len() as f64)
        };
        AthleteSummary {
            athlete: athlete.to_string(),
            days: days.len(),
            first: days.first().map(|d| d.date),
            last: days.last().map(|d| d.date),
            mean_risk_pct: mean_of(&|d| d.risk_pct),
            mean_risk_low_pct: mean_of(&|d| d.risk_low_pct),
            mean_risk_high_pct: mean_of(&|d| d.risk_high_pct),
            mean_confidence: mean_of(&|d| d.confidence),
            bands: band_counts(days),
            highest: days
                .iter()
                .filter_map(|d| d.risk_pct)
                .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.max(v)))),
            profile: profile_odds(days),
            missing: missing_counts(days),
        }
    }
}

/// The summary of every athlete of a table, in name order (`TeamDays`).
pub fn summaries(df: &DataFrame) -> anyhow::Result<Vec<AthleteSummary>> {
    let team = TeamDays::of(df)?;
    Ok(team
        .athletes
        .iter()
        .map(|(name, rows)| {
            let days: Vec<Day> = rows
                .iter()
                .map(|&(i, day)| team.columns.summary_day(i, name, day))
                .collect();
            AthleteSummary::of(name, &days)
        })
        .collect())
}

/// Every reported athlete's summary, in name order (as `TeamDays` orders them): what the
/// views show of the days taken together, whichever days were kept.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AthleteSummaries(Vec<AthleteSummary>);

impl AthleteSummaries {
    /// The summaries made pass by pass, put in name order (each athlete in one pass).
    pub fn new(mut all: Vec<AthleteSummary>) -> AthleteSummaries {
        all.sort_by(|a, b| a.athlete.cmp(&b.athlete));
        AthleteSummaries(all)
    }

    pub fn all(&self) -> &[AthleteSummary] {
        &self.0
    }

    /// The athlete named `athlete`, if reported.
    pub fn get(&self, athlete: &str) -> Option<&AthleteSummary> {
        self.0
            .binary_search_by(|a| a.athlete.as_str().cmp(athlete))
            .ok()
            .map(|k| &self.0[k])
    }

    /// Athlete-days in all.
    pub fn day_count(&self) -> usize {
        self.0.iter().map(|a| a.days).sum()
    }

    pub fn first_date(&self) -> Option<NaiveDate> {
        self.0.iter().filter_map(|a| a.first).min()
    }

    pub fn last_date(&self) -> Option<NaiveDate> {
        self.0.iter().filter_map(|a| a.last).max()
    }

    /// Names as the outputs show them (`--pseudonymize`'s codes), in their new order.
    pub fn rename(&mut self, name: impl Fn(&str) -> String) {
        let mut all = std::mem::take(&mut self.0);
        for a in &mut all {
            a.athlete = name(&a.athlete);
        }
        *self = AthleteSummaries::new(all);
    }
}

/// The profile factors of an athlete (the same every day): each one's odds multiplier, None
/// when its inputs are unknown. Read from the athlete's last day.
pub fn profile_odds(days: &[Day]) -> Vec<(FactorId, Option<f64>)> {
    FactorId::ALL
        .iter()
        .enumerate()
        .filter(|(_, f)| f.day_invariant())
        .map(|(k, f)| (*f, days.last().and_then(|d| d.odds[k])))
        .collect()
}

/// The inputs named in the days' `missing_inputs` (items separated by "; "), each with on
/// how many days, most often first (equal counts by name).
pub fn missing_counts(days: &[Day]) -> Vec<(String, usize)> {
    // The cells repeat from day to day (a squad without food logs lacks the same each day):
    // each distinct cell is taken apart once, its items counted once for every day it is on.
    let mut cells: Vec<(&str, usize)> = Vec::new();
    for cell in days.iter().filter_map(|d| d.missing_inputs) {
        let seen = match cells.last_mut() {
            Some((last, n)) if *last == cell => Some(n),
            _ => cells.iter_mut().find(|(c, _)| *c == cell).map(|(_, n)| n),
        };
        match seen {
            Some(n) => *n += 1,
            None => cells.push((cell, 1)),
        }
    }
    let mut counts: Vec<(String, usize)> = Vec::new();
    for (cell, days_on) in cells {
        for item in cell.split("; ") {
            let item = item.trim();
            if item.is_empty() {
                continue;
            }
            match counts.iter_mut().find(|(i, _)| i == item) {
                Some((_, n)) => *n += days_on,
                None => counts.push((item.to_string(), days_on)),
            }
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    counts
}

/// Days per band, in `Band::ALL` order.
pub fn band_counts(days: &[Day]) -> [usize; 4] {
    let mut counts = [0; 4];
    for d in days {
        if let Some(b) = d.band {
            counts[b as usize] += 1;
        }
    }
    counts
}

/// The mean of the known `risk_pct` in a window of days, and how many days it rests on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WindowMean {
    pub mean: Option<f64>,
    /// Days in the window with a known estimate.
    pub days: usize,
}

/// The mean `risk_pct` over the `window` calendar days ending on `as_of` (inclusive).
pub fn window_mean(days: &[Day], as_of: NaiveDate, window: i64) -> WindowMean {
    let known: Vec<f64> = days
        .iter()
        .filter(|d| d.date <= as_of && (as_of - d.date).num_days() < window)
        .filter_map(|d| d.risk_pct)
        .collect();
    WindowMean {
        mean: (!known.is_empty()).then(|| known.iter().sum::<f64>() / known.len() as f64),
        days: known.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        dates::parse_date(text).unwrap()
    }

    /// Each day's athlete and date, in order.
    fn who_when<'d, 'a: 'd>(days: impl IntoIterator<Item = &'d Day<'a>>) -> Vec<(String, String)> {
        days.into_iter()
            .map(|d| (d.athlete.to_string(), d.date.to_string()))
            .collect()
    }

    fn day<'a>(athlete: &'a str, d: &str, score: Option<f64>) -> Day<'a> {
        Day {
            risk_pct: score,
            ..Day::new(athlete, date(d))
        }
    }

    #[test]
    fn frame_rows_become_sorted_days_with_unknowns_kept() {
        let mut cols = vec![
            Column::new(s::ATHLETE.into(), ["ben", "ana", "ana"]),
            Column::new(s::DATE.into(), [20240i32, 20241, 20240])
                .cast(&DataType::Date)
                .unwrap(),
            Column::new(s::RISK_PCT.into(), [Some(12.0), None, Some(30.0)]),
            Column::new(s::RISK_LOW_PCT.into(), [Some(10.0), None, Some(25.0)]),
            Column::new(s::RISK_HIGH_PCT.into(), [Some(15.0), None, Some(33.0)]),
            Column::new("missing_inputs".into(), ["", "", "fluids"]),
            Column::new(s::RISK_BAND.into(), ["low", "low", "moderate"]),
            Column::new("top_factors".into(), ["", "x", "y"]),
            Column::new("recommendation".into(), ["a", "b", "c"]),
        ];
        for name in NUMBER_COLUMNS {
            cols.push(Column::new(name.into(), [Some(1.0), None, Some(f64::NAN)]));
        }
        for id in FactorId::ALL {
            cols.push(Column::new(
                id.or_col().into(),
                [Some(1.0), None, Some(2.0)],
            ));
        }
        let df = DataFrame::new_infer_height(cols).unwrap();
        let team = TeamDays::of(&df).unwrap();
        assert_eq!(team.athlete_count(), 2);
        let days: Vec<Day> = (0..2).flat_map(|k| team.days_of(k)).collect();
        let keys = who_when(&days);
        // Day 20240 after 1970-01-01 is 2025-06-01.
        assert_eq!(
            keys,
            [
                ("ana".to_string(), "2025-06-01".to_string()),
                ("ana".to_string(), "2025-06-02".to_string()),
                ("ben".to_string(), "2025-06-01".to_string()),
            ]
        );
        assert_eq!(days[0].risk_pct, Some(30.0));
        assert_eq!(
            (days[0].risk_low_pct, days[0].risk_high_pct),
            (Some(25.0), Some(33.0))
        );
        assert_eq!(days[0].missing_inputs, Some("fluids"));
        assert_eq!(days[0].odds[0], Some(2.0));
        assert_eq!(days[0].band, Some(Band::Moderate));
        assert_eq!(days[0].load, None, "NaN is unknown, not a number");
        assert_eq!(days[1].risk_pct, None);
        assert_eq!(days[1].odds[0], None, "unknown odds stay unknown");
        assert_eq!(days[2].top_factors, None, "empty text is no text");
    }

    #[test]
    fn an_athletes_summary_is_computed_over_all_their_days() {
        let k = |f: FactorId| FactorId::ALL.iter().position(|x| *x == f).unwrap();
        let mut days = [
            day("ana", "2025-06-01", Some(10.0)),
            day("ana", "2025-06-02", None),
            day("ana", "2025-06-03", Some(25.0)),
        ];
        days[0].risk_low_pct = Some(5.0);
        days[2].risk_low_pct = Some(20.0);
        days[1].risk_high_pct = Some(40.0);
        days[0].confidence = Some(0.5);
        days[1].confidence = Some(0.75);
        days[2].confidence = Some(1.0);
        days[0].band = Some(Band::Low);
        days[2].band = Some(Band::High);
        days[0].missing_inputs = Some("weather; fluid log");
        days[1].missing_inputs = Some("fluid log");
        days[2].odds[k(FactorId::Sex)] = Some(1.4);
        let a = AthleteSummary::of("ana", &days);
        assert_eq!(a.days, 3);
        assert_eq!(
            (a.first, a.last),
            (Some(date("2025-06-01")), Some(date("2025-06-03")))
        );
        // Means over the known values only: (10 + 25) / 2, (5 + 20) / 2, 40 / 1, 2.25 / 3.
        assert_eq!(a.mean_risk_pct, Some(17.5));
        assert_eq!(a.mean_risk_low_pct, Some(12.5));
        assert_eq!(a.mean_risk_high_pct, Some(40.0));
        assert_eq!(a.mean_confidence, Some(0.75));
        assert_eq!(a.bands, [1, 0, 1, 0]);
        assert_eq!(a.highest, Some(25.0));
        // The profile factors, from the last day.
        assert_eq!(
            a.profile,
            vec![(FactorId::Predisposition, None), (FactorId::Sex, Some(1.4))]
        );
        assert_eq!(
            a.missing,
            vec![("fluid log".to_string(), 2), ("weather".to_string(), 1)]
        );
        // Nothing known is no mean, never 0.
        let none = AthleteSummary::of("bo", &[day("bo", "2025-06-01", None)]);
        assert_eq!((none.mean_risk_pct, none.highest), (None, None));
        let all = AthleteSummaries::new(vec![a.clone(), none.clone()]);
        assert_eq!(all.get("bo"), Some(&none));
        assert_eq!(all.day_count(), 4);
        assert_eq!(all.last_date(), Some(date("2025-06-03")));
    }

    /// Items counted by the days they are on, whether a cell repeats the day before's, comes
    /// back after another, or is empty or unknown; most days first, then by name.
    #[test]
    fn missing_inputs_are_counted_by_day() {
        let cells = [
            Some("fluid log; weather"),
            Some("fluid log; weather"),
            Some("weather"),
            None,
            Some(""),
            Some("fluid log; weather"),
            Some("age; fluid log"),
        ];
        let days: Vec<Day> = cells
            .iter()
            .map(|&cell| Day {
                missing_inputs: cell,
                ..day("ana", "2025-06-01", None)
            })
            .collect();
        // fluid log: days 1, 2, 6, 7; weather: days 1, 2, 3, 6; age: day 7.
        assert_eq!(
            missing_counts(&days),
            vec![
                ("fluid log".to_string(), 4),
                ("weather".to_string(), 4),
                ("age".to_string(), 1)
            ]
        );
    }

    /// The texts kept are those of each athlete's 5 highest days (estimate, then earlier
    /// date first; days without an estimate never) and of every day at least as high as the
    /// table's 15th highest: every list the views make — the team's 15, an athlete's 5 —
    /// comes out the same, texts included, from the thinned table as from the whole one,
    /// however the names sort.
    #[test]
    fn texts_are_kept_on_the_days_the_views_list() {
        // Two athletes, 30 days each: risks with ties (each value twice) and unknown days.
        let mut rows: Vec<(&str, i32, Option<f64>)> = Vec::new();
        for (athlete, offset) in [("zed", 0.25), ("amy", 0.0)] {
            for d in 0..30 {
                let risk = (d % 7 != 3).then_some(((d / 2) % 11) as f64 + offset);
                rows.push((athlete, 20_000 + d, risk));
            }
        }
        let mut df = risk_frame(&rows);
        let texts = |what: &str| -> Vec<String> {
            rows.iter()
                .map(|r| format!("{what} {} {}", r.0, r.1))
                .collect()
        };
        df.with_column(Column::new("top_factors".into(), texts("why")))
            .unwrap();
        df.with_column(Column::new("recommendation".into(), texts("do")))
            .unwrap();
        let thin = keep_texts_of_listed_days(&df).unwrap();
        // By hand. zed's risks are amy's + 0.25. Each athlete's 5: days 20–21 (risk 10),
        // 18–19 (9), 16 (8; 17 has none). The table's highest, in order: zed 10.25 ×2,
        // amy 10 ×2, zed 9.25 ×2, amy 9 ×2, zed 8.25, amy 8, zed 7.25 ×2 (14–15), amy 7 ×2,
        // zed 6.25 ×2 (12–13): the 15th is 6.25, so zed's days 12–15 and amy's 14–15 too.
        let kept: Vec<(String, i32)> = {
            let top = thin.column("top_factors").unwrap().str().unwrap().clone();
            (0..thin.height())
                .filter(|&i| top.get(i).is_some())
                .map(|i| (rows[i].0.to_string(), rows[i].1 - 20_000))
                .collect()
        };
        let expect_days = |athlete: &str| -> Vec<i32> {
            match athlete {
                "zed" => vec![12, 13, 14, 15, 16, 18, 19, 20, 21],
                _ => vec![14, 15, 16, 18, 19, 20, 21],
            }
        };
        for athlete in ["zed", "amy"] {
            let got: Vec<i32> = kept
                .iter()
                .filter(|k| k.0 == athlete)
                .map(|k| k.1)
                .collect();
            assert_eq!(got, expect_days(athlete), "{athlete}");
        }
        // The lists the views make are the same, texts and all.
        let listed = |df: &DataFrame, n: usize| -> Vec<(String, String, Option<String>)> {
            highest_days_of_frame(df, n)
                .unwrap()
                .iter()
                .map(|d| {
                    (
                        d.athlete.to_string(),
                        d.date.to_string(),
                        d.top_factors.map(str::to_string),
                    )
                })
                .collect()
        };
        assert_eq!(listed(&thin, 15), listed(&df, 15));
        assert!(listed(&thin, 15).iter().all(|d| d.2.is_some()));
        for k in 0..2 {
            let (whole, thinned) = (TeamDays::of(&df).unwrap(), TeamDays::of(&thin).unwrap());
            let (a, b) = (whole.days_of(k), thinned.days_of(k));
            let (a, b) = (highest_days(&a, 5), highest_days(&b, 5));
            assert_eq!(who_when(a.iter().copied()), who_when(b.iter().copied()));
            for (x, y) in a.iter().zip(&b) {
                assert_eq!(x.recommendation, y.recommendation);
                assert!(y.recommendation.is_some());
            }
        }
        // Only the listed days, kept whole: the same days, the same lists.
        let only = listed_days_only(&df).unwrap();
        let kept_whole = TeamDays::of(&only).unwrap();
        for (k, athlete) in ["amy", "zed"].into_iter().enumerate() {
            let days: Vec<i32> = kept_whole
                .days_of(k)
                .iter()
                .map(|d| dates::to_days(d.date) - 20_000)
                .collect();
            assert_eq!(days, expect_days(athlete), "{athlete}");
        }
        assert_eq!(listed(&only, 15), listed(&df, 15));
        // A logged or mentioned cramp's day is kept too (the report shows its estimate), a
        // day marked `none` or unknown is not.
        let cramp: Vec<Option<&str>> = rows
            .iter()
            .map(|r| match (r.0, r.1 - 20_000) {
                ("amy", 3) => Some("log"),
                ("amy", _) => Some("none"),
                ("zed", 0) => Some("mention"),
                _ => None,
            })
            .collect();
        let mut with_cramps = df.clone();
        with_cramps
            .with_column(Column::new(CRAMP_LOGGED.into(), cramp))
            .unwrap();
        let only = listed_days_only(&with_cramps).unwrap();
        assert_eq!(only.height(), 9 + 7 + 2);
        let team = TeamDays::of(&only).unwrap();
        let has = |k: usize, d: i32| {
            team.days_of(k)
                .iter()
                .any(|x| dates::to_days(x.date) == 20_000 + d)
        };
        assert!(has(0, 3) && has(1, 0));
        // Every other column is the table's own.
        assert_eq!(thin.shape(), df.shape());
        assert!(thin
            .column(s::RISK_PCT)
            .unwrap()
            .equals_missing(df.column(s::RISK_PCT).unwrap()));
    }

    /// A table of the given (athlete, day number, risk) rows, every other value unknown.
    fn risk_frame(rows: &[(&str, i32, Option<f64>)]) -> DataFrame {
        let n = rows.len();
        let mut df = DataFrame::new_infer_height(vec![
            Column::new(
                s::ATHLETE.into(),
                rows.iter().map(|r| r.0).collect::<Vec<_>>(),
            ),
            Column::new(s::DATE.into(), rows.iter().map(|r| r.1).collect::<Vec<_>>())
                .cast(&DataType::Date)
                .unwrap(),
            Column::new(
                s::RISK_PCT.into(),
                rows.iter().map(|r| r.2).collect::<Vec<_>>(),
            ),
            Column::new(s::RISK_LOW_PCT.into(), vec![None::<f64>; n]),
            Column::new(s::RISK_HIGH_PCT.into(), vec![None::<f64>; n]),
            Column::new("missing_inputs".into(), vec![""; n]),
            Column::new(s::RISK_BAND.into(), vec!["moderate"; n]),
            Column::new("top_factors".into(), vec![""; n]),
            Column::new("recommendation".into(), vec![""; n]),
        ])
        .unwrap();
        for name in NUMBER_COLUMNS {
            df.with_column(Column::new(name.into(), vec![None::<f64>; n]))
                .unwrap();
        }
        for id in FactorId::ALL {
            df.with_column(Column::new(id.or_col().into(), vec![None::<f64>; n]))
                .unwrap();
        }
        df
    }

    /// `summaries` reads only what a summary shows, and gives what the summary of the whole
    /// days gives: every value the summary reads varies (unknowns included), and so do the
    /// values it does not read.
    #[test]
    fn summaries_read_from_the_summarised_columns_are_those_of_whole_days() {
        let mut rows: Vec<(&str, i32, Option<f64>)> = Vec::new();
        for (athlete, offset) in [("zed", 0.5), ("amy", 0.0)] {
            for d in 0..12 {
                rows.push((
                    athlete,
                    20_000 + d,
                    (d % 5 != 2).then_some(d as f64 + offset),
                ));
            }
        }
        let n = rows.len();
        let mut df = risk_frame(&rows);
        let varied = |k: usize| -> Vec<Option<f64>> {
            (0..n)
                .map(|i| (!(i + k).is_multiple_of(4)).then_some((i * (k + 3)) as f64 / 7.0))
                .collect()
        };
        for (k, name) in [s::RISK_LOW_PCT, s::RISK_HIGH_PCT]
            .into_iter()
            .chain(NUMBER_COLUMNS)
            .enumerate()
        {
            df.with_column(Column::new(name.into(), varied(k))).unwrap();
        }
        for (k, id) in FactorId::ALL.iter().enumerate() {
            df.with_column(Column::new(id.or_col().into(), varied(k + 20)))
                .unwrap();
        }
        let bands: Vec<Option<&str>> = (0..n)
            .map(|i| {
                ["low", "moderate", "high", "very_high", ""]
                    .get(i % 6)
                    .copied()
            })
            .collect();
        df.with_column(Column::new(s::RISK_BAND.into(), bands))
            .unwrap();
        let missing: Vec<&str> = (0..n)
            .map(|i| ["weather; fluid log", "", "fluid log", "age; weather"][i % 4])
            .collect();
        df.with_column(Column::new("missing_inputs".into(), missing))
            .unwrap();
        let team = TeamDays::of(&df).unwrap();
        let whole: Vec<AthleteSummary> = team
            .names()
            .enumerate()
            .map(|(k, name)| AthleteSummary::of(name, &team.days_of(k)))
            .collect();
        assert_eq!(whole.len(), 2);
        assert!(whole
            .iter()
            .all(|a| a.profile.iter().any(|(_, o)| o.is_some())));
        assert_eq!(summaries(&df).unwrap(), whole);
    }

    /// The team read one athlete at a time: athletes in name order, each one's days in date
    /// order, the period and count of the whole table, and the team's highest days by the
    /// same rule as over all days at once.
    #[test]
    fn team_days_are_read_per_athlete_and_rank_the_team_as_a_whole() {
        // Day 20240 is 2025-06-01. cleo's 40s tie ana's and ben's; ana has the top (70).
        let df = risk_frame(&[
            ("cleo", 20243, Some(40.0)),
            ("ben", 20241, Some(40.0)),
            ("ana", 20242, Some(40.0)),
            ("ana", 20240, Some(70.0)),
            ("cleo", 20239, Some(45.0)),
            ("ben", 20240, None),
            ("ana", 20241, Some(10.0)),
        ]);
        let team = TeamDays::of(&df).unwrap();
        assert_eq!(team.names().collect::<Vec<_>>(), ["ana", "ben", "cleo"]);
        assert_eq!((team.athlete_count(), team.day_count()), (3, 7));
        assert_eq!(team.first_date(), Some(date("2025-05-31")));
        assert_eq!(team.last_date(), Some(date("2025-06-04")));
        let dates =
            |days: Vec<Day>| -> Vec<String> { days.iter().map(|d| d.date.to_string()).collect() };
        assert_eq!(
            dates(team.days_of(0)),
            ["2025-06-01", "2025-06-02", "2025-06-03"]
        );
        let cleo = team.index_of("cleo").unwrap();
        assert_eq!(dates(team.days_of(cleo)), ["2025-05-31", "2025-06-04"]);
        assert_eq!(team.index_of("dora"), None);
        assert!(team.days_of(3).is_empty());
        // 70 (ana), 45 (cleo), then the three 40s: ana, ben, cleo; only four asked for.
        assert_eq!(
            who_when(&team.highest_days(4).unwrap()),
            [
                ("ana".to_string(), "2025-06-01".to_string()),
                ("cleo".to_string(), "2025-05-31".to_string()),
                ("ana".to_string(), "2025-06-03".to_string()),
                ("ben".to_string(), "2025-06-02".to_string()),
            ]
        );
        assert_eq!(
            team.highest_days(9).unwrap().len(),
            6,
            "the unscored day is never listed"
        );
    }

    #[test]
    fn highest_days_break_ties_by_athlete_then_date() {
        let days = vec![
            day("ben", "2025-06-02", Some(40.0)),
            day("ana", "2025-06-03", Some(40.0)),
            day("ana", "2025-06-01", Some(55.0)),
            day("ana", "2025-06-02", None),
        ];
        assert_eq!(
            who_when(highest_days(&days, 3)),
            [
                ("ana".to_string(), "2025-06-01".to_string()),
                ("ana".to_string(), "2025-06-03".to_string()),
                ("ben".to_string(), "2025-06-02".to_string()),
            ]
        );
    }
    #[test]
    fn highest_days_of_a_frame_follow_the_same_rule_and_keep_ties() {
        // Scores: ana 40 (06-03), 55 (06-01), none (06-02); ben 40 (06-02), 10 (06-01).
        // The 3 highest: ana 55; then the 40s tied, ana before ben. With n = 2 the threshold
        // is 40, so both 40s are read and the rule keeps ana's.
        let df = risk_frame(&[
            ("ben", 20241, Some(40.0)),
            ("ana", 20242, Some(40.0)),
            ("ana", 20240, Some(55.0)),
            ("ana", 20241, None),
            ("ben", 20240, Some(10.0)),
        ]);
        let keys = |n: usize| who_when(&highest_days_of_frame(&df, n).unwrap());
        // Day 20240 is 2025-06-01.
        assert_eq!(
            keys(2),
            [
                ("ana".to_string(), "2025-06-01".to_string()),
                ("ana".to_string(), "2025-06-03".to_string()),
            ]
        );
        assert_eq!(keys(9).len(), 4, "the unscored day is never listed");
        assert!(keys(0).is_empty());
    }
}
