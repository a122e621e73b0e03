//! `cramprisk inspect FILE...`: how each file would be read — detected kind and vendor, how
//! sure the detection is, the column mapping, units and time zone assumed, rows readable and
//! rejected with the first reasons; for an unrecognised file, the closest known formats and
//! the columns they lack. Reads only; writes nothing.

use std::fmt::Write;

use super::Outcome;
use crate::config::InspectConfig;
use crate::ingest::{self, Canonical, Names};
use crate::profiles::ProfilesFile;

/// How many rejection reasons to show per file.
const FIRST_REASONS: usize = 5;

pub fn run(cfg: &InspectConfig) -> anyhow::Result<Outcome> {
    super::print_result(&inspect(cfg)?)?;
    Ok(Outcome::Success)
}

/// The cramps a file's session titles and descriptions mention (the first few), said to be
/// used only with `--cramps-from-titles`.
fn mentions(t: &mut String, canonical: &Canonical) -> anyhow::Result<()> {
    let found = ingest::mentions::from_sessions(canonical);
    if found.is_empty() {
        return Ok(());
    }
    writeln!(
        t,
        "    cramps      {} mentioned in session titles (cramp_source = mention; counted only \
         with --cramps-from-titles):",
        found.len()
    )?;
    for m in found.iter().take(FIRST_REASONS) {
        writeln!(
            t,
            "      line {}: {} {}: {:?}",
            m.line,
            m.athlete,
            m.date,
            m.note.as_deref().unwrap_or("")
        )?;
    }
    if found.len() > FIRST_REASONS {
        writeln!(t, "      … and {} more", found.len() - FIRST_REASONS)?;
    }
    Ok(())
}

/// The text `inspect` prints.
pub fn inspect(cfg: &InspectConfig) -> anyhow::Result<String> {
    let (files, _profiles) = ingest::discover(&cfg.paths)?;
    let opts = &cfg.read;
    let profiles = ProfilesFile::default();
    let mut t = String::new();
    let expanded = ingest::archive::expand(files);
    for note in &expanded.notes {
        writeln!(t, "{note}")?;
    }
    for (path, why) in &expanded.unreadable {
        writeln!(t, "{}\n    NOT READ    {why}\n", path.display())?;
    }
    for file in &expanded.files {
        let mut names = Names::new(&profiles);
        let mut canonical = Canonical::with_today(opts.today);
        let mut rejections = Vec::new();
        let mut r = ingest::read_file(file, opts, &mut names, &mut canonical, &mut rejections);
        // The weather its sessions record (Strava's, the device's), named by source as
        // `analyze` names it (no weather file is read with it here).
        let applied = ingest::conditions::apply(&mut canonical, &profiles);
        if let Some(note) = ingest::conditions::note(&applied, &r.path.display().to_string()) {
            r.notes.push(note);
        }
        writeln!(t, "{}", expanded.shown_path(&r.path).display())?;
        if let Some(why) = &r.skipped {
            writeln!(t, "    NOT READ    {why}")?;
            writeln!(t)?;
            continue;
        }
        let kind = r.kind.map(|k| k.to_string()).unwrap_or_default();
        writeln!(
            t,
            "    kind        {kind}{}",
            if r.vendor.is_none() {
                " (native format)"
            } else {
                ""
            }
        )?;
        t.push_str(&r.describe());
        if !r.mapping.is_empty() {
            let cols: Vec<String> = r
                .mapping
                .iter()
                .map(|(what, col)| format!("{what} ← {col}"))
                .collect();
            writeln!(t, "    columns     {}", cols.join("; "))?;
        }
        writeln!(
            t,
            "    rows        {} read, {} readable, {} rejected",
            r.rows_read, r.rows_used, r.rows_rejected
        )?;
        mentions(&mut t, &canonical)?;
        for rej in rejections.iter().take(FIRST_REASONS) {
            let at = rej.line.map(|l| format!("line {l}: ")).unwrap_or_default();
            writeln!(t, "      {at}{}", expanded.shown(&rej.reason))?;
        }
        if rejections.len() > FIRST_REASONS {
            writeln!(t, "      … and {} more", rejections.len() - FIRST_REASONS)?;
        }
        writeln!(t)?;
    }
    Ok(t)
}
