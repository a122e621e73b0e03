//! The computation the commands share: the inputs gathered from the configuration, read, and
//! turned into the scored, explained daily table with the athletes' resolved profiles. One
//! `compute`, used by `analyze` (the written columns) and `explain` (every column).

use std::path::PathBuf;

use chrono::NaiveDate;
use polars::prelude::*;

use crate::config::InputConfig;
use crate::ingest::{self, InputFile};
use crate::model::Model;
use crate::profiles::{self, ProfilesFile, Sex};
use crate::schema as s;
use crate::{daily, explain, stages};

/// The inputs of a run, resolved from the configuration.
pub struct Inputs {
    pub files: Vec<InputFile>,
    pub profiles: Vec<PathBuf>,
    pub read: ingest::ReadOptions,
    pub model: Model,
}

impl Inputs {
    /// The files of one folder (walked as `analyze FOLDER` walks it), read with the default
    /// options and scored with the default model.
    pub fn of_folder(folder: &std::path::Path) -> anyhow::Result<Inputs> {
        let (files, profiles) = ingest::discover(&[folder.to_path_buf()])?;
        Ok(Inputs {
            files,
            profiles,
            read: ingest::ReadOptions::default(),
            model: Model::default(),
        })
    }

    /// Every input path (files and profiles), for the guard that outputs never replace one.
    pub fn paths(&self) -> Vec<PathBuf> {
        self.files
            .iter()
            .map(|f| f.path.clone())
            .chain(self.profiles.iter().cloned())
            .collect()
    }
}

/// Finds the input files (walking folders; nothing is read yet) and loads the model.
pub fn gather(cfg: &InputConfig) -> anyhow::Result<Inputs> {
    let (mut files, mut profiles) = ingest::discover(&cfg.paths)?;
    for (p, hint) in &cfg.named {
        anyhow::ensure!(
            p.is_file(),
            "{} does not exist or is not a file",
            p.display()
        );
        files.retain(|f| f.path != *p);
        files.push(InputFile {
            path: p.clone(),
            hint: Some(*hint),
        });
    }
    if let Some(p) = &cfg.profiles {
        profiles = vec![p.clone()];
    }
    anyhow::ensure!(
        !files.is_empty(),
        "no CSV files to read: give files or folders, or --activities/--daily/--weather/--fluids"
    );
    let model = match &cfg.model {
        Some(p) => Model::load(p)?,
        None => Model::default(),
    };
    Ok(Inputs {
        files,
        profiles,
        read: cfg.read.clone(),
        model,
    })
}

/// The finished analysis: the daily table, the athletes' resolved profiles and the
/// accounting of the inputs.
pub struct Analysis {
    pub daily: DataFrame,
    /// One row per athlete: profile values, `profile_defaulted`, `location_note`.
    pub athletes: DataFrame,
    pub ingested: ingest::Ingested,
    /// When the days asked for ended too far after the data, and where they were cut.
    pub capped: Option<Capped>,
}

/// Athlete-days computed together: enough rows per pass for polars to work in bulk, few
/// enough that the wide intermediate table (every measure and factor column, about 150) stays
/// small however many athletes a run has. Counted in days, not athletes: a pass has a fixed
/// cost (planning and joining some twenty frames), so 10,000 athletes with 73 days each go in
/// as few passes as 1,000 with 730 (16 athletes of two years per pass). With the table
/// written as the passes end and the views fed from each part, a run's peak memory is two
/// passes at work on top of the inputs: 32 athletes a pass peaked at 522 MiB at 1,000 × 730,
/// 16 at 460 MiB, in the same wall time (median ratio 0.96; at 10,000 × 73, 1.04 and 691 →
/// 616 MiB; four pairs run in turn each, docs/performance.md).
pub const DAYS_PER_PASS: usize = 16 * 730;

/// Reads the inputs and computes the scored, explained daily table of every athlete, from
/// their first record to their last (extended to `grid_end` when that is later). The days to
/// report are chosen afterwards (`select`), so explanations see the days before `--from`.
///
/// `keep` names the columns kept (what the writers use; `None` keeps all). The table is
/// computed `DAYS_PER_PASS` athlete-days at a time: each athlete's rows depend only on that
/// athlete's records and the shared weather, so the passes give the rows one pass gives,
/// while memory grows with the kept table, not with the wide one. The input rows are let go
/// (`ingested.frames` comes back empty): the outputs read the daily table only.
pub fn compute(
    inputs: &Inputs,
    grid_end: Option<NaiveDate>,
    keep: Option<&[&str]>,
) -> anyhow::Result<Analysis> {
    compute_in_passes(inputs, grid_end, keep, DAYS_PER_PASS)
}

/// `compute` with a given pass size in athlete-days (`usize::MAX`: one pass).
pub fn compute_in_passes(
    inputs: &Inputs,
    grid_end: Option<NaiveDate>,
    keep: Option<&[&str]>,
    days_per_pass: usize,
) -> anyhow::Result<Analysis> {
    let mut prepared = prepare(inputs, grid_end)?;
    let mut parts = Vec::new();
    prepared.passes(inputs, keep, days_per_pass, Ok, |_, part| {
        parts.push(part);
        Ok(())
    })?;
    let mut stages = stages::Stages::from_env();
    let daily = stack(parts)?;
    stages.mark("passes' parts put together");
    Ok(prepared.into_analysis(daily))
}

/// The inputs read, ready for the passes: what a run knows before any day is computed.
pub struct Prepared {
    /// The analysis without its daily table (empty until the passes; the input rows in
    /// `ingested.frames` are let go by them).
    pub analysis: Analysis,
    window: daily::Window,
    weather: daily::Weather,
}

/// Reads the inputs and resolves the athletes: everything `compute` does before the passes.
pub fn prepare(inputs: &Inputs, grid_end: Option<NaiveDate>) -> anyhow::Result<Prepared> {
    let mut stages = stages::Stages::from_env();
    let ingested = ingest::load(&inputs.files, &inputs.profiles, &inputs.read)?;
    stages.mark("ingest");
    // The weather is every athlete's: computed once, not once per pass, and on a thread of
    // its own beside the athletes' frame and the last day.
    let (weather, (athletes, last_record)) = crate::beside::beside(
        "computing the weather",
        || daily::Weather::of(&ingested.frames),
        || {
            (
                athlete_frame(&ingested.frames, &ingested.profiles, &inputs.model),
                last_record_day(&ingested.frames),
            )
        },
    );
    let (weather, athletes, last_record) = (weather?, athletes?, last_record?);
    stages.mark("athletes' frame, weather");
    let capped = cap_grid_end(grid_end, last_record);
    let window = daily::Window {
        from: None,
        to: capped.map_or(grid_end, |c| Some(c.to)),
    };
    Ok(Prepared {
        analysis: Analysis {
            daily: DataFrame::empty(),
            athletes,
            ingested,
            capped,
        },
        window,
        weather,
    })
}

impl Prepared {
    /// The last day the daily table will have, known before it is computed: each athlete's
    /// days run from their first record to their last, extended to the window's end when that
    /// is later (`daily::grid`). `None` when no athlete has a day.
    pub fn last_day(&self) -> anyhow::Result<Option<NaiveDate>> {
        let last = last_record_day(&self.analysis.ingested.frames)?;
        Ok(last.map(|last| self.window.to.map_or(last, |to| last.max(to))))
    }

    /// Computes the daily table a pass at a time (`days_per_pass` athlete-days; `usize::MAX`:
    /// one pass), keeps the `keep` columns (`None`: all) and hands each pass's part to
    /// `finish` on the thread that computed it, then what `finish` made to `consume` on this
    /// thread, in pass order, as the passes end: what is consumed need not be held to the end
    /// (`analyze` writes each part's rows and keeps what its views read). The input rows are
    /// let go as the passes take them.
    pub fn passes<T: Send>(
        &mut self,
        inputs: &Inputs,
        keep: Option<&[&str]>,
        days_per_pass: usize,
        finish: impl Fn(DataFrame) -> anyhow::Result<T> + Sync,
        mut consume: impl FnMut(usize, T) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        let model = &inputs.model;
        let mut stages = stages::Stages::from_env();
        let keep: Option<Vec<Expr>> = keep.map(|k| k.iter().map(|c| col(*c)).collect());
        let (window, weather) = (self.window, &self.weather);
        // The score's plan is the same for every pass: made once per thread, not per pass.
        let score_plans = crate::reusable_plan::ReusablePlans::default();
        let measure_plans = daily::MeasurePlans::default();
        let pass = |frames: &ingest::Frames, athletes: &DataFrame| -> anyhow::Result<T> {
            let measures =
                daily::daily_measures_with(frames, athletes, window, weather, &measure_plans)?;
            let measures = crate::model::with_history(measures, model)?;
            let mut daily = anyhow::Context::context(
                score_plans.run(measures, |lf| {
                    daily::per_pass(crate::model::score_plan(lf, model))
                }),
                "computing the daily table",
            )?;
            explain::add_explanations(&mut daily, model)?;
            finish(match &keep {
                Some(keep) => daily.lazy().select(keep.clone()).collect()?,
                None => daily,
            })
        };
        let a = &mut self.analysis;
        let groups = daily::pass_groups(&a.ingested.frames, &a.athletes, days_per_pass)?;
        stages.mark("passes: groups");
        // The outputs read the daily table, never the input rows: those are let go as soon as
        // the table is computed.
        if daily::pass_count(&groups) <= 1 {
            let part = pass(&a.ingested.frames, &a.athletes)?;
            a.ingested.frames = ingest::Frames::default();
            consume(0, part)?;
        } else {
            // Each input row's pass is found only when there is more than one.
            let frames = std::mem::take(&mut a.ingested.frames);
            let passes = daily::AthletePasses::new(frames, &a.athletes, groups)?;
            stages.mark("passes: input rows cut into the passes' parts");
            in_parallel(
                passes.len(),
                |k| {
                    let (frames, their) = passes.take(k)?;
                    pass(&frames, &their)
                },
                consume,
            )?;
        }
        stages.mark("passes");
        Ok(())
    }

    /// The analysis with its daily table.
    pub fn into_analysis(self, daily: DataFrame) -> Analysis {
        Analysis {
            daily,
            ..self.analysis
        }
    }
}

/// The passes' tables one under the other, each pass's rows a chunk of every column: the
/// parts are moved, not copied. Made one piece, the kept table (about 430 MB at 1,000
/// athletes × 730 days) was copied a column at a time, and the copies raised the run's peak
/// by some 170 MB (the parts' memory is not given back to the system as fast as the copies
/// take new memory); the readers take a table in chunks as it is (`columns::Floats`, the CSV
/// writer's blocks).
pub fn stack(mut parts: Vec<DataFrame>) -> PolarsResult<DataFrame> {
    let Some(first) = parts.first() else {
        return Ok(DataFrame::empty());
    };
    let names = first.get_column_names_owned();
    let mut columns = Vec::with_capacity(names.len());
    for name in &names {
        let mut pieces = parts.iter_mut().map(|p| p.drop_in_place(name));
        let Some(whole) = pieces.next() else {
            continue;
        };
        let mut whole = whole?;
        for piece in pieces {
            whole.append_owned(piece?)?;
        }
        columns.push(whole);
    }
    DataFrame::new_infer_height(columns)
}

/// The first and last day of a daily table (or of a pass's part of it), if it has any.
pub fn day_range(daily: &DataFrame) -> PolarsResult<Option<(NaiveDate, NaiveDate)>> {
    let days = daily.column(s::DATE)?.cast(&DataType::Int32)?;
    let days = days.i32()?;
    Ok(days
        .min()
        .zip(days.max())
        .map(|(lo, hi)| (crate::dates::from_days(lo), crate::dates::from_days(hi))))
}

/// Runs `job(0)`, …, `job(n - 1)` on one worker thread per core and hands their results to
/// `consume` on the calling thread in job order, each as soon as it and those before it are
/// done. A job starts only when it is fewer than [`AHEAD`] jobs ahead of the one `consume`
/// waits for, so at most that many results are held at a time, however slow `consume` is.
/// The first error, the jobs' or `consume`'s, stops the jobs not yet started and is returned.
///
/// Why threads of our own around polars' pool: a pass is a chain of polars operations, most
/// of which use one core on frames of a pass's size, and then the explanations, which are
/// our own single-threaded loop. Two passes at a time keep both cores busy; each pass is
/// computed exactly as before, so the table is the same (`passes_give_the_one_pass_table`).
fn in_parallel<T: Send>(
    n: usize,
    job: impl Fn(usize) -> anyhow::Result<T> + Sync,
    consume: impl FnMut(usize, T) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let workers = std::thread::available_parallelism().map_or(1, |c| c.get());
    in_parallel_on(workers, n, job, consume)
}

/// How many jobs of `in_parallel` may be started or done and not yet consumed. Why: `analyze`
/// consumes a pass by writing its rows, and a write that waits for the disk let the workers
/// run on; each pass's part held in the meantime is several megabytes (its lines of
/// daily_risk.csv): one run of the bench peaked at 455 MiB where the others stay at 333–387,
/// and with the disk throttled to 50 MB/s runs peaked at 407–441 MiB without the bound and
/// 370–380 with it (1,000 × 730, docs/performance.md). Four is two per worker: enough that a
/// worker does not wait while the writer keeps up (pairs with and without it: no difference).
const AHEAD: usize = 4;

/// `in_parallel` on `workers` threads.
fn in_parallel_on<T: Send>(
    workers: usize,
    n: usize,
    job: impl Fn(usize) -> anyhow::Result<T> + Sync,
    mut consume: impl FnMut(usize, T) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::{Condvar, Mutex, PoisonError};
    let workers = workers.clamp(1, n.max(1));
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    // The job `consume` waits for, and the signal that it moved (or that the run failed).
    let due_now = Mutex::new(0usize);
    let moved = Condvar::new();
    std::thread::scope(|scope| -> anyhow::Result<()> {
        let (tx, rx) = std::sync::mpsc::channel::<(usize, anyhow::Result<T>)>();
        for _ in 0..workers {
            let tx = tx.clone();
            let (next, failed, job) = (&next, &failed, &job);
            let (due_now, moved) = (&due_now, &moved);
            scope.spawn(move || {
                // This worker's polars operations run on this worker, not handed to polars'
                // pool: two passes at a time already keep both cores busy, and each hand-over
                // (hundreds per pass) woke a pool thread and put this one to sleep. Passes
                // 2.38–2.65 s → 2.13–2.16 s at 1,000 × 730, the table the same.
                polars_async::executor::ALLOW_RAYON_THREADS.set(false);
                loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    if k >= n || failed.load(Ordering::Relaxed) {
                        return;
                    }
                    // Never a deadlock: the job `consume` waits for is always within reach,
                    // and it was taken before this one, so a worker has it.
                    let mut due = due_now.lock().unwrap_or_else(PoisonError::into_inner);
                    while k >= *due + AHEAD && !failed.load(Ordering::Relaxed) {
                        due = moved.wait(due).unwrap_or_else(PoisonError::into_inner);
                    }
                    drop(due);
                    if failed.load(Ordering::Relaxed) {
                        return;
                    }
                    // A panicking job is an error, not a hang of the thread waiting for it.
                    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(k)))
                        .unwrap_or_else(|_| {
                            Err(anyhow::anyhow!("a pass of the daily table panicked"))
                        });
                    let stop = result.is_err();
                    if tx.send((k, result)).is_err() || stop {
                        failed.store(true, Ordering::Relaxed);
                        return;
                    }
                }
            });
        }
        drop(tx);
        let mut waiting: std::collections::BTreeMap<usize, T> = Default::default();
        let mut due = 0;
        let outcome = (|| -> anyhow::Result<()> {
            for (k, result) in &rx {
                waiting.insert(k, result?);
                while let Some(t) = waiting.remove(&due) {
                    consume(due, t)?;
                    due += 1;
                    *due_now.lock().unwrap_or_else(PoisonError::into_inner) = due;
                    moved.notify_all();
                }
            }
            anyhow::ensure!(
                due == n,
                "the daily table's passes ended early ({due} of {n})"
            );
            Ok(())
        })();
        if outcome.is_err() {
            // The workers stop at their next job; the ones running finish it first, and the
            // ones waiting for their turn are woken to stop. The flag is set under the lock, so
            // a worker cannot check it and then miss the signal.
            let due = due_now.lock().unwrap_or_else(PoisonError::into_inner);
            failed.store(true, Ordering::Relaxed);
            drop(due);
            moved.notify_all();
        }
        outcome
    })
}

/// Rest days are added after an athlete's last record up to `--to`/`--as-of`/`explain --date`,
/// but at most this many days past the last record of any athlete: a far date (9999-12-31)
/// would otherwise build a grid of millions of days per athlete.
pub const GRID_MARGIN_DAYS: u64 = 366;

/// The end of the days asked for, moved back to the last record plus the margin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capped {
    pub asked: NaiveDate,
    pub last_record: NaiveDate,
    pub to: NaiveDate,
}

impl Capped {
    /// The message that says so.
    pub fn note(&self) -> String {
        format!(
            "days after {} are not computed: {} is more than {GRID_MARGIN_DAYS} days after the last record ({})",
            self.to, self.asked, self.last_record
        )
    }
}

fn cap_grid_end(grid_end: Option<NaiveDate>, last_record: Option<NaiveDate>) -> Option<Capped> {
    let (asked, last) = (grid_end?, last_record?);
    let limit = last.checked_add_days(chrono::Days::new(GRID_MARGIN_DAYS))?;
    (asked > limit).then_some(Capped {
        asked,
        last_record: last,
        to: limit,
    })
}

/// The last day any athlete has a record (sessions, fluids, daily summaries, food).
fn last_record_day(frames: &ingest::Frames) -> anyhow::Result<Option<NaiveDate>> {
    let mut last: Option<i32> = None;
    for df in frames.records() {
        if let Ok(c) = df.column(s::DATE) {
            let days = c.cast(&DataType::Int32)?;
            last = last.max(days.i32()?.max());
        }
    }
    Ok(last.map(crate::dates::from_days))
}

/// The athletes found in the inputs, one row each, with their resolved profile values as
/// columns for the measures.
pub fn athlete_frame(
    frames: &ingest::Frames,
    profiles: &ProfilesFile,
    model: &Model,
) -> anyhow::Result<DataFrame> {
    let mut names: Vec<String> = Vec::new();
    for df in frames.records() {
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
    let values: Vec<&profiles::ProfileValues> = resolved.iter().map(|p| &p.values).collect();
    let defaulted: Vec<String> = resolved.iter().map(|p| p.defaulted.join(" ")).collect();
    let mut columns = vec![
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
        Column::new("profile_defaulted".into(), defaulted),
        Column::new("location_note".into(), location_note),
    ];
    columns.extend(crate::model::profile_columns(&values, model));
    Ok(DataFrame::new_infer_height(columns)?)
}
#[cfg(test)]
mod tests {
    use super::*;

    /// The jobs' results come back in job order whatever thread ran them and however long
    /// each took; an error (a job's, or the consumer's) stops the run and is the result.
    #[test]
    fn in_parallel_keeps_the_job_order_and_returns_an_error() {
        let mut out = Vec::new();
        in_parallel(
            9,
            |k| {
                // Earlier jobs take longer, so the threads finish them out of order.
                std::thread::sleep(std::time::Duration::from_millis((9 - k as u64) * 3));
                Ok(k * 10)
            },
            |k, v| {
                assert_eq!(v, k * 10);
                out.push(v);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(out, vec![0, 10, 20, 30, 40, 50, 60, 70, 80]);
        in_parallel(0, Ok, |_, _: usize| panic!("no job, nothing to consume")).unwrap();
        let err = in_parallel(
            5,
            |k| {
                if k == 3 {
                    anyhow::bail!("job 3 failed")
                }
                Ok(k)
            },
            |_, _| Ok(()),
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "job 3 failed");
        let mut seen = Vec::new();
        let err = in_parallel(6, Ok, |k, _| {
            seen.push(k);
            if k == 1 {
                anyhow::bail!("could not write part 1")
            }
            Ok(())
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "could not write part 1");
        assert_eq!(seen, [0, 1], "nothing is consumed after an error");
        let err = in_parallel(
            3,
            |k| if k == 1 { panic!("boom") } else { Ok(k) },
            |_, _| Ok(()),
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "a pass of the daily table panicked");
    }

    /// However slow `consume` is, no more than `AHEAD` jobs are started and not yet consumed:
    /// here the jobs are instant and each consume takes 5 ms, so without the limit the two
    /// workers would have run all 24 jobs before the third was consumed.
    #[test]
    fn in_parallel_runs_at_most_ahead_of_a_slow_consumer() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let alive = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        let mut out = Vec::new();
        in_parallel_on(
            2,
            24,
            |k| {
                let now = alive.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                Ok(k)
            },
            |k, v| {
                std::thread::sleep(std::time::Duration::from_millis(5));
                alive.fetch_sub(1, Ordering::SeqCst);
                assert_eq!(k, v);
                out.push(v);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(out, (0..24).collect::<Vec<_>>());
        let most = most.load(Ordering::SeqCst);
        assert!((2..=AHEAD).contains(&most), "{most} jobs held at once");
        // A consumer that fails while workers wait for their turn ends the run: no hang.
        let err = in_parallel_on(2, 24, Ok, |k, _| {
            std::thread::sleep(std::time::Duration::from_millis(5));
            if k == 2 {
                anyhow::bail!("disk full")
            }
            Ok(())
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "disk full");
    }

    /// A generated team's inputs (the folder is deleted when the first value is dropped).
    fn generated(
        athletes: usize,
        days: u32,
        start: NaiveDate,
        seed: u64,
    ) -> (tempfile::TempDir, Inputs) {
        let dir = tempfile::tempdir().unwrap();
        let opts = crate::generate::GenerateOptions {
            athletes,
            days,
            start,
            seed,
        };
        crate::generate::generate(&opts, dir.path()).unwrap();
        let inputs = Inputs::of_folder(dir.path()).unwrap();
        (dir, inputs)
    }

    /// The last day foreseen before the passes (which `analyze` selects the days with) is the
    /// computed table's last day: with no end asked for, an end before the records, one
    /// inside them and one after them.
    #[test]
    fn the_last_day_is_foreseen() {
        let start = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
        let (_dir, inputs) = generated(3, 20, start, 3);
        let day = |n: u64| start.checked_add_days(chrono::Days::new(n)).unwrap();
        for end in [
            None,
            Some(day(0) - chrono::Days::new(30)),
            Some(day(10)),
            Some(day(45)),
        ] {
            let foreseen = prepare(&inputs, end).unwrap().last_day().unwrap();
            let a = compute(&inputs, end, None).unwrap();
            let last = day_range(&a.daily).unwrap().map(|(_, last)| last);
            assert_eq!(foreseen, last, "end {end:?}");
        }
    }

    /// The daily table computed in passes (of 150 athlete-days here) is the table computed
    /// in one go: same rows in the same order, same values in every column the reports keep.
    #[test]
    fn passes_give_the_one_pass_table() {
        let (_dir, inputs) = generated(20, 40, NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(), 7);
        let written: Vec<String> = crate::report::daily_columns()
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        let written: Vec<&str> = written.iter().map(String::as_str).collect();
        let whole = compute_in_passes(&inputs, None, None, usize::MAX).unwrap();
        // About 40 days an athlete: passes of 150 days hold three or four athletes each.
        let in_passes = compute_in_passes(&inputs, None, Some(&written), 150).unwrap();
        assert_eq!(in_passes.athletes.height(), 20);
        let ingested = ingest::load(&inputs.files, &inputs.profiles, &inputs.read).unwrap();
        let athletes = athlete_frame(&ingested.frames, &ingested.profiles, &inputs.model).unwrap();
        let groups = daily::pass_groups(&ingested.frames, &athletes, 150).unwrap();
        let passes = daily::pass_count(&groups);
        assert!((5..=7).contains(&passes), "{passes} passes");
        let whole = whole.daily.select(written.iter().copied()).unwrap();
        assert!(whole.height() >= 20 * 30, "{} rows", whole.height());
        assert_eq!(whole.height(), in_passes.daily.height());
        assert!(whole.equals_missing(&in_passes.daily));
        // Stacked without a copy: each pass's rows are a chunk of every column.
        assert!(in_passes
            .daily
            .columns()
            .iter()
            .all(|c| c.n_chunks() == passes));
    }
}
