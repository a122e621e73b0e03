//! Downloads as they come: a `.zip` (Strava's bulk export, Garmin's data export, Apple
//! Health's `export.zip`, Garmin's nested `UploadedFiles_*.zip`) is unpacked into one temporary
//! folder that is removed when the run ends, and a compressed CSV (`.csv.gz`) is decompressed
//! there; FIT files (`.fit`, `.fit.gz`) are read in place. Members that are not inputs (photos,
//! GPX routes, profile JSON …) are counted in one line per archive. Names shown to the user are
//! the archive's (`export.zip/activities.csv`), never the temporary folder's.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::text::MAX_IN_MEMORY_BYTES;
use super::types::InputFile;

/// How deep archives inside archives are opened (Garmin's export holds zips of FIT files).
const MAX_DEPTH: usize = 3;

/// The inputs with every archive unpacked and every `.csv.gz` decompressed into a temporary
/// folder (removed when this is dropped).
pub struct Expanded {
    pub files: Vec<InputFile>,
    /// One line per archive or compressed file: what was read and what was not.
    pub notes: Vec<String>,
    /// Problems that made an archive unreadable: (archive, reason).
    pub unreadable: Vec<(PathBuf, String)>,
    /// (temporary path prefix, the name to show instead), longest first.
    renames: Vec<(String, String)>,
    _tmp: Option<tempfile::TempDir>,
}

impl Expanded {
    /// A path or text with temporary-folder paths replaced by the archive names they stand for.
    pub fn shown(&self, text: &str) -> String {
        let mut t = text.to_string();
        for (from, to) in &self.renames {
            if t.contains(from.as_str()) {
                t = t.replace(from.as_str(), to);
            }
        }
        t
    }

    /// `shown` for a path.
    pub fn shown_path(&self, p: &Path) -> PathBuf {
        PathBuf::from(self.shown(&p.display().to_string()))
    }
}

/// The name of the folder an archive's members are placed under: the folder the archive is in
/// (its athlete, by the folder rule), so `ana/export.zip`'s members are read as `ana`'s.
fn athlete_dir(archive: &Path) -> String {
    archive
        .parent()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "athlete".to_string())
}

/// Unpacks the archives and compressed CSVs among `files`; other files pass unchanged.
pub fn expand(files: Vec<InputFile>) -> Expanded {
    let mut out = Expanded {
        files: Vec::new(),
        notes: Vec::new(),
        unreadable: Vec::new(),
        renames: Vec::new(),
        _tmp: None,
    };
    let mut counter = 0usize;
    for f in files {
        let name = super::discover::lower_name(&f.path);
        if name.ends_with(".zip") || name.ends_with(".csv.gz") {
            let tmp = match &out._tmp {
                Some(t) => t.path().to_path_buf(),
                None => match tempfile::Builder::new().prefix("cramprisk-").tempdir() {
                    Ok(t) => {
                        let p = t.path().to_path_buf();
                        out._tmp = Some(t);
                        p
                    }
                    Err(e) => {
                        out.unreadable.push((
                            f.path.clone(),
                            format!("cannot create a temporary folder to unpack it: {e}"),
                        ));
                        continue;
                    }
                },
            };
            counter += 1;
            let dir = tmp.join(counter.to_string()).join(athlete_dir(&f.path));
            let result = if name.ends_with(".zip") {
                unzip(&f.path, &dir, 0, &mut out)
            } else {
                gunzip_csv(&f.path, &dir, &mut out)
            };
            if let Err(why) = result {
                out.unreadable.push((f.path.clone(), why));
            }
            let shown = if name.ends_with(".zip") {
                f.path.display().to_string()
            } else {
                f.path
                    .parent()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default()
            };
            out.renames.push((dir.display().to_string(), shown));
        } else {
            out.files.push(f);
        }
    }
    out.renames
        .sort_by_key(|(from, _)| std::cmp::Reverse(from.len()));
    out
}

/// Decompresses `x.csv.gz` to `dir/x.csv`.
fn gunzip_csv(path: &Path, dir: &Path, out: &mut Expanded) -> Result<(), String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot be opened: {e}"))?;
    let stem = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = &stem[..stem.len().saturating_sub(3)];
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot unpack: {e}"))?;
    let target = dir.join(stem);
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(file)
        .take(MAX_IN_MEMORY_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("not a readable .gz file: {e}"))?;
    if bytes.len() as u64 > MAX_IN_MEMORY_BYTES {
        return Err(format!(
            "decompresses to more than {} MB",
            MAX_IN_MEMORY_BYTES / 1024 / 1024
        ));
    }
    std::fs::write(&target, bytes).map_err(|e| format!("cannot unpack: {e}"))?;
    out.files.push(InputFile {
        path: target.clone(),
        hint: None,
    });
    out.renames
        .push((target.display().to_string(), path.display().to_string()));
    Ok(())
}

/// Unpacks the members the tool reads into `dir` (nested zips too), counts the others.
fn unzip(path: &Path, dir: &Path, depth: usize, out: &mut Expanded) -> Result<(), String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot be opened: {e}"))?;
    let mut zip =
        zip::ZipArchive::new(file).map_err(|e| format!("not a readable zip archive: {e}"))?;
    let mut read = 0usize;
    let mut ignored: BTreeMap<String, usize> = BTreeMap::new();
    let mut nested = Vec::new();
    for i in 0..zip.len() {
        let mut member = zip
            .by_index(i)
            .map_err(|e| format!("member {} cannot be read: {e}", i + 1))?;
        if member.is_dir() {
            continue;
        }
        // A member whose name climbs out of the folder (`../x`) is never written.
        let Some(rel) = member.enclosed_name() else {
            *ignored.entry("unsafe names".into()).or_default() += 1;
            continue;
        };
        if !super::discover::is_input_name(&rel)
            || super::discover::lower_name(&rel) == "athletes.toml"
        {
            *ignored.entry(kind_of(&rel)).or_default() += 1;
            continue;
        }
        let target = dir.join(&rel);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("cannot unpack: {e}"))?;
        }
        let mut bytes = Vec::new();
        (&mut member)
            .take(MAX_IN_MEMORY_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("member {} cannot be unpacked: {e}", rel.display()))?;
        if bytes.len() as u64 > MAX_IN_MEMORY_BYTES {
            return Err(format!(
                "member {} unpacks to more than {} MB",
                rel.display(),
                MAX_IN_MEMORY_BYTES / 1024 / 1024
            ));
        }
        std::fs::write(&target, bytes).map_err(|e| format!("cannot unpack: {e}"))?;
        let lower = super::discover::lower_name(&rel);
        if lower.ends_with(".zip") {
            nested.push(target);
        } else if lower.ends_with(".csv.gz") {
            gunzip_csv(&target, target.parent().unwrap_or(dir), out)?;
            // The decompressed copy is shown under the member's own name.
            read += 1;
        } else {
            read += 1;
            out.files.push(InputFile {
                path: target,
                hint: None,
            });
        }
    }
    for n in nested {
        if depth + 1 >= MAX_DEPTH {
            *ignored
                .entry("archives nested too deep".into())
                .or_default() += 1;
            continue;
        }
        // Unpacked beside itself under a name no other path starts with (`x.zip~`), shown as
        // the archive's own name.
        let mut inner_name = n.file_name().unwrap_or_default().to_os_string();
        inner_name.push("~");
        let inner = n.with_file_name(inner_name);
        match unzip(&n, &inner, depth + 1, out) {
            Ok(()) => {
                read += 1;
                out.renames
                    .push((inner.display().to_string(), n.display().to_string()));
            }
            Err(why) => {
                *ignored
                    .entry(format!("unreadable archives ({why})"))
                    .or_default() += 1;
            }
        }
    }
    let skipped: usize = ignored.values().sum();
    let mut note = format!("{}: {read} member(s) to read", path.display());
    if skipped > 0 {
        let kinds: Vec<String> = ignored.iter().map(|(k, n)| format!("{n} {k}")).collect();
        note.push_str(&format!(
            "; {skipped} not read, not inputs of cramprisk ({})",
            kinds.join(", ")
        ));
    }
    out.notes.push(note);
    Ok(())
}

/// A short name for a member's kind, for the one-line summary (`.jpg`, `.gpx.gz`, …).
fn kind_of(p: &Path) -> String {
    let name = super::discover::lower_name(p);
    let mut parts = name.rsplitn(3, '.');
    let last = parts.next().unwrap_or("");
    let before = parts.next();
    match (before, parts.next()) {
        (Some(b), Some(_)) if last == "gz" => format!(".{b}.gz"),
        (Some(_), _) => format!(".{last}"),
        _ => "files without extension".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_kinds() {
        assert_eq!(kind_of(Path::new("media/a.jpg")), ".jpg");
        assert_eq!(kind_of(Path::new("activities/1.gpx.gz")), ".gpx.gz");
        assert_eq!(kind_of(Path::new("README")), "files without extension");
        assert!(super::super::discover::is_input_name(Path::new(
            "activities/1.fit.gz"
        )));
        assert!(super::super::discover::is_input_name(Path::new(
            "a/Export.ZIP"
        )));
        assert!(!super::super::discover::is_input_name(Path::new(
            "a/1.gpx.gz"
        )));
    }
}
