//! The one list of input formats. Adding a format: a module exporting its `Format` record
//! (name, kind, recognition, reader), one line here, and its section in docs/formats.md.
//! `--vendor` takes its values and help from this list; recognition ranks headers against it.

use std::path::Path;

use super::format::{candidate, Candidate, Format, Recognise};
use super::{apple, fit, fitbit, fluidlog, garmin, meteostat, myfitnesspal, native, noaa};
use super::{openmeteo, parquet, polar, strava, whoop};

/// Every format, in the order a tie between equally good header matches is broken.
pub static FORMATS: &[&Format] = &[
    &native::FORMAT,
    &garmin::ACTIVITIES,
    &strava::CURRENT,
    &strava::LEGACY,
    &openmeteo::FORMAT,
    &noaa::GHCN,
    &noaa::LCD,
    &apple::HEALTH_CSV,
    &whoop::FORMAT,
    &whoop::CYCLES,
    &whoop::SLEEPS,
    &meteostat::FORMAT,
    &fluidlog::FORMAT,
    &polar::FORMAT,
    &fitbit::FORMAT,
    &apple::WORKOUT_CSV,
    &myfitnesspal::FORMAT,
    &apple::HEALTH_XML,
    &garmin::HYDRATION_JSON,
    &fit::FORMAT,
    &parquet::FORMAT,
];

/// The formats `--vendor` can name: the vendor CSV formats.
pub fn selectable() -> impl Iterator<Item = &'static Format> {
    FORMATS.iter().copied().filter(|f| f.selectable())
}

/// A format named with `--vendor` (case and surrounding spaces ignored).
pub fn by_name(name: &str) -> Option<&'static Format> {
    let key = name.trim().to_lowercase();
    selectable().find(|f| f.name == key)
}

/// `--vendor`'s names, comma-separated.
pub fn vendor_names() -> String {
    selectable().map(|f| f.name).collect::<Vec<_>>().join(", ")
}

/// `--vendor`'s help text.
pub fn vendor_help() -> String {
    format!(
        "Read every file as this vendor's export instead of detecting it from the header ({})",
        vendor_names()
    )
}

/// The native format (the canonical headers), tried before any vendor format.
pub fn native() -> &'static Format {
    &native::FORMAT
}

/// The format a file is known by its name for (Apple Health `export.xml`, Garmin
/// `HydrationLogFile_*.json`), if any.
pub fn by_file_name(path: &Path) -> Option<&'static Format> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    FORMATS.iter().copied().find(|f| match f.recognise {
        Recognise::FileName(known) => known(&name),
        _ => false,
    })
}

/// Every vendor format scored against a header, best first: complete matches first, then by
/// columns found, then by share of required columns found (ties keep the list's order).
pub fn rank(header: &[String]) -> Vec<Candidate> {
    let mut all: Vec<Candidate> = selectable().map(|f| candidate(f, header)).collect();
    all.sort_by(|a, b| {
        let share =
            |c: &Candidate| (c.required - c.missing.len()) as f64 / c.required.max(1) as f64;
        b.complete()
            .cmp(&a.complete())
            .then((b.mapping.columns.len()).cmp(&a.mapping.columns.len()))
            .then(share(b).total_cmp(&share(a)))
    });
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_vendor_name_round_trips_and_names_are_unique() {
        for f in selectable() {
            assert_eq!(by_name(f.name), Some(f));
            assert_eq!(by_name(&format!(" {} ", f.name.to_uppercase())), Some(f));
        }
        assert_eq!(by_name("nope"), None);
        // Native and named-file formats are not --vendor choices.
        assert_eq!(by_name("native"), None);
        assert_eq!(by_name("apple-health-xml"), None);
        let mut names: Vec<&str> = FORMATS.iter().map(|f| f.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), FORMATS.len());
    }

    #[test]
    fn the_docs_table_names_every_format() {
        // docs/formats.md "Every format at a glance" is kept in step with this list.
        let docs = include_str!("../../docs/formats.md");
        let table = docs
            .split("### Every format at a glance")
            .nth(1)
            .and_then(|t| t.split("\n### ").next())
            .unwrap_or("");
        for f in FORMATS {
            assert!(
                table.contains(&format!("| `{}`", f.name))
                    || table.contains(&format!(", `{}`", f.name)),
                "docs/formats.md's table lacks the format {}",
                f.name
            );
        }
    }

    #[test]
    fn exports_are_known_by_their_names() {
        let name = |p: &str| by_file_name(Path::new(p)).map(|f| f.name);
        assert_eq!(name("x/export.xml"), Some("apple-health-xml"));
        assert_eq!(
            name("DI_CONNECT/HydrationLogFile_2024.json"),
            Some("garmin-hydration-json")
        );
        assert_eq!(name("x/other.xml"), None);
        assert_eq!(name("x/activities.csv"), None);
    }
}
