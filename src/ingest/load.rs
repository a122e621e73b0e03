//! Loading: every input file through one gate. The gate opens the file, tells text from
//! binary, finds the header and the format (native first, then the vendor formats of
//! `formats::FORMATS`, or the one `--vendor` names), hands the rows to that format's reader,
//! and accounts for every row; then the cross-export duplicates are removed.

use std::path::PathBuf;

use super::canonical::Canonical;
use super::format::{Candidate, Ctx, Format, Mapping, ReadOptions, Recognise, Table};
use super::names::{location_from_file_name, Names};
use super::types::{FileReport, Ingested, InputFile, Kind, KindHint, Rejection};
use super::{archive, conditions, coverage, dedupe, formats, text};
use crate::profiles::{name_key, ProfilesFile};

/// Reads every input file into canonical frames, with the accounting of every row.
pub fn load(
    files: &[InputFile],
    profiles_paths: &[PathBuf],
    opts: &ReadOptions,
) -> anyhow::Result<Ingested> {
    // Sub-stage timings (`CRAMPRISK_STAGE_TIMES`): each file, and each step after the reads.
    let mut stages = crate::stages::Stages::from_env();
    let profiles_path = match profiles_paths {
        [] => None,
        [one] => Some(one.clone()),
        many => anyhow::bail!(
            "more than one profiles file: {}; name one with --profiles",
            many.iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let profiles = match &profiles_path {
        Some(p) => ProfilesFile::load(p)?,
        None => ProfilesFile::default(),
    };
    let mut names = Names::new(&profiles);
    let mut canonical = Canonical::with_today(opts.today);
    let mut reports = Vec::new();
    let mut rejections = Vec::new();
    // Archives and compressed files unpacked into a temporary folder, removed at the end.
    let expanded = archive::expand(files.to_vec());
    for (path, why) in &expanded.unreadable {
        let mut report = FileReport::new(path);
        report.skipped = Some(why.clone());
        rejections.push(Rejection {
            file: path.display().to_string(),
            line: None,
            reason: format!("file skipped: {why}"),
        });
        reports.push(report);
    }
    read_ahead(expanded.files.iter().map(|f| f.path.clone()).collect());
    let mut weather_spans = Vec::new();
    stages.mark("ingest: profiles, archives");
    for file in &expanded.files {
        names.set_file(&expanded.shown_path(&file.path));
        canonical.file_location = location_from_file_name(&file.path).map(|p| name_key(&p));
        let mark = coverage::weather_mark(&canonical);
        let report = read_file(file, opts, &mut names, &mut canonical, &mut rejections);
        let shown = file.path.display().to_string();
        weather_spans.extend(coverage::weather_span(&canonical, mark, &shown));
        reports.push(report);
        stages.mark(&format!("ingest: read {}", file.path.display()));
    }
    dedupe::reject_linked_files(&mut canonical, &mut reports, &mut rejections);
    let applied = conditions::apply(&mut canonical, &profiles);
    for r in &mut reports {
        if let Some(note) = conditions::note(&applied, &r.path.display().to_string()) {
            r.notes.push(note);
        }
    }
    dedupe::reject_cross_export_duplicates(&mut canonical, &mut reports, &mut rejections);
    let overlaps =
        dedupe::reject_overlapping_sessions(&mut canonical, &mut reports, &mut rejections);
    stages.mark("ingest: linked files, conditions, duplicates, overlaps");
    let mut warnings = names.take_warnings();
    warnings.extend(coverage::weather_warnings(&canonical, &weather_spans));
    warnings.extend(coverage::mixed_athletes(&canonical, &overlaps));
    let mut spellings = names.spellings;
    for (name, values) in &profiles.athletes {
        spellings.insert(name.clone(), name.clone());
        for alias in values.aliases.iter().flatten() {
            spellings.insert(alias.clone(), name.clone());
        }
    }
    let mut cramps = std::mem::take(&mut canonical.cramps);
    // After the duplicates are gone: a session in two exports mentions its cramp once.
    let mut mentions = super::mentions::from_sessions(&canonical);
    stages.mark("ingest: coverage warnings, mentions");
    warnings.extend(conditions::unplaced_warning(&applied));
    warnings.extend(expanded.notes.iter().cloned());
    // What the user sees names the archive, never the temporary folder.
    for r in &mut reports {
        r.path = expanded.shown_path(&r.path);
    }
    for r in &mut rejections {
        r.file = expanded.shown(&r.file);
        r.reason = expanded.shown(&r.reason);
    }
    for w in &mut warnings {
        *w = expanded.shown(w);
    }
    for c in cramps.iter_mut().chain(mentions.iter_mut()) {
        c.file = expanded.shown(&c.file);
    }
    let frames = canonical.into_frames()?;
    stages.mark("ingest: frames");
    Ok(Ingested {
        cramps,
        mentions,
        frames,
        files: reports,
        rejections,
        profiles,
        profiles_path,
        warnings,
        spellings,
    })
}

/// Reads one file through the gate: a file known by its export name goes to its format's
/// reader; any other is opened, told from binary, and its header read; a native header is
/// streamed by the native reader; otherwise the vendor format its header matches (or
/// `--vendor`) reads it. A file that matches nothing is skipped, naming the closest formats
/// and the columns they lack.
pub fn read_file(
    file: &InputFile,
    opts: &ReadOptions,
    names: &mut Names,
    canonical: &mut Canonical,
    rejections: &mut Vec<Rejection>,
) -> FileReport {
    let mut report = FileReport::new(&file.path);
    let mut ctx = Ctx {
        path: &file.path,
        display: file.path.display().to_string(),
        hint: file.hint,
        opts,
        names,
        canonical,
        rejections,
        report: &mut report,
        athlete: String::new(),
        decimal: text::Decimal::Point,
        spans: Default::default(),
    };
    // Before anything is opened, whatever the name (a FIFO called export.xml would block, a
    // link to /dev/zero never end): only regular files are read.
    if let Ok(m) = std::fs::metadata(&file.path) {
        if !m.is_file() && !m.is_dir() {
            ctx.skip("is not a regular file (a pipe, socket or device)".to_string());
            return report;
        }
    }
    let no_mapping = Mapping::default();
    match formats::by_file_name(&file.path) {
        Some(format) if opts.vendor.is_none() => {
            (format.read)(&mut ctx, &Table::streamed(b',', &no_mapping))
        }
        _ => read_text(&mut ctx),
    }
    report
}

/// The head of a text file: its header cells and delimiter; `Err` is why the file is skipped.
fn open_head(path: &std::path::Path) -> Result<(Vec<String>, u8), String> {
    match std::fs::metadata(path) {
        Err(e) => {
            return Err(match std::fs::read_link(path) {
                Ok(target) => format!(
                    "cannot be opened: it is a link to {}, which cannot be read ({e})",
                    target.display()
                ),
                Err(_) => format!("cannot be opened: {e}"),
            })
        }
        Ok(m) if m.is_dir() => return Err("is a folder, not a file".to_string()),
        // A pipe or device would block or never end.
        Ok(m) if !m.is_file() => {
            return Err("is not a regular file (a pipe, socket or device)".to_string())
        }
        Ok(_) => {}
    }
    // The head tells text from binary and holds the header: a native file is then streamed,
    // never read whole.
    let head = text::read_head(path).map_err(|e| format!("cannot be read: {e}"))?;
    if head.is_empty() {
        return Err("the file is empty (0 bytes)".to_string());
    }
    if let Some(what) = text::binary_content(&head) {
        return Err(what);
    }
    // Only whole lines of the head (a cut multi-byte character would look like Latin-1).
    let whole = if head.len() < text::HEAD_BYTES {
        head.len()
    } else {
        head.iter()
            .rposition(|&b| b == b'\n')
            .map_or(head.len(), |i| i + 1)
    };
    let head_text = text::decode(&text::normalize_line_ends(head[..whole].to_vec())).text;
    let first_line = head_text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    let delimiter = text::sniff_delimiter(first_line);
    let (head_records, _) = text::records(&head_text, delimiter);
    match head_records.into_iter().next() {
        Some(header) => Ok((header.cells, delimiter)),
        None => Err("the file is empty (only blank lines)".to_string()),
    }
}

/// A text file: native, else a vendor CSV format.
fn read_text(ctx: &mut Ctx) {
    let (header, delimiter) = match open_head(ctx.path) {
        Ok(h) => h,
        Err(why) => return ctx.skip(why),
    };
    let native = formats::native();
    let detect = |header: &[String]| match native.recognise {
        Recognise::Native(detect) => detect(header, ctx.hint),
        _ => Err(String::new()),
    };
    let mut native_kind = detect(&header);
    // A native header that differs only in case (`Start`, `Duration_Min`) is native — but
    // only when no vendor format matches as written: vendors' headers differ from the native
    // ones by case alone (Garmin's `Date`, `Steps`).
    if native_kind.is_err() && ctx.opts.vendor.is_none() {
        let vendor_matches = formats::rank(&header)
            .iter()
            .any(|c| c.complete() && wanted(ctx.hint, c.format.kind));
        if !vendor_matches {
            if let Ok(k) = detect(&super::native::fold_case(&header)) {
                native_kind = Ok(k);
            }
        }
    }
    // The native reader keeps its own behaviour (a BOM is ignored, invalid UTF-8 rejects the
    // row) and streams the file.
    if ctx.opts.vendor.is_none() && native_kind.is_ok() && delimiter != b'\t' {
        let no_mapping = Mapping::default();
        return (native.read)(ctx, &Table::streamed(delimiter, &no_mapping));
    }
    read_vendor(ctx, header, delimiter, native_kind)
}

/// Whether a format's kind is the one named on the command line (`--weather` covers hourly
/// and daily files; `--fluids` takes a food log too: its sodium is part of the day's intake).
fn wanted(hint: Option<KindHint>, kind: Option<Kind>) -> bool {
    match (hint, kind) {
        (None, _) => true,
        (_, None) => false,
        (Some(KindHint::Activities), Some(k)) => k == Kind::Activities,
        (Some(KindHint::Daily), Some(k)) => k == Kind::Daily,
        (Some(KindHint::Weather), Some(k)) => matches!(k, Kind::WeatherHourly | Kind::WeatherDaily),
        (Some(KindHint::Fluids), Some(k)) => matches!(k, Kind::Fluids | Kind::Food),
        (Some(KindHint::Cramps), Some(k)) => k == Kind::Cramps,
    }
}

/// The vendor format of a header: `--vendor`'s, else the best complete match; `Err` is why
/// the file is skipped.
fn choose(
    ctx: &Ctx,
    header: &[String],
    delimiter: u8,
    native_kind: Result<Kind, String>,
) -> Result<Candidate, String> {
    if let Some(v) = ctx.opts.vendor {
        let c = super::format::candidate(v, header);
        if !c.complete() {
            return Err(format!(
                "--vendor {v}: the header lacks {}",
                c.missing.join(", ")
            ));
        }
        return Ok(c);
    }
    let ranked: Vec<Candidate> = formats::rank(header)
        .into_iter()
        .filter(|c| wanted(ctx.hint, c.format.kind))
        .collect();
    if let Some(c) = ranked.iter().find(|c| c.complete()) {
        return Ok(c.clone());
    }
    if super::garmin::looks_like_activities(header) && wanted(ctx.hint, Some(Kind::Activities)) {
        return Err(super::garmin::unknown_language(header));
    }
    let native_near = match native_kind {
        Ok(k) => format!(
            "a native {k} header, but native files must be comma- or semicolon-separated (this one is {} delimited)",
            text::delimiter_name(delimiter)
        ),
        Err(e) => e,
    };
    Err(format!(
        "header not recognised; closest vendor formats: {}; native: {}",
        super::format::closest(&ranked),
        native_near.trim_start_matches("header not recognised; closest: ")
    ))
}

/// The header a format locates elsewhere than the first record (a later section, or a
/// documented column order for a file without one), when `--vendor` allows that format;
/// and whether the first record is data under such a documented order.
fn located_header(
    vendor: Option<&'static Format>,
    records: &[text::Record],
) -> (Option<(Vec<String>, usize)>, bool) {
    let located: Vec<(&Format, (Vec<String>, usize))> = formats::FORMATS
        .iter()
        .filter_map(|f| Some((*f, f.locate_header?(records)?)))
        .collect();
    let headerless = located.iter().any(|(_, (_, from))| *from == 0);
    let allowed = located
        .into_iter()
        .find(|(f, _)| vendor.is_none_or(|v| v == *f))
        .map(|(_, found)| found);
    (allowed, headerless)
}

/// A vendor CSV: read whole, header found and matched, rows of the wrong shape rejected, the
/// rest handed to the format's reader.
fn read_vendor(
    ctx: &mut Ctx,
    header: Vec<String>,
    delimiter: u8,
    native_kind: Result<Kind, String>,
) {
    let bytes = match text::read_limited(ctx.path) {
        Ok(b) => b,
        Err(why) => return ctx.skip(why),
    };
    let mut bytes = text::normalize_line_ends(bytes);
    let long_line = text::first_long_line(&bytes, text::MAX_LINE_BYTES);
    if let Some((_, at)) = long_line {
        bytes.truncate(at);
    }
    let decoded = text::decode(&bytes);
    let (records, stopped) = text::records(&decoded.text, delimiter);
    let stopped = stopped.or(long_line.map(|(line, _)| (line, text::long_line_reason(line))));
    // Where the header is: the first record, none (the documented column order), or a later
    // one (a section of a multi-section export).
    let (located, headerless) = located_header(ctx.opts.vendor, &records);
    let header_only = records.len() <= 1 && stopped.is_none() && !headerless;
    let (header, data_from) = match located {
        Some((h, 0)) => (h, 0),
        Some((_, from)) if from > 1 => (records[from - 1].cells.clone(), from),
        _ => (header, 1),
    };
    let chosen = match choose(ctx, &header, delimiter, native_kind) {
        Ok(c) => c,
        Err(why) => return ctx.skip(why),
    };
    let format = chosen.format;
    if header_only {
        return ctx.skip(format!("the file has a {format} header but no data rows"));
    }
    let report = &mut *ctx.report;
    report.kind = format.kind;
    report.vendor = Some(format.name.to_string());
    report.confidence = Some(if ctx.opts.vendor.is_some() {
        format!("named with --vendor ({})", chosen.describe_confidence())
    } else {
        chosen.describe_confidence()
    });
    report.mapping = chosen.mapping.shown.clone();
    if data_from == 0 {
        // No header row: the columns are read by the format's documented order, and inspect
        // says so rather than showing names the file does not have.
        for (concept, name) in &mut report.mapping {
            if let Some(i) = chosen.mapping.index(concept) {
                *name = format!(
                    "column {} ({name}, no header row: the documented order)",
                    i + 1
                );
            }
        }
    }
    report.notes.extend(decoded.notes.iter().cloned());
    if delimiter != b',' {
        report
            .notes
            .push(format!("{} delimited", text::delimiter_name(delimiter)));
    }
    ctx.resolve_file_athlete();
    let data = records.get(data_from..).unwrap_or(&[]);
    let (decimal, points, commas) =
        text::detect_decimal(data.iter().flat_map(|r| r.cells.iter().map(String::as_str)));
    if decimal == text::Decimal::Comma || (points > 0 && commas > 0) {
        ctx.note(format!(
            "{} ({commas} cells with a decimal comma, {points} with a decimal point)",
            decimal.describe()
        ));
    }
    if let Some(note) = text::foreign_decimal_note(data, decimal) {
        ctx.note(note);
    }
    ctx.decimal = decimal;
    ctx.spans = records
        .iter()
        .filter(|r| r.end_line > r.line)
        .map(|r| (r.line, r.end_line))
        .collect();
    let fitting = reject_misfits(ctx, format.checks_own_rows, &header, data, delimiter);
    let table = Table {
        header: &header,
        mapping: &chosen.mapping,
        data: &fitting,
        records: &records,
        header_at: data_from.saturating_sub(1),
        delimiter,
    };
    (format.read)(ctx, &table);
    if let Some((line, why)) = stopped {
        ctx.account(line, Err(why));
    }
}

/// Rejects the rows that cannot be read as the header says — a field count that differs
/// from the header's (would shift columns; formats with several headers check their own),
/// NUL bytes, rows swallowed by a stray quote — and returns the others.
fn reject_misfits(
    ctx: &mut Ctx,
    checks_own_rows: bool,
    header: &[String],
    data: &[text::Record],
    delimiter: u8,
) -> Vec<text::Record> {
    let swallowed = |r: &text::Record| {
        text::swallowed_rows(r.cells.iter().map(String::as_str), delimiter, header.len())
    };
    let (fitting, misfit): (Vec<text::Record>, Vec<text::Record>) =
        data.iter().cloned().partition(|r| {
            (checks_own_rows || r.cells.len() == header.len())
                && !r.cells.iter().any(|c| c.contains('\0'))
                && !swallowed(r)
        });
    for r in &misfit {
        let why = if r.cells.iter().any(|c| c.contains('\0')) {
            "contains NUL bytes (the file is damaged here)".to_string()
        } else if swallowed(r) {
            ctx.spans.remove(&r.line);
            text::swallowed_reason(r.line, r.end_line)
        } else {
            format!(
                "has {} fields, the header has {}",
                r.cells.len(),
                header.len()
            )
        };
        ctx.account(r.line, Err(why));
    }
    fitting
}

/// Asks the kernel to bring every input file into memory now, on a thread of its own, while
/// the first files are read: a file is read once, front to back, and pages the system has
/// dropped since it was last read (a folder read again hours later, or an idle machine that
/// gives page cache back) were read from disk on demand, one readahead window at a time, while
/// the reading thread waited (`io_schedule` under `File::read` in a profile of a run). Only a
/// hint: the page cache is the system's memory, not the run's, and a file that cannot be
/// opened here is reported by its reader.
fn read_ahead(paths: Vec<PathBuf>) {
    let spawned = std::thread::Builder::new()
        .name("read ahead".into())
        .spawn(move || {
            // Regular files only: opening a named pipe would wait for its writer.
            for path in paths
                .iter()
                .filter(|p| p.metadata().is_ok_and(|m| m.is_file()))
            {
                if let Ok(file) = std::fs::File::open(path) {
                    let _ = rustix::fs::fadvise(&file, 0, None, rustix::fs::Advice::WillNeed);
                }
            }
        });
    // Without the thread the files are read as before.
    drop(spawned);
}
