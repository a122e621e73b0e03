//! Names found in files: the athletes they stand for (through profiles and aliases, with
//! likely misspellings reported, never merged) and the weather place a file's name gives.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use crate::profiles::{name_key, ProfilesFile};

/// Maps the names found in files to one athlete each: profile names and their aliases first,
/// then, for names without a profile, the first spelling seen (compared case- and
/// space-insensitively). A new name that is close to a known one (a likely misspelling, as
/// `Ana Lopes` for `Ana Lopez`) is kept apart — guessing could merge two people — and reported.
pub struct Names {
    known: HashMap<String, String>,
    /// Every spelling met in the files, with the athlete it was read as.
    pub(super) spellings: BTreeMap<String, String>,
    pub(super) warnings: Vec<String>,
    /// The file being read, named in warnings.
    current_file: String,
    /// Spellings already resolved, exactly as written.
    resolved: polars::prelude::PlHashMap<String, String>,
}

/// How alike two name keys must be (Jaro–Winkler, 0–1) to be reported as a likely misspelling.
const NEAR_NAME_SIMILARITY: f64 = 0.9;

impl Names {
    pub fn new(profiles: &ProfilesFile) -> Self {
        Names {
            known: profiles.alias_map().into_iter().collect(),
            spellings: BTreeMap::new(),
            warnings: Vec::new(),
            current_file: String::new(),
            resolved: polars::prelude::PlHashMap::default(),
        }
    }

    /// The athlete a name in a file stands for.
    pub fn resolve(&mut self, raw: &str) -> String {
        // A file repeats the same few spellings on every row; each is resolved once.
        if let Some(name) = self.resolved.get(raw) {
            return name.clone();
        }
        let name = self.resolve_new(raw);
        self.resolved.insert(raw.to_string(), name.clone());
        name
    }

    fn resolve_new(&mut self, raw: &str) -> String {
        let key = name_key(raw);
        if let Some(found) = self.known.get(&key) {
            let found = found.clone();
            self.spellings
                .entry(raw.to_string())
                .or_insert_with(|| found.clone());
            return found;
        }
        let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut near: Vec<&String> = self
            .known
            .iter()
            .filter(|(k, _)| strsim::jaro_winkler(k, &key) >= NEAR_NAME_SIMILARITY)
            .map(|(_, athlete)| athlete)
            .collect();
        near.sort();
        near.dedup();
        if !near.is_empty() {
            let near: Vec<String> = near.iter().map(|n| format!("{n:?}")).collect();
            self.warnings.push(format!(
                "{}: athlete {name:?} is not in athletes.toml and looks like {}; it is kept as a \
                 separate athlete — if it is the same person, add it to that athlete's aliases",
                self.current_file,
                near.join(" or ")
            ));
        }
        self.known.insert(key, name.clone());
        self.spellings.insert(raw.to_string(), name.clone());
        name
    }

    /// Names the file the next names come from.
    pub fn set_file(&mut self, file: &Path) {
        self.current_file = file.display().to_string();
    }
}

/// The place a weather file stands for, from its name: `weather-oslo.csv`, `weather_oslo.csv`
/// or `weather.oslo.csv` → `oslo`. Used for rows that name no `location` themselves.
pub fn location_from_file_name(path: &Path) -> Option<String> {
    let stem = path.file_stem()?.to_str()?;
    let lower = stem.to_ascii_lowercase();
    let rest = lower.strip_prefix("weather")?;
    let place = rest.strip_prefix(['-', '_', '.'])?;
    let place = stem[stem.len() - place.len()..].trim();
    (!place.is_empty()).then(|| place.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weather_places_from_file_names() {
        let place = |p: &str| location_from_file_name(Path::new(p));
        assert_eq!(place("team/weather-oslo.csv").as_deref(), Some("oslo"));
        assert_eq!(
            place("Weather_Sierra Nevada.csv").as_deref(),
            Some("Sierra Nevada")
        );
        assert_eq!(place("weather.valencia.csv").as_deref(), Some("valencia"));
        assert_eq!(place("weather.csv"), None);
        assert_eq!(place("weather-.csv"), None);
        assert_eq!(place("weathering.csv"), None);
        assert_eq!(place("oslo-weather.csv"), None);
    }

    #[test]
    fn near_names_are_reported_not_merged() {
        let profiles = ProfilesFile::parse(
            "[athletes.\"Ana Lopez\"]\naliases = [\"Ana L\"]\n[athletes.ben]\n",
        )
        .unwrap();
        let mut names = Names::new(&profiles);
        names.set_file(Path::new("x.csv"));
        assert_eq!(names.resolve("ana  LOPEZ"), "Ana Lopez");
        assert_eq!(names.resolve("ana l"), "Ana Lopez");
        assert!(names.warnings.is_empty());
        assert_eq!(names.resolve("Ana Lopes"), "Ana Lopes");
        assert_eq!(names.warnings.len(), 1, "{:?}", names.warnings);
        assert!(names.warnings[0].contains("\"Ana Lopez\""));
        assert!(names.warnings[0].starts_with("x.csv: "));
        // A clearly different name is no warning.
        assert_eq!(names.resolve("Carla"), "Carla");
        assert_eq!(names.warnings.len(), 1);
    }
}
