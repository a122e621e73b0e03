//! The same session in two exports (a Garmin and a Strava file of one athlete) counted once:
//! after every file is read, a session whose start is within [`START_TOLERANCE_MIN`] of a
//! session of the same athlete read earlier from another file, and whose duration agrees
//! within [`DURATION_TOLERANCE`] (or [`DURATION_TOLERANCE_MIN`]), is rejected as
//! `duplicate of FILE:LINE` of the first. Then sessions of one athlete that overlap in time
//! by more than [`OVERLAP_TOLERANCE_MIN`](super::checks::limits::OVERLAP_TOLERANCE_MIN) and
//! are not duplicates are impossible (one body, one session at a time): the later-starting
//! one is rejected, naming the session it overlaps.

use super::canonical::Canonical;
use super::types::{FileReport, Rejection};

/// Starts this close (minutes, after time-zone conversion) can be the same session: device
/// clocks and upload services round start times by seconds, not minutes.
pub const START_TOLERANCE_MIN: f64 = 2.0;
/// Durations agreeing within this share…
pub const DURATION_TOLERANCE: f64 = 0.05;
/// …or within this many minutes (short sessions) are the same session.
pub const DURATION_TOLERANCE_MIN: f64 = 1.0;

fn durations_agree(a: &[f64], b: &[f64]) -> bool {
    a.iter().any(|x| {
        b.iter().any(|y| {
            let d = (x - y).abs();
            d <= DURATION_TOLERANCE_MIN || d <= DURATION_TOLERANCE * x.max(*y)
        })
    })
}

/// The starts of sessions `i` and `j` on one clock: their UTC instants when both sources
/// wrote one, else their local times (a local source has no instant; a UTC source's local
/// time is its instant converted with `--tz`, as the local source's clock reads).
fn starts(c: &Canonical, i: usize, j: usize) -> (i64, i64) {
    let (o, a) = (&c.activity_origin, &c.activities);
    match (o[i].utc_ms, o[j].utc_ms) {
        (Some(x), Some(y)) => (x, y),
        _ => (a.start_ms[i], a.start_ms[j]),
    }
}

/// Activity row indices sorted by athlete, then start, then read order, so that the passes
/// below compare neighbours only; `None` when the rows' origins were not all kept.
fn by_athlete_then_start(c: &Canonical) -> Option<Vec<usize>> {
    let a = &c.activities;
    let n = a.start_ms.len();
    if c.activity_origin.len() != n {
        return None;
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| {
        // By name, not by number: the rejections come out in this order.
        let name = |k: usize| c.athlete_ids.get(a.athlete[k]);
        name(i)
            .cmp(name(j))
            .then(a.start_ms[i].cmp(&a.start_ms[j]))
            .then(i.cmp(&j))
    });
    Some(order)
}

/// Rejects the later-read copy of every cross-file duplicate session, moving it from "used"
/// to "rejected" in its file's report.
pub fn reject_cross_export_duplicates(
    c: &mut Canonical,
    reports: &mut [FileReport],
    rejections: &mut Vec<Rejection>,
) {
    let a = &c.activities;
    let Some(order) = by_athlete_then_start(c) else {
        return;
    };
    let tol_ms = (START_TOLERANCE_MIN * 60_000.0) as i64;
    // Neighbours are found on the local clock, then compared on one clock (`starts`): the
    // local window is widened by the largest clock change (2 h) so that two instants that
    // close never escape it.
    let window_ms = tol_ms + 2 * 3_600_000;
    let durations = |i: usize| {
        let mut d = vec![a.duration_min[i]];
        d.extend(c.activity_origin[i].alt_duration_min);
        d
    };
    let mut keep = vec![true; order.len()];
    let mut dropped: Vec<(usize, usize)> = Vec::new();
    for (pos, &i) in order.iter().enumerate() {
        // Compare with nearby sessions of the same athlete that are kept and read earlier.
        let earlier = order[..pos]
            .iter()
            .rev()
            .take_while(|&&j| {
                a.athlete[j] == a.athlete[i] && a.start_ms[i] - a.start_ms[j] <= window_ms
            })
            .chain(order[pos + 1..].iter().take_while(|&&j| {
                a.athlete[j] == a.athlete[i] && a.start_ms[j] - a.start_ms[i] <= window_ms
            }))
            .copied()
            .filter(|&j| {
                let (si, sj) = starts(c, i, j);
                (si - sj).abs() <= tol_ms
            })
            .filter(|&j| j < i && keep[j] && c.activity_origin[j].file != c.activity_origin[i].file)
            .find(|&j| durations_agree(&durations(i), &durations(j)));
        if let Some(j) = earlier {
            keep[i] = false;
            dropped.push((i, j));
        }
    }
    if dropped.is_empty() {
        return;
    }
    for (i, j) in dropped {
        let (dup, first) = (&c.activity_origin[i], &c.activity_origin[j]);
        rejections.push(Rejection {
            file: dup.file.to_string(),
            line: Some(dup.line),
            reason: format!(
                "duplicate of {}:{} (same athlete, start within {START_TOLERANCE_MIN} min, duration within {}% or {DURATION_TOLERANCE_MIN} min)",
                first.file,
                first.line,
                DURATION_TOLERANCE * 100.0
            ),
        });
        count_rejected(reports, &dup.file);
    }
    c.retain_activities(&keep);
}

/// Rejects the sessions of files that another export's row names as its own (Strava's
/// `Filename` column → `activities/123.fit.gz`): the row already holds that session, and
/// their clocks may differ (Strava's UTC against the device's local time), so the start-time
/// rule alone could miss them. Their recorded conditions go with them.
pub fn reject_linked_files(
    c: &mut Canonical,
    reports: &mut [FileReport],
    rejections: &mut Vec<Rejection>,
) {
    if c.linked_files.is_empty() || c.activity_origin.len() != c.activities.start_ms.len() {
        return;
    }
    let linked = |file: &str| {
        let p = std::path::Path::new(file);
        c.linked_files.iter().find(|(target, _, _)| target == p)
    };
    let mut keep = vec![true; c.activity_origin.len()];
    let mut dropped = Vec::new();
    for (i, o) in c.activity_origin.iter().enumerate() {
        if let Some((_, file, line)) = linked(&o.file) {
            keep[i] = false;
            dropped.push((o.file.to_string(), o.line, format!("{file}:{line}")));
        }
    }
    for (file, line, by) in &dropped {
        rejections.push(Rejection {
            file: file.clone(),
            line: Some(*line),
            reason: format!(
                "the same session as {by}, whose Filename column names this file (counted once)"
            ),
        });
        count_rejected(reports, file);
    }
    let gone: Vec<String> = dropped.into_iter().map(|(f, _, _)| f).collect();
    c.session_weather.retain(|w| !gone.contains(&w.file));
    c.retain_activities(&keep);
}

/// Moves a row from "used" to "rejected" in its file's report.
fn count_rejected(reports: &mut [FileReport], file: &str) {
    if let Some(r) = reports
        .iter_mut()
        .find(|r| r.path.display().to_string() == file)
    {
        r.rows_used = r.rows_used.saturating_sub(1);
        r.rows_rejected += 1;
    }
}

/// Rejects the later-starting of two sessions of one athlete that overlap by more than the
/// tolerance (run after the duplicate pass, so copies of one session are already gone).
/// Returns each overlap as (athlete, later session's file, first session's file).
pub fn reject_overlapping_sessions(
    c: &mut Canonical,
    reports: &mut [FileReport],
    rejections: &mut Vec<Rejection>,
) -> Vec<super::coverage::CrossOverlap> {
    let a = &c.activities;
    let Some(order) = by_athlete_then_start(c) else {
        return Vec::new();
    };
    let end_ms = |i: usize| a.start_ms[i] + (a.duration_min[i] * 60_000.0).round() as i64;
    let length_ms = |i: usize| (a.duration_min[i] * 60_000.0).round() as i64;
    // How long two sessions share, on one clock (`starts`): the night clocks fall back, two
    // sessions an hour apart start at the same local time and share nothing.
    let shared_ms = |i: usize, j: usize| {
        let (si, sj) = starts(c, i, j);
        (si + length_ms(i)).min(sj + length_ms(j)) - si.max(sj)
    };
    let ends_later = |i: usize, j: usize| {
        let (si, sj) = starts(c, i, j);
        si + length_ms(i) > sj + length_ms(j)
    };
    let tolerance_ms = (super::checks::limits::OVERLAP_TOLERANCE_MIN * 60_000.0) as i64;
    let mut keep = vec![true; order.len()];
    let mut dropped: Vec<(usize, usize)> = Vec::new();
    // The kept session of the current athlete that ends last: any later start that begins
    // more than the tolerance before its end overlaps it.
    let mut latest: Option<usize> = None;
    for &i in &order {
        match latest {
            Some(j) if a.athlete[j] == a.athlete[i] => {
                if shared_ms(i, j) > tolerance_ms {
                    keep[i] = false;
                    dropped.push((i, j));
                } else if ends_later(i, j) {
                    latest = Some(i);
                }
            }
            _ => latest = Some(i),
        }
    }
    if dropped.is_empty() {
        return Vec::new();
    }
    let overlaps = dropped
        .iter()
        .map(|&(i, j)| {
            let (later, first) = (&c.activity_origin[i], &c.activity_origin[j]);
            (
                c.athlete_ids.get(a.athlete[i]).to_string(),
                later.file.to_string(),
                first.file.to_string(),
            )
        })
        .collect();
    let clock = |ms: i64| {
        chrono::DateTime::from_timestamp_millis(ms)
            .map(|t| t.naive_utc().format("%H:%M").to_string())
            .unwrap_or_default()
    };
    for (i, j) in dropped {
        let (later, first) = (&c.activity_origin[i], &c.activity_origin[j]);
        rejections.push(Rejection {
            file: later.file.to_string(),
            line: Some(later.line),
            reason: format!(
                "overlaps the session at {}:{} ({}–{}) by more than {} min",
                first.file,
                first.line,
                clock(a.start_ms[j]),
                clock(end_ms(j)),
                super::checks::limits::OVERLAP_TOLERANCE_MIN
            ),
        });
        count_rejected(reports, &later.file);
    }
    c.retain_activities(&keep);
    overlaps
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tolerance_is_five_percent_or_a_minute() {
        assert!(durations_agree(&[60.0], &[62.9]));
        assert!(!durations_agree(&[60.0], &[63.5]));
        assert!(durations_agree(&[10.0], &[10.9]));
        assert!(!durations_agree(&[10.0], &[11.2]));
        assert!(durations_agree(&[100.0], &[200.0, 101.0]));
    }
}
