//! Athlete profiles (`athletes.toml`): a `[defaults]` table and one `[athletes.NAME]` table each,
//! resolved per athlete with a record of which values came from the defaults; also the name
//! matching (aliases, case and spacing) that ties every input row to one athlete.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;
use serde::Deserialize;

/// Biological sex, used only to pick the Banister TRIMP coefficients and the EFSA water intake.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sex {
    Male,
    Female,
}

/// Self-reported history of cramping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CrampHistory {
    None,
    Occasional,
    Frequent,
}

/// One profile table as written; every field optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileValues {
    pub sex: Option<Sex>,
    pub birth_year: Option<i32>,
    pub body_mass_kg: Option<f64>,
    pub hr_rest: Option<f64>,
    pub hr_max: Option<f64>,
    pub sweat_rate_l_per_h: Option<f64>,
    pub sweat_sodium_mg_per_l: Option<f64>,
    pub cramp_history: Option<CrampHistory>,
    pub medications: Option<Vec<String>>,
    pub conditions: Option<Vec<String>>,
    pub family_history: Option<bool>,
    pub tight_hamstrings: Option<bool>,
    pub location: Option<String>,
    pub aliases: Option<Vec<String>>,
}

/// The whole `athletes.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfilesFile {
    #[serde(default)]
    pub defaults: ProfileValues,
    #[serde(default)]
    pub athletes: BTreeMap<String, ProfileValues>,
}

/// One athlete's profile after applying `[defaults]`; `defaulted` names the fields taken from it.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    pub name: String,
    pub values: ProfileValues,
    pub defaulted: Vec<&'static str>,
    /// Whether the athlete has an `[athletes.NAME]` table at all.
    pub has_table: bool,
}

/// Compares names case- and space-insensitively, after Unicode normalisation: "Ana  Lopez",
/// "ana lopez" and "Ana\u{a0}Lopez" are one key (`safe_text::name_key`).
pub fn name_key(name: &str) -> String {
    crate::safe_text::name_key(name)
}

impl ProfilesFile {
    /// Reads and checks a profiles file.
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading profiles {}", path.display()))?;
        Self::parse(&text).with_context(|| format!("in profiles {}", path.display()))
    }

    /// Parses profile TOML text.
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let file: ProfilesFile = toml::from_str(text)?;
        for (name, v) in std::iter::once(("[defaults]", &file.defaults))
            .chain(file.athletes.iter().map(|(n, v)| (n.as_str(), v)))
        {
            check_values(name, v)?;
        }
        file.check_clashes()?;
        Ok(file)
    }

    /// Every spelling the profiles give (table names and aliases) with its table name.
    pub fn spellings(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (name, v) in &self.athletes {
            out.push((name.clone(), name.clone()));
            for alias in v.aliases.iter().flatten() {
                out.push((alias.clone(), name.clone()));
            }
        }
        out
    }

    /// Refuses two tables, or a table and another's alias, or two athletes' aliases, that are
    /// one name once compared (`[athletes.Ana]` and `[athletes.ana]`): one would silently win.
    /// A blank-looking table name or alias is refused too.
    fn check_clashes(&self) -> anyhow::Result<()> {
        let mut seen: BTreeMap<String, (String, String)> = BTreeMap::new();
        for (spelling, athlete) in self.spellings() {
            let key = name_key(&spelling);
            if key.is_empty() {
                anyhow::bail!("[athletes.{athlete:?}]: the name or alias {spelling:?} is blank");
            }
            match seen.get(&key) {
                Some((other, other_athlete)) if other_athlete != &athlete => anyhow::bail!(
                    "{other:?} (athlete {other_athlete:?}) and {spelling:?} (athlete \
                     {athlete:?}) are the same name once case, spacing and Unicode form are \
                     ignored; rename one or remove the alias"
                ),
                Some(_) => {}
                None => {
                    seen.insert(key, (spelling, athlete));
                }
            }
        }
        Ok(())
    }

    /// Maps every name key (the table name and its aliases) to the table name.
    pub fn alias_map(&self) -> BTreeMap<String, String> {
        self.spellings()
            .into_iter()
            .map(|(spelling, athlete)| (name_key(&spelling), athlete))
            .collect()
    }

    /// The resolved profile of an athlete (by canonical name).
    pub fn resolve(&self, name: &str) -> Profile {
        let own = self.athletes.get(name);
        let mut values = own.cloned().unwrap_or_default();
        let d = &self.defaults;
        let mut defaulted = Vec::new();
        macro_rules! fill {
            ($($field:ident),*) => {$(
                if values.$field.is_none() && d.$field.is_some() {
                    values.$field = d.$field.clone();
                    defaulted.push(stringify!($field));
                }
            )*};
        }
        fill!(
            sex,
            birth_year,
            body_mass_kg,
            hr_rest,
            hr_max,
            sweat_rate_l_per_h,
            sweat_sodium_mg_per_l,
            cramp_history,
            medications,
            conditions,
            family_history,
            tight_hamstrings,
            location
        );
        Profile {
            name: name.to_string(),
            values,
            defaulted,
            has_table: own.is_some(),
        }
    }
}

/// Rejects values no person can have, so a typo does not silently drive the score.
fn check_values(table: &str, v: &ProfileValues) -> anyhow::Result<()> {
    let checks: [(&str, Option<f64>, f64, f64); 6] = [
        ("body_mass_kg", v.body_mass_kg, 25.0, 250.0),
        ("hr_rest", v.hr_rest, 25.0, 120.0),
        ("hr_max", v.hr_max, 100.0, 240.0),
        ("sweat_rate_l_per_h", v.sweat_rate_l_per_h, 0.1, 6.0),
        (
            "sweat_sodium_mg_per_l",
            v.sweat_sodium_mg_per_l,
            100.0,
            3000.0,
        ),
        ("birth_year", v.birth_year.map(f64::from), 1900.0, 2025.0),
    ];
    for (field, value, lo, hi) in checks {
        if let Some(x) = value {
            if !(lo..=hi).contains(&x) {
                anyhow::bail!("{table}: {field} = {x} is outside the plausible range {lo}–{hi}");
            }
        }
    }
    if let (Some(rest), Some(max)) = (v.hr_rest, v.hr_max) {
        if rest >= max {
            anyhow::bail!("{table}: hr_rest ({rest}) must be below hr_max ({max})");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"
[defaults]
hr_rest = 60
hr_max = 190
[athletes.ana]
sex = "female"
hr_rest = 48
aliases = ["Ana  Lopez", "A. Lopez"]
cramp_history = "frequent"
"#;

    #[test]
    fn defaults_fill_gaps_and_are_recorded() {
        let f = ProfilesFile::parse(TEXT).unwrap();
        let ana = f.resolve("ana");
        assert_eq!(ana.values.hr_rest, Some(48.0));
        assert_eq!(ana.values.hr_max, Some(190.0));
        assert_eq!(ana.defaulted, vec!["hr_max"]);
        let ben = f.resolve("ben");
        assert!(!ben.has_table);
        assert_eq!(ben.values.hr_rest, Some(60.0));
    }

    #[test]
    fn aliases_match_case_and_space_insensitively() {
        let f = ProfilesFile::parse(TEXT).unwrap();
        let map = f.alias_map();
        assert_eq!(
            map.get(&name_key("ana lopez")).map(String::as_str),
            Some("ana")
        );
        assert_eq!(map.get(&name_key(" ANA ")).map(String::as_str), Some("ana"));
    }

    #[test]
    fn implausible_values_are_refused() {
        let err = ProfilesFile::parse("[athletes.x]\nhr_max = 400\n").unwrap_err();
        assert!(format!("{err:#}").contains("hr_max"));
        assert!(ProfilesFile::parse("[athletes.x]\nshoe_size = 4\n").is_err());
    }

    #[test]
    fn clashing_names_and_aliases_are_refused_naming_both() {
        let err = ProfilesFile::parse("[athletes.Ana]\n[athletes.ana]\n").unwrap_err();
        let msg = format!("{err:#}");
        assert!(msg.contains("\"Ana\"") && msg.contains("\"ana\""), "{msg}");
        let err = ProfilesFile::parse(
            "[athletes.ana]\naliases = [\"AL\"]\n[athletes.al]\n[athletes.ben]\naliases = [\"al\"]\n",
        )
        .unwrap_err();
        let msg = format!("{err:#}");
        assert!(
            msg.contains("athlete \"ana\"") && msg.contains("athlete \"al\""),
            "{msg}"
        );
        // Two aliases of two athletes, NBSP against a plain space.
        let err = ProfilesFile::parse(
            "[athletes.a]\naliases = [\"Ana Lopez\"]\n[athletes.b]\naliases = [\"ana\\u00a0lopez\"]\n",
        )
        .unwrap_err();
        assert!(format!("{err:#}").contains("athlete \"b\""));
        // An athlete's alias equal to its own name is no clash.
        assert!(ProfilesFile::parse("[athletes.ana]\naliases = [\"ANA\"]\n").is_ok());
    }
}
