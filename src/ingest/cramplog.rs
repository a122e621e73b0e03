//! The cramp log (docs/formats.md#cramps): one row per cramp an athlete noted — `athlete`
//! (optional), `date` or `time`, and optional `muscle`, `severity`, `when`, `note`. Read by the
//! native reader (the header tells the kind, `--cramps FILE` names it); this module owns the
//! record and the checks of its cells. Whether the athlete and the day have data is known only
//! after the daily table is built, so that check is `evaluate::outcomes`'s.

use chrono::NaiveDate;

/// How bad the cramp was: `mild|moderate|severe`, or 1–3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Mild,
    Moderate,
    Severe,
}

impl Severity {
    pub fn parse(text: &str) -> Result<Severity, String> {
        match text.trim().to_lowercase().as_str() {
            "mild" | "1" => Ok(Severity::Mild),
            "moderate" | "2" => Ok(Severity::Moderate),
            "severe" | "3" => Ok(Severity::Severe),
            _ => Err(format!(
                "severity {text:?} is not mild, moderate, severe or 1–3"
            )),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Severity::Mild => "mild",
            Severity::Moderate => "moderate",
            Severity::Severe => "severe",
        }
    }
}

/// When the cramp came: during exercise, after it, or at night.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    During,
    After,
    Night,
}

impl When {
    pub fn parse(text: &str) -> Result<When, String> {
        match text.trim().to_lowercase().as_str() {
            "during" => Ok(When::During),
            "after" => Ok(When::After),
            "night" => Ok(When::Night),
            _ => Err(format!("when {text:?} is not during, after or night")),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            When::During => "during",
            When::After => "after",
            When::Night => "night",
        }
    }
}

/// Where a cramp is known from: a cramp log, or a mention in a session's title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrampSource {
    Log,
    Mention,
}

impl CrampSource {
    /// The value of `cramp_source`.
    pub fn name(self) -> &'static str {
        match self {
            CrampSource::Log => "log",
            CrampSource::Mention => "mention",
        }
    }
}

/// One cramp, with the file and line it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Cramp {
    pub athlete: String,
    pub date: NaiveDate,
    pub muscle: Option<String>,
    pub severity: Option<Severity>,
    pub when: Option<When>,
    pub note: Option<String>,
    pub source: CrampSource,
    pub file: String,
    pub line: u64,
}

/// The longest muscle name kept: anything longer is a note typed into the wrong column.
const MUSCLE_MAX_CHARS: usize = 40;

/// A row's optional cells: muscle (lowercase), severity, when.
pub type Cells = (Option<String>, Option<Severity>, Option<When>);

/// Checks a row's optional cells (muscle, severity, when, note): the first problem found.
pub fn cells(
    muscle: Option<&str>,
    severity: Option<&str>,
    when: Option<&str>,
) -> Result<Cells, String> {
    let muscle = match muscle {
        Some(m) if m.chars().count() > MUSCLE_MAX_CHARS => {
            return Err(format!(
                "muscle {m:?} is longer than {MUSCLE_MAX_CHARS} characters (a note in the wrong column?)"
            ))
        }
        Some(m) => Some(m.to_lowercase()),
        None => None,
    };
    let severity = severity.map(Severity::parse).transpose()?;
    let when = when.map(When::parse).transpose()?;
    Ok((muscle, severity, when))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_by_word_or_number_and_impossible_ones_named() {
        assert_eq!(Severity::parse("Severe"), Ok(Severity::Severe));
        assert_eq!(Severity::parse("2"), Ok(Severity::Moderate));
        assert_eq!(Severity::parse(" mild "), Ok(Severity::Mild));
        let err = Severity::parse("5").unwrap_err();
        assert_eq!(err, "severity \"5\" is not mild, moderate, severe or 1–3");
        assert!(Severity::parse("0").is_err());
        assert!(Severity::parse("very").is_err());
    }

    #[test]
    fn when_and_muscle_cells() {
        assert_eq!(When::parse("Night"), Ok(When::Night));
        assert!(When::parse("morning").is_err());
        let (m, s, w) = cells(Some("Calf"), None, Some("during")).unwrap();
        assert_eq!(
            (m.as_deref(), s, w),
            (Some("calf"), None, Some(When::During))
        );
        let long = "left calf while climbing the third hill of the loop at km 12";
        assert!(cells(Some(long), None, None)
            .unwrap_err()
            .contains("wrong column"));
    }
}
