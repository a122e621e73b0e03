//! The fuzz target's choices (fuzz/fuzz_targets/ingest.rs), kept here so `cargo test` compiles
//! and checks them: which file name the bytes are read under (some formats are known by name)
//! and which reading options (`--tz` at the extremes of the offsets, the future check,
//! `--units`, `--athlete-name`, `--vendor` forcing each reader onto any bytes).

use chrono::NaiveDate;

use super::format::{ReadOptions, Units};
use super::formats;

/// The file names the first input byte picks from: every name-recognised format (JSON and
/// XML in two spellings each, FIT, Parquet), the archives `load` unpacks (zip, gzip), the
/// weather-place and folder paths, and generic CSV names.
pub const NAMES: [&str; 16] = [
    "input.csv",
    "Activities.csv",
    "activities.csv",
    "weather-oslo.csv",
    "export.xml",
    "Export.XML",
    "HydrationLogFile_1.json",
    "hydrationlogfile_2024.JSON",
    "DietaryWater.csv",
    "open-meteo.csv",
    "ana/activities.csv",
    "athletes.toml",
    "activity.fit",
    "data.parquet",
    "export.zip",
    "Activities.csv.gz",
];

/// Time zones at the edges: none (UTC days), +9 without DST, a DST zone (the fall-back hour),
/// +14 and −12 (the widest offsets, dates move by a day).
const ZONES: [Option<chrono_tz::Tz>; 5] = [
    None,
    Some(chrono_tz::Asia::Tokyo),
    Some(chrono_tz::America::New_York),
    Some(chrono_tz::Pacific::Kiritimati),
    Some(chrono_tz::Etc::GMTPlus12),
];

/// The reading options the second input byte (and the third, for `--vendor`) picks: bits 0–2
/// the zone, bit 3 the future check (today = 2026-11-21), bit 4 `--units imperial`, bit 5
/// `--athlete-name`, bit 6 `--vendor` (the third byte picks which).
pub fn options(selector: u8, vendor: u8) -> ReadOptions {
    let vendors: Vec<_> = formats::selectable().collect();
    ReadOptions {
        tz: ZONES[usize::from(selector & 7) % ZONES.len()],
        today: (selector & 8 != 0)
            .then(|| NaiveDate::from_ymd_opt(2026, 11, 21))
            .flatten(),
        units: (selector & 16 != 0).then_some(Units::Imperial),
        athlete_name: (selector & 32 != 0).then(|| "fuzz".to_string()),
        vendor: if selector & 64 != 0 && !vendors.is_empty() {
            Some(vendors[usize::from(vendor) % vendors.len()])
        } else {
            None
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_choice_is_reachable() {
        // Every zone, both future-check settings and every vendor come out of some byte.
        let zones: std::collections::BTreeSet<String> = (0..=255u8)
            .map(|b| format!("{:?}", options(b, 0).tz))
            .collect();
        assert_eq!(zones.len(), ZONES.len());
        assert!(options(8, 0).today.is_some() && options(0, 0).today.is_none());
        let vendors: std::collections::BTreeSet<&str> = (0..=255u8)
            .filter_map(|b| options(64, b).vendor.map(|f| f.name))
            .collect();
        assert_eq!(vendors.len(), formats::selectable().count());
        // Both name-recognised formats (the XML and the JSON reader) are among the names.
        let by_name: std::collections::BTreeSet<&str> = NAMES
            .iter()
            .filter_map(|n| formats::by_file_name(std::path::Path::new(n)).map(|f| f.name))
            .collect();
        assert_eq!(
            by_name.len(),
            4,
            "export.xml, the Garmin hydration JSON, FIT and Parquet: {by_name:?}"
        );
    }
}
