//! `cramprisk analyze`: reads the inputs, computes the daily table, and writes the tables,
//! charts and report into the output folder, whose files are planned and checked before the
//! computation starts; then the terminal summary and the exit outcome.

use chrono::NaiveDate;
use polars::prelude::*;

use super::Outcome;
use crate::compute::{self, Analysis};
use crate::config::{AnalyzeConfig, TableOutput};
use crate::ingest::cramplog::Cramp;
use crate::outputs::{self, Outputs};
use crate::report::cramps_html::CrampFacts;
use crate::schema as s;
use crate::select::{self, Selection};
use crate::{charts, evaluate, pseudonym, report, stages, summary, team, view};

pub fn run(cfg: &AnalyzeConfig) -> anyhow::Result<Outcome> {
    let mut stages = stages::Stages::from_env();
    let inputs = compute::gather(&cfg.inputs)?;
    stages.mark("gather inputs");
    // Before any computation: a run that cannot write its outputs stops here.
    let mut out = cfg.outputs.clone();
    out.prepare(&inputs.paths())?;
    // The report's pages' files, made while the inputs are read and named once the athletes
    // are known (`outputs::FilesAhead`): on a file system slow to find a new file's place
    // (ext4 without a journal, after a run's files were removed) that search took 2–14 % of
    // a large run's CPU, the more the more files were removed in the last minutes, and the
    // reading leaves a core part idle where the passes do not.
    let pages_early = report::html::pages_early(expected_athletes(cfg, &inputs), &out.staging());
    let mut written: Vec<String> = report::daily_columns()
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    // The report's evaluation of the logged cramps needs the unrounded log-odds too.
    written.extend(evaluate::REPORT_COLUMNS.iter().map(|c| c.to_string()));
    let written: Vec<&str> = written.iter().map(String::as_str).collect();
    let mut prepared = compute::prepare(&inputs, cfg.days.as_of.or(cfg.days.to))?;
    // The days and athletes are chosen before the days are computed: each pass's rows are
    // written as the pass ends.
    let last_day = prepared.last_day()?;
    let analysis = &prepared.analysis;
    if let (Some(c), false) = (&analysis.capped, cfg.quiet) {
        super::print_message(&format!("note: {}\n", c.note()));
    }
    // Under --pseudonymize the codes come first: `--athlete P001` selects by code, and an
    // unknown athlete's error lists codes, not names.
    let codes = if cfg.pseudonymize {
        let existing = pseudonym::Pseudonyms::read_key(&out.path(outputs::PSEUDONYM_KEY))?;
        let names = select::athlete_names(&analysis.athletes)?;
        Some(pseudonym::Pseudonyms::assign(
            &names,
            &analysis.ingested.spellings,
            existing,
        ))
    } else {
        None
    };
    let mut selection = match &codes {
        None => Selection::resolve(&cfg.days, &cfg.athletes, analysis, last_day)?,
        Some(codes) => {
            let wanted: Vec<String> = cfg
                .athletes
                .iter()
                .map(|w| codes.athlete_of(w).unwrap_or(w).to_string())
                .collect();
            Selection::resolve(&cfg.days, &wanted, analysis, last_day).map_err(|_| {
                anyhow::anyhow!(
                    "--athlete: no such athlete or code in the inputs (under --pseudonymize the \
                     names are not listed; codes: {})",
                    codes.all_codes().join(", ")
                )
            })?
        }
    };
    if let Some(c) = analysis.capped {
        // The days asked for end where the computed days do.
        selection.to = selection.to.map(|t| t.min(c.to));
        selection.as_of = selection.as_of.map(|a| a.min(c.to));
    }
    let used = analysis.ingested.cramps_used(cfg.cramps_from_titles);
    let logged = evaluate::logged::covered(&analysis.ingested.cramps);
    // The report's pages' files are made while the passes run (`outputs::FilesAhead`).
    let reported = if selection.athletes.is_empty() {
        select::athlete_names(&analysis.athletes)?
    } else {
        selection.athletes.clone()
    };
    let shown = match &codes {
        Some(codes) => reported.iter().map(|n| codes.code(n).to_string()).collect(),
        None => reported,
    };
    let pages_ahead = report::html::pages_ahead(shown, &out.staging(), pages_early);
    stages.mark("select days");
    let parts = Parts {
        selection: &selection,
        used: &used,
        logged: &logged,
        codes: codes.as_ref(),
        csv: cfg.tables.csv,
        parquet: cfg.tables.parquet,
        kept: kept_columns(),
        // The charts draw every day; without them the views list some days only.
        every_day: !matches!(cfg.charts, crate::cli::ChartFormat::None),
        as_of: selection.as_of,
        spare_lines: std::sync::Mutex::default(),
        team_plans: crate::reusable_plan::ReusablePlans::default(),
    };
    let mut table = Table::default();
    // daily_risk.parquet (or its athletes' files) written as the passes end, like the CSV.
    let mut parquet = cfg
        .tables
        .parquet
        .then(|| report::parquet::DailyStream::new(out.staging(), cfg.tables.partition_by_athlete))
        .transpose()?;
    let mut passes = |w: &mut dyn std::io::Write| -> anyhow::Result<()> {
        prepared.passes(
            &inputs,
            Some(&written),
            compute::DAYS_PER_PASS,
            |part| parts.finish(part),
            |_, mut part| {
                w.write_all(&part.csv)?;
                parts.give_back(std::mem::take(&mut part.csv));
                if let (Some(stream), Some(typed)) = (&mut parquet, part.parquet.take()) {
                    stream.write(typed)?;
                }
                table.add(part);
                Ok(())
            },
        )
    };
    if cfg.tables.csv {
        out.write_large(outputs::DAILY_RISK, |w| {
            report::write_header(&report::daily_columns_with_cramps(), w)?;
            passes(w)
        })?;
    } else {
        passes(&mut std::io::sink())?;
    }
    if let Some(stream) = parquet {
        for name in stream.finish()? {
            out.record(&name);
        }
    }
    let covered = table.covered;
    anyhow::ensure!(
        covered.map(|c| c.1) == last_day,
        "internal error: the daily table ends on {:?}, not on {last_day:?} as foreseen",
        covered.map(|c| c.1)
    );
    let mut analysis = prepared.into_analysis(compute::stack(table.kept)?);
    let mut athletes = view::AthleteSummaries::new(table.summaries);
    stages.mark("daily table written");
    // Matched against every day with data (before the selection), scored on the days reported.
    let cramp_days = compute::stack(table.cramp_days)?;
    let cramps = cramp_facts(
        &mut analysis,
        &cramp_days,
        used,
        cfg.cramps_from_titles,
        &selection,
    )?;
    drop(cramp_days);
    if athletes.day_count() == 0 {
        // Nothing is written: the summary shows what was read, the error says why no day is
        // left, and the previous outputs, if any, stay as they were.
        if !cfg.quiet {
            super::print_message(&summary::warnings(&analysis));
            let _ = super::print_result(&summary::render(
                &analysis,
                &athletes,
                &DataFrame::empty(),
                &[],
            )?);
        }
        anyhow::bail!("{}", nothing_to_score(&analysis, covered, &selection));
    }
    let mut team = team::team_summary(table.team_rows, &analysis.athletes)?;
    stages.mark("team summary");
    let mut cramps = cramps;
    if let Some(codes) = &codes {
        cramps.pseudonymize(codes);
        athletes.rename(|name| codes.code(name).to_string());
        pseudonym::apply(&mut analysis, &mut team, codes)?;
        out.write(outputs::PSEUDONYM_KEY, |w| codes.write_key(w))?;
    }
    // The tables and the report read the same finished data and write different files: the
    // report (mostly one core) is built while the tables are written (both cores, in blocks).
    let folders = ReportFolders {
        staging: out.staging(),
        dir: out.dir().to_path_buf(),
        pages_ahead,
    };
    let (tables, charts_line) = std::thread::scope(|scope| {
        let tables = scope.spawn(|| write_tables(&mut out, &analysis, &team, cfg.tables));
        let report = write_charts_and_report(
            &analysis,
            &athletes,
            &team,
            cfg,
            folders,
            selection.as_of,
            cramps.facts.as_ref(),
        );
        let tables = tables
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("writing the tables panicked")));
        (tables, report)
    });
    tables?;
    let charts_line = charts_line?;
    stages.mark("tables, charts and report (written side by side)");
    // The whole set, written, replaces the previous one; until here a failure left it as it was.
    out.commit()?;
    if !cfg.quiet {
        super::print_message(&summary::warnings(&analysis));
        let mut wrote = vec![out.tables_line(analysis.ingested.rejections.len())];
        wrote.extend(charts_line);
        // The summary is the result (stdout). A reader that stopped early (`| head -1`)
        // changes nothing: the outputs are written and the outcome stands.
        match super::print_result(&summary::render(&analysis, &athletes, &team, &wrote)?) {
            Err(e) if !e.is::<super::ClosedPipe>() => return Err(e),
            _ => {}
        }
    }
    outcome(&analysis, cfg.strict, cfg.tables)
}

/// The cramps `analyze` uses (logged, and mentioned with `--cramps-from-titles`) and what the
/// report shows about them (None when none was read).
struct Cramps {
    facts: Option<CrampFacts>,
}

impl Cramps {
    /// Names as the outputs show them under `--pseudonymize`; notes scrubbed of quoted names.
    fn pseudonymize(&mut self, codes: &pseudonym::Pseudonyms) {
        let Some(f) = &mut self.facts else {
            return;
        };
        for c in &mut f.cramps {
            c.athlete = codes.code(&c.athlete).to_string();
            c.note = c.note.as_deref().map(|n| codes.scrub_text(n));
        }
        for g in &mut f.evaluation.groups {
            if g.group != "team" {
                g.group = codes.code(&g.group).to_string();
            }
        }
    }
}

/// Matches the cramps to the days with data (`days`: every computed day, before the
/// selection): those that match none are rejected (with the file's accounting moved from used
/// to rejected); the rest are scored on the days selected. Mentions not asked for are only
/// counted, with a warning saying how to use them.
fn cramp_facts(
    analysis: &mut Analysis,
    days: &DataFrame,
    used: Vec<Cramp>,
    from_titles: bool,
    selection: &Selection,
) -> anyhow::Result<Cramps> {
    let ingested = &mut analysis.ingested;
    let mentions_unused = if from_titles {
        0
    } else {
        ingested.mentions.len()
    };
    if mentions_unused > 0 {
        ingested.warnings.push(format!(
            "{mentions_unused} session title(s) mention a cramp; they are not counted without \
             --cramps-from-titles (`cramprisk inspect` lists them)"
        ));
    }
    if used.is_empty() {
        return Ok(Cramps { facts: None });
    }
    let outcomes = evaluate::outcomes(days, &used)?;
    super::account_cramp_rejections(ingested, &outcomes.rejections);
    let kept = |a: &str, d: NaiveDate| {
        (selection.athletes.is_empty() || selection.athletes.iter().any(|s| s == a))
            && selection.from.is_none_or(|f| d >= f)
            && selection.to.is_none_or(|t| d <= t)
    };
    let days: Vec<evaluate::Day> = outcomes
        .days
        .into_iter()
        .filter(|d| kept(&d.athlete, d.date))
        .collect();
    let facts = CrampFacts {
        cramps: used.clone(),
        evaluation: evaluate::evaluate(&days),
        in_warmup: outcomes.in_warmup,
        rejected: outcomes.rejections.len(),
        mentions_unused,
    };
    Ok(Cramps { facts: Some(facts) })
}

/// `rejected_rows` and, when there is a team summary, `team_summary`, as CSV and/or Parquet
/// (`--format`); daily_risk (CSV, Parquet, split by athlete under `--partition-by athlete`)
/// is written as the passes end.
fn write_tables(
    out: &mut Outputs,
    analysis: &Analysis,
    team: &DataFrame,
    tables: TableOutput,
) -> anyhow::Result<()> {
    use report::parquet as pq;
    // daily_risk is written already, a pass at a time (`run`).
    if tables.csv {
        out.write(outputs::REJECTED_ROWS, |w| {
            report::write_rejections(&analysis.ingested.rejections, w)
        })?;
        if team.height() > 0 {
            out.write(outputs::TEAM_SUMMARY, |w| {
                report::write_table(team, &team::summary_columns(), w)
            })?;
        }
    }
    if tables.parquet {
        let rejected = pq::rejections_frame(&analysis.ingested.rejections)?;
        out.write(outputs::REJECTED_ROWS_PARQUET, |w| pq::write(&rejected, w))?;
        if team.height() > 0 {
            let team = pq::typed_table(team, &team::summary_columns())?;
            out.write(outputs::TEAM_SUMMARY_PARQUET, |w| pq::write(&team, w))?;
        }
    }
    Ok(())
}

/// What `analyze` does with each pass's part of the daily table, on the thread that computed
/// it: the days selected, the cramp column, the rows as daily_risk.csv lines (names coded
/// under --pseudonymize), and what the views and the cramp evaluation read of it.
struct Parts<'a> {
    selection: &'a Selection,
    used: &'a [Cramp],
    logged: &'a std::collections::BTreeSet<String>,
    codes: Option<&'a pseudonym::Pseudonyms>,
    csv: bool,
    /// Whether daily_risk is written as Parquet: each part is typed on its thread.
    parquet: bool,
    /// The columns kept for the views.
    kept: Vec<String>,
    /// Whether the views read every day (the charts draw them), or only the days they list
    /// (their summaries of all the days are made from each part).
    every_day: bool,
    /// The last day of the team summary's weeks (None: no team summary).
    as_of: Option<NaiveDate>,
    /// Line buffers already written out, for the next parts' lines: a pass's lines (some
    /// 7 MB at 16 athletes × 730 days) go into memory that is already there instead of new
    /// pages the kernel must zero (`report::table_rows`).
    spare_lines: std::sync::Mutex<Vec<Vec<u8>>>,
    /// The team summary's aggregation plan, made once per thread (`team::team_rows`).
    team_plans: crate::reusable_plan::ReusablePlans,
}

/// One pass's part, finished.
struct Part {
    /// Its selected rows as daily_risk.csv lines (empty without CSV output).
    csv: Vec<u8>,
    /// Its selected rows typed for daily_risk.parquet (without Parquet output: None).
    parquet: Option<DataFrame>,
    /// Its selected rows, the columns the views read: every row, or only the rows the views
    /// list (`Parts::every_day`).
    kept: DataFrame,
    /// What the views show of each of its athletes' selected days taken together.
    summaries: Vec<view::AthleteSummary>,
    /// Its athletes' rows of the team summary (`team::team_rows`), when there is one.
    team_rows: Option<DataFrame>,
    /// Its rows before the selection, the columns the cramp evaluation reads (only when
    /// cramps were read).
    cramp_days: Option<DataFrame>,
    /// Its first and last day before the selection.
    covered: Option<(NaiveDate, NaiveDate)>,
}

impl Parts<'_> {
    /// A line buffer written out already (empty), or a new one.
    fn spare(&self) -> Vec<u8> {
        self.spare_lines
            .lock()
            .ok()
            .and_then(|mut spare| spare.pop())
            .unwrap_or_default()
    }

    /// A part's line buffer, written out, kept for a later part (at most one per thread that
    /// may be finishing a part, and one waiting).
    fn give_back(&self, mut lines: Vec<u8>) {
        lines.clear();
        if let Ok(mut spare) = self.spare_lines.lock() {
            if spare.len() < 3 {
                spare.push(lines);
            }
        }
    }

    fn finish(&self, part: DataFrame) -> anyhow::Result<Part> {
        let covered = compute::day_range(&part)?;
        let cramp_days = if self.used.is_empty() {
            None
        } else {
            Some(part.select(evaluate::outcome_columns())?)
        };
        let mut part = self.selection.apply(&part)?;
        let column = evaluate::logged::cramp_column(&part, self.used, self.logged)?;
        part.with_column(column)?;
        let columns = report::daily_columns_with_cramps();
        // The rows as written: names coded under --pseudonymize.
        let coded = match self.codes {
            Some(codes) if self.csv || self.parquet => {
                let mut coded = part.select(columns.iter().map(|(n, _)| n.as_str()))?;
                pseudonym::recode(&mut coded, codes)?;
                Some(coded)
            }
            _ => None,
        };
        let written = coded.as_ref().unwrap_or(&part);
        let mut csv = Vec::new();
        if self.csv {
            csv = self.spare();
            report::table_rows(written, &columns, &mut csv)?;
        }
        let parquet = self
            .parquet
            .then(|| report::parquet::typed_table(written, &columns))
            .transpose()?;
        drop(coded);
        let summaries = view::summaries(&part)?;
        let team_rows = self
            .as_of
            .map(|day| team::team_rows(&part, day, &self.team_plans))
            .transpose()?;
        let kept = part.select(&self.kept)?;
        let kept = if self.every_day {
            view::keep_texts_of_listed_days(&kept)?
        } else {
            view::listed_days_only(&kept)?
        };
        Ok(Part {
            csv,
            parquet,
            kept,
            summaries,
            team_rows,
            cramp_days,
            covered,
        })
    }
}

/// The finished parts put together as the passes end, in pass order.
#[derive(Default)]
struct Table {
    kept: Vec<DataFrame>,
    summaries: Vec<view::AthleteSummary>,
    team_rows: Vec<DataFrame>,
    cramp_days: Vec<DataFrame>,
    covered: Option<(NaiveDate, NaiveDate)>,
}

impl Table {
    fn add(&mut self, part: Part) {
        self.kept.push(part.kept);
        self.summaries.extend(part.summaries);
        self.team_rows.extend(part.team_rows);
        self.cramp_days.extend(part.cramp_days);
        self.covered = match (self.covered, part.covered) {
            (Some((a, b)), Some((c, d))) => Some((a.min(c), b.max(d))),
            (x, y) => x.or(y),
        };
    }
}

/// The columns the views (report, charts, terminal summary) read of the daily table, and the
/// cramp column: all `analyze` keeps of it once its rows are written (the team summary's rows
/// are made from each part).
fn kept_columns() -> Vec<String> {
    let mut kept = view::columns_read();
    kept.push(evaluate::logged::CRAMP_LOGGED.to_string());
    kept
}

/// Why a run has no day to score, in the user's terms: every file skipped, no row usable,
/// rows of no athlete (weather only), or days selected outside the ones the data covers.
/// `covered` is the data's first and last day before `--from/--to/--athlete` were applied.
pub fn nothing_to_score(
    analysis: &Analysis,
    covered: Option<(NaiveDate, NaiveDate)>,
    selection: &Selection,
) -> String {
    const HINT: &str = "`cramprisk inspect FILE` shows how a file is read";
    let files = &analysis.ingested.files;
    let rejections = &analysis.ingested.rejections;
    let first = |n: usize| -> String {
        let shown: Vec<String> = rejections
            .iter()
            .take(n)
            .map(|r| match r.line {
                Some(l) => format!("{}:{l}: {}", r.file, r.reason),
                None => format!("{}: {}", r.file, r.reason),
            })
            .collect();
        shown.join("; ")
    };
    let skipped = files.iter().filter(|f| f.skipped.is_some()).count();
    let read: usize = files.iter().map(|f| f.rows_read).sum();
    let used: usize = files.iter().map(|f| f.rows_used).sum();
    if skipped == files.len() {
        return format!(
            "nothing to score: every input file was skipped ({skipped} of {}: {}); {HINT}",
            files.len(),
            first(3)
        );
    }
    if used == 0 {
        return format!(
            "nothing to score: none of the {read} rows read was usable (the first: {}); {HINT}",
            first(3)
        );
    }
    let Some((lo, hi)) = covered else {
        return format!(
            "nothing to score: the {used} usable rows name no athlete's day (weather only?): \
             give activities, daily summaries or fluid logs"
        );
    };
    let mut why = Vec::new();
    if let Some(f) = selection.from.filter(|f| *f > hi) {
        why.push(format!("--from {f} is after it"));
    }
    if let Some(t) = selection.to.filter(|t| *t < lo) {
        why.push(format!("--to {t} is before it"));
    }
    if why.is_empty() {
        why.push(format!(
            "the athletes selected ({}) have no day between {} and {}",
            selection.athletes.join(", "),
            selection.from.unwrap_or(lo),
            selection.to.unwrap_or(hi)
        ));
    }
    format!(
        "nothing to score: the data covers {lo} to {hi}, and {}",
        why.join(" and ")
    )
}

/// How the run ends: with `--strict`, an error when any row or file was rejected, naming
/// the file the rejections were written to (`--format` decides which).
fn outcome(analysis: &Analysis, strict: bool, tables: TableOutput) -> anyhow::Result<Outcome> {
    let rejected_any = !analysis.ingested.rejections.is_empty();
    Ok(if strict && rejected_any {
        let written = if tables.csv {
            outputs::REJECTED_ROWS
        } else {
            outputs::REJECTED_ROWS_PARQUET
        };
        super::print_message(&format!(
            "error: --strict: some rows or files were rejected (see {written})\n"
        ));
        Outcome::Error
    } else {
        Outcome::Success
    })
}

/// How many athletes the report will show, guessed before the inputs are read: those named
/// by `--athlete`, else those of the profiles file (0 when there is none or it does not load:
/// reading the inputs reports why). The profiles file is read here a second time, ingest
/// reads it again: it is small (213 kB for 1,000 athletes), and its whole ingest stage,
/// archives included, took 12–17 ms at 1,000 athletes.
fn expected_athletes(cfg: &AnalyzeConfig, inputs: &compute::Inputs) -> usize {
    if !cfg.athletes.is_empty() {
        return cfg.athletes.len();
    }
    match inputs.profiles.as_slice() {
        [profiles] => crate::profiles::ProfilesFile::load(profiles).map_or(0, |p| p.athletes.len()),
        _ => 0,
    }
}

/// Where the charts and report go: the staging folder they are written into, the output
/// folder the summary names, and the athletes' pages' files made ahead, if any.
struct ReportFolders {
    staging: std::path::PathBuf,
    dir: std::path::PathBuf,
    pages_ahead: Option<crate::outputs::FilesAhead>,
}

/// Writes `charts/` and `report.html` from the finished analysis; the line the summary
/// prints about them.
fn write_charts_and_report(
    analysis: &Analysis,
    athletes: &view::AthleteSummaries,
    team: &DataFrame,
    cfg: &AnalyzeConfig,
    out: ReportFolders,
    as_of: Option<NaiveDate>,
    cramps: Option<&report::cramps_html::CrampFacts>,
) -> anyhow::Result<Option<String>> {
    use std::io::IsTerminal;
    let days = view::TeamDays::of(&analysis.daily)?;
    let ranked = team::ranking(team)?;
    // "This week" ends on --as-of (resolved by the caller), else the last day reported.
    let Some(as_of) = as_of.or_else(|| athletes.last_date()) else {
        return Ok(None);
    };
    // Written into the staging folder; the summary names where they will be.
    let (staging, dir) = (out.staging.as_path(), out.dir.as_path());
    let progress = !cfg.quiet && std::io::stderr().is_terminal();
    use crate::cli::ChartFormat as F;
    let formats = charts::Formats {
        png: matches!(cfg.charts, F::Png | F::Both),
        svg: matches!(cfg.charts, F::Svg | F::Both),
    };
    let rendered = charts::write_all(&days, &ranked, as_of, staging, formats, progress)?;
    let report = report::html::write(
        &report::html::ReportInput {
            athletes,
            days: &days,
            ranked: &ranked,
            as_of,
            rendered: &rendered,
            files: &analysis.ingested.files,
            rejections: &analysis.ingested.rejections,
            team_facts: &team_facts(team)?,
            cramps,
        },
        staging,
        out.pages_ahead,
    )?;
    let report = dir.join(report.strip_prefix(staging).unwrap_or(&report));
    Ok(Some(match rendered.file_count() {
        0 => format!("Wrote {} (no charts: --charts none).", report.display()),
        n => format!(
            "Wrote {} and {n} chart file(s) in {}.",
            report.display(),
            dir.join(outputs::CHARTS).display()
        ),
    }))
}

/// The team summary's leading factors and notes, for the report.
fn team_facts(team: &DataFrame) -> anyhow::Result<Vec<report::html::TeamFacts>> {
    if team.height() == 0 {
        return Ok(Vec::new());
    }
    let text = |c: &str| -> anyhow::Result<Vec<String>> {
        Ok(team
            .column(c)?
            .str()?
            .iter()
            .map(|v| v.unwrap_or("").to_string())
            .collect())
    };
    let (names, leading) = (text(s::ATHLETE)?, text("frequent_top_factors")?);
    let (location, defaulted) = (text("location_note")?, text("profile_defaulted")?);
    Ok((0..team.height())
        .map(|i| {
            let mut notes = Vec::new();
            if !location[i].is_empty() {
                notes.push(location[i].clone());
            }
            if !defaulted[i].is_empty() {
                notes.push(format!("from [defaults]: {}", defaulted[i]));
            }
            report::html::TeamFacts {
                athlete: names[i].clone(),
                leading: leading[i].clone(),
                notes: notes.join("; "),
            }
        })
        .collect())
}
