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
pub mod measures;
pub mod profiles;
pub mod report;
pub mod schema;
pub mod scoring;
pub mod summary;

use std::path::PathBuf;
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
        cli::Command::Model => {
            print!("{}", scoring::DEFAULT_MODEL_TOML);
            Ok(Outcome::Success)
        }
    }
}

/// The finished analysis: the daily table and the accounting of the inputs.
pub struct Analysis {
    pub daily: DataFrame,
    pub ingested: ingest::Ingested,
}

/// Reads the inputs and computes the scored daily table.
pub fn compute(inputs: &Inputs, window: daily::Window) -> anyhow::Result<Analysis> {
    let model = &inputs.model;
    let ingested = ingest::load(&inputs.files, &inputs.profiles, &inputs.read)?;
    let athletes = athlete_frame(&ingested.frames, &ingested.profiles, model)?;
    let lf = daily::daily_measures(&ingested.frames, &athletes, window)?;
    let lf = daily::restrict(scoring::score(lf, model)?, window);
    let mut daily = anyhow::Context::context(lf.collect(), "computing the daily table")?;
    explain::add_explanations(&mut daily, model)?;
    Ok(Analysis { daily, ingested })
}

fn analyze(args: &cli::AnalyzeArgs) -> anyhow::Result<Outcome> {
    let window = daily::Window {
        from: args.from,
        to: args.to,
    };
    if let (Some(f), Some(t)) = (window.from, window.to) {
        anyhow::ensure!(f <= t, "--from {f} is after --to {t}");
    }
    let inputs = gather(&args.input)?;
    let analysis = compute(&inputs, window)?;

    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating output folder {}", args.out.display()))?;
    let daily_path = args.out.join("daily_risk.csv");
    report::write_atomically(&daily_path, |w| {
        report::write_table(&analysis.daily, &report::daily_columns(), w)
    })?;
    let rejected_path = args.out.join("rejected_rows.csv");
    report::write_atomically(&rejected_path, |w| {
        report::write_rejections(&analysis.ingested.rejections, w)
    })?;
    if analysis.daily.height() > 0 {
        write_charts_and_report(&analysis, &inputs.model, args)?;
    }
    if !args.quiet {
        eprint!("{}", summary::render(&analysis, &args.out)?);
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
             see rejected_rows.csv). Vendor exports (Garmin, Strava, …) are not read yet: see docs/formats.md",
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

/// Writes `charts/` and `report.html` from the finished analysis.
fn write_charts_and_report(
    analysis: &Analysis,
    model: &scoring::Model,
    args: &cli::AnalyzeArgs,
) -> anyhow::Result<()> {
    use std::io::IsTerminal;
    let days = charts::data::days_from_frame(&analysis.daily)?;
    let Some(as_of) = charts::data::last_date(&days) else {
        return Ok(());
    };
    use cli::ChartFormat as F;
    let formats = charts::Formats {
        png: matches!(args.charts, F::Png | F::Both),
        svg: matches!(args.charts, F::Svg | F::Both),
    };
    let progress = !args.quiet && std::io::stderr().is_terminal();
    let rendered = charts::write_all(&days, &model.bands, as_of, &args.out, formats, progress)?;
    let report = report::html::write(
        &report::html::ReportInput {
            days: &days,
            bands: &model.bands,
            as_of,
            rendered: &rendered,
            files: &analysis.ingested.files,
            rejections: &analysis.ingested.rejections,
        },
        &args.out,
    )?;
    if !args.quiet {
        eprintln!(
            "Wrote {} and {} chart file(s) in {}.",
            report.display(),
            rendered.file_count(),
            args.out.join("charts").display()
        );
    }
    Ok(())
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
        },
        model,
    })
}

fn explain_day(args: &cli::ExplainArgs) -> anyhow::Result<Outcome> {
    let inputs = gather(&args.input)?;
    let window = daily::Window {
        from: None,
        to: Some(args.date),
    };
    let analysis = compute(&inputs, window)?;
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
    for df in [&frames.activities, &frames.fluids, &frames.daily] {
        let unique = df.column(s::ATHLETE)?.unique()?;
        names.extend(unique.str()?.iter().flatten().map(str::to_string));
    }
    names.sort();
    names.dedup();
    let weather_has_places = [&frames.weather_hourly, &frames.weather_daily]
        .iter()
        .any(|df| {
            df.column(s::LOCATION)
                .ok()
                .and_then(|c| {
                    c.str()
                        .ok()
                        .map(|s| s.iter().flatten().any(|l| !l.is_empty()))
                })
                .unwrap_or(false)
        });
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
    ])?)
}
