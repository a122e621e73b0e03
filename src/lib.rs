//! cramprisk: training, weather and fluid exports → a daily, explained muscle-cramp risk score.
//!
//! Flow: `ingest` (one module per format, into canonical frames) → `measures` (pure polars
//! expressions) → `daily` (the per-athlete grid) → `scoring` → `report` (writers that take
//! finished data). `run` is the only place that collects, and decides where output goes.

pub mod charts;
pub mod cli;
pub mod daily;
pub mod dates;
pub mod explain;
pub mod generate;
pub mod ingest;
pub mod inspect;
pub mod measures;
pub mod outputs;
pub mod profiles;
pub mod pseudonym;
pub mod report;
pub mod schema;
pub mod scoring;
pub mod stages;
pub mod summary;
pub mod team;
pub mod view;

use std::path::PathBuf;

use chrono::NaiveDate;
use std::process::ExitCode;

use anyhow::Context;
use polars::prelude::*;

use crate::ingest::{InputFile, KindHint};
use crate::profiles::{ProfilesFile, Sex};
use crate::schema as s;

/// How a run ended; mapped to the documented exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Finished; rejected rows, if any, are listed in rejected_rows.csv.
    Success,
    /// A runtime or data error, or (with `--strict`) a rejected row or file.
    Error,
}

impl From<Outcome> for ExitCode {
    fn from(o: Outcome) -> Self {
        match o {
            Outcome::Success => ExitCode::SUCCESS,
            Outcome::Error => ExitCode::from(1),
        }
    }
}

/// Runs one parsed command line.
pub fn run(cli: cli::Cli) -> anyhow::Result<Outcome> {
    match cli.command {
        cli::Command::Generate(args) => {
            let opts = generate::GenerateOptions {
                athletes: args.athletes,
                days: args.days,
                start: args.start,
                seed: args.seed,
            };
            let summary = generate::generate(&opts, &args.out)?;
            eprintln!("{summary}");
            Ok(Outcome::Success)
        }
        cli::Command::Analyze(args) => analyze(&args),
        cli::Command::Explain(args) => explain_day(&args),
        cli::Command::Inspect(args) => {
            print!("{}", inspect::inspect(&args)?);
            Ok(Outcome::Success)
        }
        cli::Command::Model => {
            print!("{}", scoring::DEFAULT_MODEL_TOML);
            Ok(Outcome::Success)
        }
    }
}

/// The finished analysis: the daily table, the athletes' resolved profiles and the
/// accounting of the inputs.
pub struct Analysis {
    pub daily: DataFrame,
    /// One row per athlete: profile values, `profile_defaulted`, `location_note`.
    pub athletes: DataFrame,
    pub ingested: ingest::Ingested,
}

/// Reads the inputs and computes the scored daily table of every athlete, from their first
/// record to their last (extended to `grid_end` when that is later). The days to report are
/// chosen afterwards (`select_days`), so explanations see the days before `--from`.
pub fn compute(inputs: &Inputs, grid_end: Option<NaiveDate>) -> anyhow::Result<Analysis> {
    let model = &inputs.model;
    let mut stages = stages::Stages::from_env();
    let ingested = ingest::load(&inputs.files, &inputs.profiles, &inputs.read)?;
    stages.mark("ingest");
    let athletes = athlete_frame(&ingested.frames, &ingested.profiles, model)?;
    let window = daily::Window {
        from: None,
        to: grid_end,
    };
    let lf = scoring::score(
        daily::daily_measures(&ingested.frames, &athletes, window)?,
        model,
    )?;
    let mut daily = anyhow::Context::context(lf.collect(), "computing the daily table")?;
    stages.mark("daily table (polars plan)");
    explain::add_explanations(&mut daily, model)?;
    stages.mark("explanations");
    Ok(Analysis {
        daily,
        athletes,
        ingested,
    })
}

/// Athletes computed together by `compute_report`: enough rows per pass for polars to work
/// in bulk, few enough that the wide intermediate table (every measure and factor column,
/// about 150) stays small however many athletes a run has.
pub const ATHLETES_PER_PASS: usize = 64;

/// As `compute`, but keeping only the `keep` columns of the daily table (what the reports
/// use; `ingested.frames` comes back empty), computed `ATHLETES_PER_PASS` athletes at a time: each athlete's rows depend only on
/// that athlete's records and the shared weather, so the passes give the rows `compute`
/// gives, while memory grows with the narrow table, not with the wide one.
pub fn compute_report(
    inputs: &Inputs,
    grid_end: Option<NaiveDate>,
    keep: &[&str],
) -> anyhow::Result<Analysis> {
    let model = &inputs.model;
    let mut stages = stages::Stages::from_env();
    let ingested = ingest::load(&inputs.files, &inputs.profiles, &inputs.read)?;
    stages.mark("ingest");
    let athletes = athlete_frame(&ingested.frames, &ingested.profiles, model)?;
    let window = daily::Window {
        from: None,
        to: grid_end,
    };
    let keep: Vec<Expr> = keep.iter().map(|c| col(*c)).collect();
    let pass = |frames: &ingest::Frames, athletes: &DataFrame| -> anyhow::Result<DataFrame> {
        let lf = scoring::score(daily::daily_measures(frames, athletes, window)?, model)?;
        let mut daily = anyhow::Context::context(lf.collect(), "computing the daily table")?;
        explain::add_explanations(&mut daily, model)?;
        Ok(daily.lazy().select(keep.clone()).collect()?)
    };
    let daily = if athletes.height() <= ATHLETES_PER_PASS {
        pass(&ingested.frames, &athletes)?
    } else {
        let passes = daily::AthletePasses::new(&ingested.frames, &athletes, ATHLETES_PER_PASS)?;
        let mut parts = Vec::with_capacity(passes.len());
        for k in 0..passes.len() {
            let (frames, their) = passes.pass(k)?;
            parts.push(pass(&frames, &their)?);
        }
        let mut parts = parts.into_iter();
        let mut daily = parts.next().unwrap_or_default();
        for part in parts {
            daily.vstack_mut_owned(part)?;
        }
        daily.rechunk_mut();
        daily
    };
    stages.mark("daily table, scores and explanations");
    // The reports read the daily table, never the input rows: let those go before the
    // writers and charts need their memory.
    let mut ingested = ingested;
    ingested.frames = ingest::Frames::default();
    Ok(Analysis {
        daily,
        athletes,
        ingested,
    })
}

/// The days and athletes a run reports, resolved from the flags and the data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// The day "this week" ends on (team summary).
    pub as_of: Option<NaiveDate>,
    /// Canonical athlete names to keep (empty = all).
    pub athletes: Vec<String>,
}

/// Resolves `--from/--to/--last/--as-of` against the last day in the data (the clock is never
/// read): `as_of` = `--as-of`, else `--to`, else the last day; `--to` defaults to `--as-of`;
/// `--last N` = the N days ending on `--to` (or `as_of`).
pub fn resolve_days(
    args: &cli::AnalyzeArgs,
    last_day: Option<NaiveDate>,
) -> anyhow::Result<(Option<NaiveDate>, Option<NaiveDate>, Option<NaiveDate>)> {
    let to = args.to.or(args.as_of);
    if let (Some(t), Some(a)) = (args.to, args.as_of) {
        anyhow::ensure!(t <= a, "--to {t} is after --as-of {a}");
    }
    let as_of = args.as_of.or(args.to).or(last_day);
    let from = match (args.from, args.last) {
        (Some(f), _) => Some(f),
        (None, Some(n)) => to
            .or(as_of)
            .map(|end| end - chrono::Duration::days(i64::from(n) - 1)),
        (None, None) => None,
    };
    if let (Some(f), Some(t)) = (from, to) {
        anyhow::ensure!(f <= t, "--from {f} is after --to {t}");
    }
    Ok((from, to, as_of))
}

/// Keeps the rows of the selected days and athletes.
pub fn select_days(daily: &DataFrame, sel: &Selection) -> anyhow::Result<DataFrame> {
    if sel.from.is_none() && sel.to.is_none() && sel.athletes.is_empty() {
        // Every row: the same table, not a filtered copy of it.
        return Ok(daily.clone());
    }
    let day = |d: NaiveDate| lit(dates::to_days(d)).cast(DataType::Date);
    let mut keep = lit(true);
    if let Some(f) = sel.from {
        keep = keep.and(col(s::DATE).gt_eq(day(f)));
    }
    if let Some(t) = sel.to {
        keep = keep.and(col(s::DATE).lt_eq(day(t)));
    }
    if !sel.athletes.is_empty() {
        let names = Series::new("wanted".into(), sel.athletes.clone());
        keep = keep.and(col(s::ATHLETE).is_in(lit(names).implode(false), false));
    }
    Ok(daily.clone().lazy().filter(keep).collect()?)
}

/// The athletes of a frame with an `athlete` column, in its order.
fn athlete_names(df: &DataFrame) -> anyhow::Result<Vec<String>> {
    Ok(df
        .column(s::ATHLETE)?
        .str()?
        .iter()
        .flatten()
        .map(str::to_string)
        .collect())
}

/// The canonical names of the athletes asked for with `--athlete`, matched through aliases and
/// case; an unknown name is an error that lists the athletes (closest first).
fn wanted_athletes(wanted: &[String], analysis: &Analysis) -> anyhow::Result<Vec<String>> {
    let known = athlete_names(&analysis.athletes)?;
    let mut by_key: std::collections::HashMap<String, String> = known
        .iter()
        .map(|n| (profiles::name_key(n), n.clone()))
        .collect();
    for (spelling, athlete) in &analysis.ingested.spellings {
        by_key
            .entry(profiles::name_key(spelling))
            .or_insert_with(|| athlete.clone());
    }
    wanted
        .iter()
        .map(|w| {
            by_key.get(&profiles::name_key(w)).cloned().ok_or_else(|| {
                let mut near = known.clone();
                near.sort_by(|a, b| {
                    let sim = |n: &str| {
                        strsim::jaro_winkler(&profiles::name_key(n), &profiles::name_key(w))
                    };
                    sim(b).total_cmp(&sim(a)).then(a.cmp(b))
                });
                anyhow::anyhow!(
                    "--athlete {w:?}: no such athlete in the inputs (athletes: {})",
                    near.join(", ")
                )
            })
        })
        .collect()
}

fn analyze(args: &cli::AnalyzeArgs) -> anyhow::Result<Outcome> {
    if let (Some(f), Some(t)) = (args.from, args.to) {
        anyhow::ensure!(f <= t, "--from {f} is after --to {t}");
    }
    let mut stages = stages::Stages::from_env();
    let mut inputs = gather(&args.input)?;
    // The clock is read once, and never when --as-of pins the run's day.
    if args.as_of.is_none() {
        inputs.read.today = Some(ingest::checks::today_utc());
    }
    stages.mark("gather inputs");
    let written: Vec<String> = report::daily_columns()
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    let written: Vec<&str> = written.iter().map(String::as_str).collect();
    let mut analysis = compute_report(&inputs, args.as_of.or(args.to), &written)?;
    stages.mark("compute (total)");
    let dates = analysis.daily.column(s::DATE)?.cast(&DataType::Int32)?;
    let last_day = dates.i32()?.max().map(dates::from_days);
    let (from, to, as_of) = resolve_days(args, last_day)?;
    let selection = Selection {
        from,
        to,
        as_of,
        athletes: wanted_athletes(&args.athlete, &analysis)?,
    };
    analysis.daily = select_days(&analysis.daily, &selection)?;
    stages.mark("select days");
    let team = match as_of {
        Some(day) => team::team_summary(&analysis.daily, &analysis.athletes, day)?,
        None => DataFrame::empty(),
    };
    let mut team = team;
    stages.mark("team summary");

    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating output folder {}", args.out.display()))?;
    let input_paths: Vec<PathBuf> = inputs
        .files
        .iter()
        .map(|f| f.path.clone())
        .chain(inputs.profiles.iter().cloned())
        .collect();
    outputs::guard(&args.out, &input_paths)?;
    outputs::mark(&args.out)?;
    if args.pseudonymize {
        let key_path = args.out.join("pseudonym_key.csv");
        let existing = pseudonym::Pseudonyms::read_key(&key_path)?;
        let names = athlete_names(&analysis.athletes)?;
        let codes = pseudonym::Pseudonyms::assign(&names, &analysis.ingested.spellings, existing);
        pseudonymize(&mut analysis, &mut team, &codes)?;
        report::write_atomically(&key_path, |w| codes.write_key(w))?;
    }
    let daily_path = args.out.join("daily_risk.csv");
    report::write_atomically(&daily_path, |w| {
        report::write_table(&analysis.daily, &report::daily_columns(), w)
    })?;
    let rejected_path = args.out.join("rejected_rows.csv");
    report::write_atomically(&rejected_path, |w| {
        report::write_rejections(&analysis.ingested.rejections, w)
    })?;
    if team.height() > 0 {
        report::write_atomically(&args.out.join("team_summary.csv"), |w| {
            report::write_table(&team, &team::summary_columns(), w)
        })?;
    }
    stages.mark("write CSVs");
    let charts_line = if analysis.daily.height() > 0 {
        write_charts_and_report(&analysis, &team, &inputs.model, args, as_of)?
    } else {
        None
    };
    stages.mark("charts and report");
    if !args.quiet {
        let summary = summary::render(&analysis, &team, &args.out)?;
        // The report and charts are named next to the tables, before the closing note.
        match (charts_line, summary.rsplit_once("An evidence-informed")) {
            (Some(line), Some((head, tail))) => {
                eprint!("{head}{line}\nAn evidence-informed{tail}")
            }
            (Some(line), None) => eprintln!("{summary}{line}"),
            (None, _) => eprint!("{summary}"),
        }
    }
    if analysis.daily.height() == 0 {
        let skipped = analysis
            .ingested
            .files
            .iter()
            .filter(|f| f.skipped.is_some())
            .count();
        anyhow::bail!(
            "nothing to score: no usable rows in {} file(s) ({skipped} skipped as unrecognised or unreadable; \
             see rejected_rows.csv; `cramprisk inspect FILE` shows how a file is read), or no days in \
             the selected period",
            analysis.ingested.files.len()
        );
    }
    let rejected_any = !analysis.ingested.rejections.is_empty();
    Ok(if args.strict && rejected_any {
        eprintln!("error: --strict: some rows or files were rejected (see rejected_rows.csv)");
        Outcome::Error
    } else {
        Outcome::Success
    })
}

/// Replaces athlete names by their codes everywhere an output could show them: the daily and
/// athlete tables, the team summary, file paths, rejection reasons and warnings.
fn pseudonymize(
    analysis: &mut Analysis,
    team: &mut DataFrame,
    codes: &pseudonym::Pseudonyms,
) -> anyhow::Result<()> {
    let recode = |df: &mut DataFrame| -> anyhow::Result<()> {
        if df.height() == 0 {
            return Ok(());
        }
        let names = df.column(s::ATHLETE)?.str()?.clone();
        let coded: Vec<Option<String>> = names
            .iter()
            .map(|n| n.map(|n| codes.code(n).to_string()))
            .collect();
        df.with_column(Column::new(s::ATHLETE.into(), coded))?;
        // Free-text columns could quote a name (a location note, a reason).
        let texts: Vec<String> = df
            .columns()
            .iter()
            .filter(|c| c.dtype() == &DataType::String && c.name().as_str() != s::ATHLETE)
            .map(|c| c.name().to_string())
            .collect();
        for name in texts {
            let scrubbed: Vec<Option<String>> = df
                .column(&name)?
                .str()?
                .iter()
                .map(|v| v.map(|v| codes.scrub(v)))
                .collect();
            df.with_column(Column::new(name.into(), scrubbed))?;
        }
        Ok(())
    };
    recode(&mut analysis.daily)?;
    recode(&mut analysis.athletes)?;
    recode(team)?;
    let ing = &mut analysis.ingested;
    for f in &mut ing.files {
        f.path = PathBuf::from(codes.scrub(&f.path.to_string_lossy()));
        f.skipped = f.skipped.as_ref().map(|s| codes.scrub(s));
    }
    if let Some(p) = &ing.profiles_path {
        ing.profiles_path = Some(PathBuf::from(codes.scrub(&p.to_string_lossy())));
    }
    for r in &mut ing.rejections {
        r.file = codes.scrub(&r.file);
        r.reason = codes.scrub(&r.reason);
    }
    for w in &mut ing.warnings {
        *w = codes.scrub(w);
    }
    Ok(())
}

/// Writes `charts/` and `report.html` from the finished analysis.
fn write_charts_and_report(
    analysis: &Analysis,
    team: &DataFrame,
    model: &scoring::Model,
    args: &cli::AnalyzeArgs,
    as_of: Option<NaiveDate>,
) -> anyhow::Result<Option<String>> {
    use std::io::IsTerminal;
    let days = view::days_from_frame(&analysis.daily)?;
    let ranked = team::ranking(team)?;
    // "This week" ends on --as-of (resolved by the caller), else the last day reported.
    let Some(as_of) = as_of.or_else(|| view::last_date(&days)) else {
        return Ok(None);
    };
    use cli::ChartFormat as F;
    let formats = charts::Formats {
        png: matches!(args.charts, F::Png | F::Both),
        svg: matches!(args.charts, F::Svg | F::Both),
    };
    let progress = !args.quiet && std::io::stderr().is_terminal();
    let rendered = charts::write_all(
        &days,
        &model.bands,
        &ranked,
        as_of,
        &args.out,
        formats,
        progress,
    )?;
    let report = report::html::write(
        &report::html::ReportInput {
            days: &days,
            bands: &model.bands,
            ranked: &ranked,
            as_of,
            rendered: &rendered,
            files: &analysis.ingested.files,
            rejections: &analysis.ingested.rejections,
            team_facts: &team_facts(team)?,
        },
        &args.out,
    )?;
    Ok(Some(match rendered.file_count() {
        0 => format!("Wrote {} (no charts: --charts none).", report.display()),
        n => format!(
            "Wrote {} and {n} chart file(s) in {}.",
            report.display(),
            args.out.join("charts").display()
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

/// The inputs of a run, resolved from the command line.
pub struct Inputs {
    pub files: Vec<InputFile>,
    pub profiles: Vec<PathBuf>,
    pub read: ingest::ReadOptions,
    pub model: scoring::Model,
}

fn gather(args: &cli::InputArgs) -> anyhow::Result<Inputs> {
    let (mut files, mut profiles) = ingest::discover(&args.inputs)?;
    let named = [
        (&args.activities, KindHint::Activities),
        (&args.daily, KindHint::Daily),
        (&args.weather, KindHint::Weather),
        (&args.fluids, KindHint::Fluids),
    ];
    for (paths, hint) in named {
        for p in paths {
            anyhow::ensure!(
                p.is_file(),
                "{} does not exist or is not a file",
                p.display()
            );
            files.retain(|f| f.path != *p);
            files.push(InputFile {
                path: p.clone(),
                hint: Some(hint),
            });
        }
    }
    if let Some(p) = &args.profiles {
        profiles = vec![p.clone()];
    }
    anyhow::ensure!(
        !files.is_empty(),
        "no CSV files to read: give files or folders, or --activities/--daily/--weather/--fluids"
    );
    let model = match &args.model {
        Some(p) => scoring::Model::load(p)?,
        None => scoring::Model::default(),
    };
    Ok(Inputs {
        files,
        profiles,
        read: ingest::ReadOptions {
            athlete_name: args.athlete_name.clone(),
            vendor: args.vendor.vendor,
            units: args.vendor.units,
            tz: args.vendor.tz,
            today: None,
        },
        model,
    })
}

fn explain_day(args: &cli::ExplainArgs) -> anyhow::Result<Outcome> {
    let mut inputs = gather(&args.input)?;
    inputs.read.today = Some(ingest::checks::today_utc());
    let analysis = compute(&inputs, Some(args.date))?;
    let names = analysis.ingested.profiles.alias_map();
    let wanted = profiles::name_key(&args.athlete);
    let wanted = names
        .get(&wanted)
        .map(|n| profiles::name_key(n))
        .unwrap_or(wanted);
    let athletes = analysis.daily.column(s::ATHLETE)?.str()?.clone();
    let days = analysis.daily.column(s::DATE)?.cast(&DataType::Int32)?;
    let days = days.i32()?;
    let target = dates::to_days(args.date);
    let row = (0..analysis.daily.height()).find(|&i| {
        athletes.get(i).map(profiles::name_key).as_deref() == Some(wanted.as_str())
            && days.get(i) == Some(target)
    });
    let Some(row) = row else {
        let mut known: Vec<String> = athletes.iter().flatten().map(str::to_string).collect();
        known.dedup();
        anyhow::bail!(
            "no day {} for athlete {:?} in the inputs (athletes: {})",
            args.date,
            args.athlete,
            known.join(", ")
        );
    };
    print!(
        "{}",
        explain::breakdown(&analysis.daily, row, &inputs.model)?
    );
    Ok(Outcome::Success)
}

/// The athletes found in the inputs, one row each, with their resolved profile values as
/// columns for the measures.
pub fn athlete_frame(
    frames: &ingest::Frames,
    profiles: &ProfilesFile,
    model: &scoring::Model,
) -> anyhow::Result<DataFrame> {
    let mut names: Vec<String> = Vec::new();
    for df in [
        &frames.activities,
        &frames.fluids,
        &frames.daily,
        &frames.food,
    ] {
        let unique = df.column(s::ATHLETE)?.unique()?;
        names.extend(unique.str()?.iter().flatten().map(str::to_string));
    }
    names.sort();
    names.dedup();
    // The places weather was given for ("" = weather that names no place).
    let mut places: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    for df in [&frames.weather_hourly, &frames.weather_daily] {
        if let Ok(c) = df.column(s::LOCATION) {
            places.extend(c.str()?.iter().flatten().map(str::to_string));
        }
    }
    let weather_has_places = places.iter().any(|p| !p.is_empty());
    let resolved: Vec<profiles::Profile> = names.iter().map(|n| profiles.resolve(n)).collect();
    let v = |f: fn(&profiles::ProfileValues) -> Option<f64>| -> Vec<Option<f64>> {
        resolved.iter().map(|p| f(&p.values)).collect()
    };
    let female: Vec<Option<bool>> = resolved
        .iter()
        .map(|p| p.values.sex.map(|s| s == Sex::Female))
        .collect();
    // Weather without places applies to everyone; with places, only to athletes whose
    // profile names one of them (never another place's weather).
    let weather_key: Vec<Option<String>> = resolved
        .iter()
        .map(|p| {
            if weather_has_places {
                p.values.location.as_deref().map(profiles::name_key)
            } else {
                Some(String::new())
            }
        })
        .collect();
    let location_note: Vec<String> = resolved
        .iter()
        .map(|p| match (&p.values.location, weather_has_places) {
            (None, true) => "no location in athletes.toml, and the weather names places: \
                             heat not assessed"
                .to_string(),
            (Some(l), true) if !places.contains(&profiles::name_key(l)) => {
                format!("no weather for location {l:?}: heat not assessed")
            }
            (Some(l), false) if !places.contains("") => {
                format!("no weather given (location {l:?}): heat not assessed")
            }
            (None, false) if !places.contains("") => {
                "no weather given: heat not assessed".to_string()
            }
            _ => String::new(),
        })
        .collect();
    let (base, detail): (Vec<Option<f64>>, Vec<String>) = resolved
        .iter()
        .map(|p| scoring::predisposition_base(&p.values, &model.predisposition))
        .unzip();
    let birth_year: Vec<Option<i32>> = resolved.iter().map(|p| p.values.birth_year).collect();
    let defaulted: Vec<String> = resolved.iter().map(|p| p.defaulted.join(" ")).collect();
    Ok(DataFrame::new_infer_height(vec![
        Column::new(s::ATHLETE.into(), names.clone()),
        Column::new(s::FEMALE.into(), female),
        Column::new(s::HR_REST.into(), v(|p| p.hr_rest)),
        Column::new(s::HR_MAX_PROFILE.into(), v(|p| p.hr_max)),
        Column::new(s::BODY_MASS_KG.into(), v(|p| p.body_mass_kg)),
        Column::new(s::SWEAT_RATE_L_PER_H.into(), v(|p| p.sweat_rate_l_per_h)),
        Column::new(
            s::SWEAT_SODIUM_MG_PER_L.into(),
            v(|p| p.sweat_sodium_mg_per_l),
        ),
        Column::new(s::WEATHER_KEY.into(), weather_key),
        Column::new("predisposition_base".into(), base),
        Column::new("predisposition_detail".into(), detail),
        Column::new("birth_year".into(), birth_year),
        Column::new("profile_defaulted".into(), defaulted),
        Column::new("location_note".into(), location_note),
    ])?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The daily table computed in passes of `ATHLETES_PER_PASS` athletes is the table computed
    /// in one go: same rows in the same order, same values in every column the reports keep.
    #[test]
    fn passes_give_the_one_pass_table() {
        let dir = tempfile::tempdir().unwrap();
        let opts = generate::GenerateOptions {
            athletes: ATHLETES_PER_PASS + 6,
            days: 40,
            start: NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
            seed: 7,
        };
        generate::generate(&opts, dir.path()).unwrap();
        let (files, profiles) = ingest::discover(&[dir.path().to_path_buf()]).unwrap();
        let inputs = Inputs {
            files,
            profiles,
            read: ingest::ReadOptions::default(),
            model: scoring::Model::default(),
        };
        let written: Vec<String> = report::daily_columns()
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        let written: Vec<&str> = written.iter().map(String::as_str).collect();
        let whole = compute(&inputs, None).unwrap();
        let in_passes = compute_report(&inputs, None, &written).unwrap();
        // More athletes than one pass holds, so the table really came in two parts.
        assert_eq!(in_passes.athletes.height(), ATHLETES_PER_PASS + 6);
        let whole = whole.daily.select(written.iter().copied()).unwrap();
        assert!(
            whole.height() >= ATHLETES_PER_PASS * 30,
            "{} rows",
            whole.height()
        );
        assert_eq!(whole.height(), in_passes.daily.height());
        assert!(whole.equals_missing(&in_passes.daily));
    }
}
