//! The native reader's fast path: a file's lines split into records without the csv crate's
//! reader while each record is one line (no line end inside quotes, no carriage return, a
//! line shorter than the buffer); the first line that is not is handed, with the rest of the
//! file, to the csv crate.
//!
//! Why not the csv crate's reader for every line: its state machine looks at every byte, and
//! at 1,000 athletes × 730 days it was the largest single cost of a run (0.6 of a second of
//! the fluid log's 0.7, on the thread the rest of ingest waited for). A line without a quote
//! needs no state machine: its cells are what lies between its delimiters. A line with quotes
//! goes through the csv crate's own state machine (`csv-core`), the line alone, and is taken
//! only when the record ends with the line. Either way the record is what the csv crate reads
//! (`native::tests::simple_lines_read_as_the_csv_crate_reads_them` checks that on random
//! files).

use std::io::Read;

/// Bytes read from the file at a time; a line longer than this goes to the csv crate.
pub const BUFFER_BYTES: usize = 256 * 1024;

/// A native file's data lines after its header, read while they are simple.
pub struct SimpleLines {
    /// `None` once the rest of the file was handed to the csv crate.
    file: Option<std::fs::File>,
    buf: Vec<u8>,
    /// The first byte of `buf` not yet handed out, and the end of what was read into it.
    pos: usize,
    filled: usize,
    /// The file offset of `buf[0]`.
    offset: u64,
    /// The line `buf[pos]` is on (1 is the file's first).
    line: u64,
    eof: bool,
    delimiter: u8,
    /// Lines with quotes, read one at a time, and its buffers: the cells' bytes and ends.
    quoted: csv_core::Reader,
    cells: Vec<u8>,
    ends: Vec<usize>,
    /// Records handed out (the csv crate's record index; the header is record 0).
    records: u64,
}

/// What the next line of the file is.
pub enum Next {
    /// A record, read into the record given, on this line.
    Record { line: u64 },
    /// A line whose bytes are not UTF-8, as the csv crate rejects it.
    NotUtf8 { line: u64 },
    /// The end of the file.
    End,
    /// A line that is not simple: it and the rest of the file are the csv crate's to read.
    Rest(Rest),
}

/// The file from the start of a line that is not simple.
pub struct Rest {
    /// The bytes from that line's start to the end of the file.
    pub bytes: Box<dyn Read + Send>,
    /// The line it starts on.
    pub line: u64,
    /// Whether it is the first line after the header (nothing was handed out).
    pub at_start: bool,
}

impl SimpleLines {
    /// The file's lines after its header, which ends at byte `header_end` as the csv crate
    /// read it. `None` when the header's own bytes hold a carriage return (the csv crate's
    /// reader rewrites line ends, so its offset is not the file's) or the file cannot be
    /// read again: the csv crate then reads the whole file, as it always did.
    /// `buffer_bytes`: [`BUFFER_BYTES`] (the tests' files cross smaller buffers' edges).
    pub fn open(
        path: &std::path::Path,
        header_end: u64,
        delimiter: u8,
        buffer_bytes: usize,
    ) -> Option<SimpleLines> {
        let header_end = usize::try_from(header_end).ok()?;
        if header_end > buffer_bytes || !delimiter.is_ascii() || delimiter == b'"' {
            return None;
        }
        let file = std::fs::File::open(path).ok()?;
        let mut lines = SimpleLines {
            file: Some(file),
            buf: vec![0; buffer_bytes],
            pos: 0,
            filled: 0,
            offset: 0,
            line: 1,
            eof: false,
            delimiter,
            quoted: quoted_lines(delimiter),
            cells: Vec::new(),
            ends: Vec::new(),
            records: 1,
        };
        while lines.filled < header_end && !lines.eof {
            lines.fill().ok()?;
        }
        let header = lines.buf.get(..header_end)?;
        if memchr::memchr(b'\r', header).is_some() {
            return None;
        }
        lines.line = 1 + memchr::memchr_iter(b'\n', header).count() as u64;
        lines.pos = header_end;
        Some(lines)
    }

    /// Reads more of the file after what was read (the buffer must have room).
    fn fill(&mut self) -> std::io::Result<()> {
        let Some(file) = self.file.as_mut() else {
            self.eof = true;
            return Ok(());
        };
        loop {
            match file.read(&mut self.buf[self.filled..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(());
                }
                Ok(n) => {
                    self.filled += n;
                    return Ok(());
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// The next line: read into `record` when it is simple.
    pub fn next(&mut self, record: &mut csv::StringRecord) -> Next {
        loop {
            // Blank lines are skipped, as the csv crate skips them.
            while self.buf[self.pos..self.filled].first() == Some(&b'\n') {
                self.pos += 1;
                self.line += 1;
            }
            let rest = &self.buf[self.pos..self.filled];
            let end = match memchr::memchr(b'\n', rest) {
                Some(end) => end,
                // The file's last line, without a line end.
                None if self.eof && !rest.is_empty() => rest.len(),
                None if self.eof => return Next::End,
                None => {
                    if self.pos == 0 && self.filled == self.buf.len() {
                        // A line longer than the buffer.
                        return self.rest();
                    }
                    // Read on, the line's start moved to the buffer's.
                    self.buf.copy_within(self.pos..self.filled, 0);
                    self.offset += self.pos as u64;
                    self.filled -= self.pos;
                    self.pos = 0;
                    if self.fill().is_err() {
                        // The csv crate reads on and reports the error at its line.
                        return self.rest();
                    }
                    continue;
                }
            };
            let line_bytes = &rest[..end];
            let line = self.line;
            let start = self.offset + self.pos as u64;
            let quotes = memchr::memchr2(b'"', b'\r', line_bytes);
            if quotes.is_some() {
                // A carriage return, a quote in the last line (its end would need the file's
                // end said to the state machine), or a record that goes on past its line:
                // the csv crate reads from here.
                let whole = &rest[..(end + 1).min(rest.len())];
                if memchr::memchr(b'\r', line_bytes).is_some()
                    || whole.len() == end
                    || !read_quoted(&mut self.quoted, &mut self.cells, &mut self.ends, whole)
                {
                    return self.rest();
                }
            }
            self.pos += (end + 1).min(rest.len());
            self.line += 1;
            self.records += 1;
            let text = if quotes.is_some() {
                std::str::from_utf8(&self.cells)
            } else {
                std::str::from_utf8(line_bytes)
            };
            let Ok(text) = text else {
                return Next::NotUtf8 { line };
            };
            record.clear();
            if quotes.is_some() {
                let mut from = 0;
                for &to in &self.ends {
                    record.push_field(&text[from..to]);
                    from = to;
                }
            } else {
                // A byte loop: the cells are a few bytes each, too short for a vector search.
                let mut from = 0;
                for (at, &byte) in text.as_bytes().iter().enumerate() {
                    if byte == self.delimiter {
                        record.push_field(&text[from..at]);
                        from = at + 1;
                    }
                }
                record.push_field(&text[from..]);
            }
            let mut position = csv::Position::new();
            position
                .set_byte(start)
                .set_line(line)
                .set_record(self.records - 1);
            record.set_position(Some(position));
            return Next::Record { line };
        }
    }

    /// The file from the line at `pos` on, for the csv crate.
    fn rest(&mut self) -> Next {
        let at_start = self.records == 1;
        let read = std::io::Cursor::new(self.buf[self.pos..self.filled].to_vec());
        let bytes: Box<dyn Read + Send> = match self.file.take() {
            Some(file) => Box::new(read.chain(file)),
            None => Box::new(read),
        };
        self.pos = self.filled;
        Next::Rest(Rest {
            bytes,
            line: self.line,
            at_start,
        })
    }
}

/// The state machine the csv crate's reader runs (its defaults: `"` quotes, doubled to escape,
/// no comments), after a blank line of its own: it drops a byte-order mark at the start of
/// the first bytes it reads, and a line in the middle of a file is not the file's start.
fn quoted_lines(delimiter: u8) -> csv_core::Reader {
    let mut reader = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    let (mut cells, mut ends) = ([0u8; 1], [0usize; 1]);
    let _ = reader.read_record(b"\n", &mut cells, &mut ends);
    reader
}

/// Reads a line with quotes (its line end included) into `cells` and `ends` with the
/// csv crate's state machine; `false` when the record does not end with the line (the
/// state machine is then mid-record and is not used again).
fn read_quoted(
    quoted: &mut csv_core::Reader,
    cells: &mut Vec<u8>,
    ends: &mut Vec<usize>,
    line: &[u8],
) -> bool {
    // Unquoting only shortens: the line's length is room enough for its cells.
    cells.resize(line.len(), 0);
    ends.resize(line.len() + 1, 0);
    let (result, read, _, fields) = quoted.read_record(line, cells, ends);
    if !matches!(result, csv_core::ReadRecordResult::Record) || read != line.len() {
        return false;
    }
    ends.truncate(fields);
    let cells_end = ends.last().copied().unwrap_or(0);
    cells.truncate(cells_end);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines with quoted cells are read here when their record ends with the line (cells
    /// unquoted by hand below); a quote left open hands the rest over at its line.
    #[test]
    fn one_line_quoted_records_stay_on_the_fast_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("activities.csv");
        let text = "athlete,title\n\
                    ana,\"Strength, upper body\"\n\
                    \u{feff}\"bo\",\"say \"\"hi\"\"\"\n\
                    cy,plain\n\
                    dee,\"open\nstill open\",x\n";
        std::fs::write(&path, text).unwrap();
        let mut lines = SimpleLines::open(&path, 14, b',', BUFFER_BYTES).unwrap();
        let mut record = csv::StringRecord::new();
        let mut read = Vec::new();
        loop {
            match lines.next(&mut record) {
                Next::Record { line } => {
                    read.push((line, record.iter().map(str::to_string).collect::<Vec<_>>()))
                }
                Next::Rest(rest) => {
                    assert_eq!(rest.line, 5);
                    let mut bytes = String::new();
                    let mut r = rest.bytes;
                    r.read_to_string(&mut bytes).unwrap();
                    assert_eq!(bytes, "dee,\"open\nstill open\",x\n");
                    break;
                }
                Next::End | Next::NotUtf8 { .. } => panic!("the open quote is handed over"),
            }
        }
        let cells = |c: &[&str]| c.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        assert_eq!(
            read,
            [
                (2, cells(&["ana", "Strength, upper body"])),
                // A byte-order mark inside the file is a cell's text, not dropped.
                (3, cells(&["\u{feff}\"bo\"", "say \"hi\""])),
                (4, cells(&["cy", "plain"])),
            ]
        );
    }
}
