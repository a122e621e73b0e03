//! A large output file written past the operating system's page cache (Linux `O_DIRECT`) for
//! as long as the disk keeps up, through the page cache otherwise.
//!
//! Why: a buffered `write` copies every byte into page-cache pages the kernel must find and
//! fill, a cost of the same order as formatting the bytes (at 1,000 athletes × 730 days the
//! 533 MB of `daily_risk.csv` took 0.8 of a run's 6 CPU-seconds in that copy alone, measured
//! with perf; docs/performance.md). Written direct, the disk (its controller, or a virtual
//! machine's host) takes them from this writer's one reused buffer instead, and the table does not push the cache's other
//! files out. A disk slower than the table is made would make the run wait, so a file whose
//! writer has waited on its direct writes more than half the time since it was created carries
//! on through the page cache (`keeps_up`).

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;
use std::time::{Duration, Instant};

/// The alignment `O_DIRECT` asks of a write's buffer, length and file offset: a page, which
/// covers every logical block size of Linux's disks (512 or 4,096 bytes).
const ALIGN: usize = 4096;

/// The bytes gathered before each write: big enough that a disk sees long writes (the
/// reference machine's disk took 1.2–1.3 GB/s with writes of 2, 4 and 8 MiB alike), small
/// enough to be one reused buffer.
const CHUNK: usize = 4 << 20;

/// Direct writes are judged once this many bytes have gone (a first write may be slow while
/// the disk's space is found).
const JUDGED_AFTER: u64 = 32 << 20;

/// A file written in whole aligned chunks past the page cache, its last partial chunk (and
/// everything, where direct writes are not possible or too slow) through it. Call
/// [`DirectFile::finish`]: dropping it unfinished loses the bytes not yet written.
pub struct DirectFile {
    file: File,
    /// `CHUNK + ALIGN` bytes; the chunk is the aligned `CHUNK` bytes from `start`.
    buf: Vec<u8>,
    start: usize,
    /// Bytes of the chunk filled.
    len: usize,
    /// Whether the file is open for direct writes.
    direct: bool,
    /// Bytes written direct, and the time those writes took.
    direct_bytes: u64,
    direct_time: Duration,
    /// When the file was created.
    created: Instant,
}

impl DirectFile {
    /// Creates (or truncates) `path`, open for direct writes where the system and the file
    /// system allow them.
    pub fn create(path: &Path) -> io::Result<DirectFile> {
        let (file, direct) = open(path)?;
        let mut buf = vec![0u8; CHUNK + ALIGN];
        let start = buf.as_mut_ptr().align_offset(ALIGN);
        // `align_offset` may refuse (usize::MAX); then the buffer's start serves, unaligned,
        // and the file is written through the page cache.
        let (start, direct) = if start < ALIGN {
            (start, direct)
        } else {
            (0, false)
        };
        let mut out = DirectFile {
            file,
            buf,
            start,
            len: 0,
            direct,
            direct_bytes: 0,
            direct_time: Duration::ZERO,
            created: Instant::now(),
        };
        if !direct {
            out.leave_direct()?;
        }
        Ok(out)
    }

    /// Whether the bytes still go past the page cache.
    #[cfg(test)]
    fn is_direct(&self) -> bool {
        self.direct
    }

    /// Writes what is gathered and closes the file.
    pub fn finish(mut self) -> io::Result<()> {
        self.flush()?;
        // The last partial block cannot go direct.
        self.leave_direct()?;
        let rest = self.len;
        self.write_out(rest)
    }

    /// Writes the chunk's first `n` bytes (whole blocks while direct) and moves the rest to
    /// its start.
    fn write_out(&mut self, n: usize) -> io::Result<()> {
        let began = Instant::now();
        let was_direct = self.direct;
        let mut done = 0;
        while done < n {
            match self
                .file
                .write(&self.buf[self.start + done..self.start + n])
            {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(k) => {
                    done += k;
                    // A short write leaves the file's end unaligned: no more direct writes.
                    if self.direct && k % ALIGN != 0 {
                        self.leave_direct()?;
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                // A file system may refuse a direct write it accepted at open: the rest goes
                // through the page cache.
                Err(e) if self.direct && e.kind() == io::ErrorKind::InvalidInput => {
                    self.leave_direct()?;
                }
                Err(e) => return Err(e),
            }
        }
        if was_direct && self.direct {
            self.direct_time += began.elapsed();
            self.direct_bytes += n as u64;
            if !keeps_up(self.direct_bytes, self.direct_time, self.created.elapsed()) {
                self.leave_direct()?;
            }
        }
        self.buf
            .copy_within(self.start + n..self.start + self.len, self.start);
        self.len -= n;
        Ok(())
    }

    /// Carries on through the page cache.
    fn leave_direct(&mut self) -> io::Result<()> {
        self.direct = false;
        clear_direct_flag(&self.file)
    }
}

impl Write for DirectFile {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let room = CHUNK - self.len;
        let n = data.len().min(room);
        let at = self.start + self.len;
        self.buf[at..at + n].copy_from_slice(&data[..n]);
        self.len += n;
        if self.len == CHUNK {
            self.write_out(CHUNK)?;
        }
        Ok(n)
    }

    /// Writes the whole blocks gathered; a last partial block waits for `finish` (a direct
    /// write must be whole blocks).
    fn flush(&mut self) -> io::Result<()> {
        let n = if self.direct {
            self.len / ALIGN * ALIGN
        } else {
            self.len
        };
        self.write_out(n)
    }
}

/// Whether the disk keeps up with direct writes of `bytes` that kept the writer waiting for
/// `waited` of the `elapsed` time since the file was created: no more than half of it. Why a
/// share of the time and not a rate: what matters is whether the run waits for the disk, and
/// that depends on how fast the table is made as much as on the disk (at 1,000 × 730 on the
/// reference machine the table is made at about 250 MB/s and the disk took 1.2 GB/s, so the
/// writer waited about a fifth of the time; a laptop's hard disk at 100 MB/s would keep it
/// waiting all the time). Undecided, so yes, before [`JUDGED_AFTER`] bytes.
fn keeps_up(bytes: u64, waited: Duration, elapsed: Duration) -> bool {
    bytes < JUDGED_AFTER || waited <= elapsed / 2
}

#[cfg(target_os = "linux")]
fn open(path: &Path) -> io::Result<(File, bool)> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    match options.clone().custom_flags(libc::O_DIRECT).open(path) {
        Ok(file) => Ok((file, true)),
        // File systems without direct I/O (some network and in-memory ones) refuse at open.
        Err(e) if e.raw_os_error() == Some(libc::EINVAL) => Ok((options.open(path)?, false)),
        Err(e) => Err(e),
    }
}

#[cfg(not(target_os = "linux"))]
fn open(path: &Path) -> io::Result<(File, bool)> {
    Ok((File::create(path)?, false))
}

#[cfg(target_os = "linux")]
fn clear_direct_flag(file: &File) -> io::Result<()> {
    use rustix::fs::OFlags;
    let flags = rustix::fs::fcntl_getfl(file)?;
    if flags.contains(OFlags::DIRECT) {
        rustix::fs::fcntl_setfl(file, flags - OFlags::DIRECT)?;
    }
    Ok(())
}

#[cfg(not(target_os = "linux"))]
fn clear_direct_flag(_: &File) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bytes that differ from block to block and within one, so a block written twice, out of
    /// place or not at all shows.
    fn pattern(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i * 7 + i / 4096) as u8).collect()
    }

    /// Writes `data` in pieces of the given sizes (cycled), then finishes.
    fn write_in_pieces(file: &mut DirectFile, data: &[u8], sizes: &[usize]) {
        let mut at = 0;
        for size in sizes.iter().cycle() {
            if at == data.len() {
                break;
            }
            let end = (at + size).min(data.len());
            file.write_all(&data[at..end]).unwrap();
            at = end;
        }
    }

    #[test]
    fn the_file_holds_every_byte_written_whatever_the_pieces_and_the_length() {
        let dir = tempfile::tempdir().unwrap();
        // Around a block, around a chunk, and more than two chunks; in pieces of odd sizes,
        // of a block, and of more than a chunk.
        let lengths = [
            0,
            1,
            ALIGN - 1,
            ALIGN,
            ALIGN + 1,
            CHUNK - 1,
            CHUNK,
            CHUNK + 1,
            2 * CHUNK + 12_345,
        ];
        let pieces: [&[usize]; 3] = [&[1, 700, 4096, 33_333], &[ALIGN], &[CHUNK + 5]];
        for (k, &len) in lengths.iter().enumerate() {
            for (j, sizes) in pieces.iter().enumerate() {
                let path = dir.path().join(format!("t-{k}-{j}.csv"));
                let data = pattern(len);
                let mut file = DirectFile::create(&path).unwrap();
                write_in_pieces(&mut file, &data, sizes);
                file.finish().unwrap();
                let back = std::fs::read(&path).unwrap();
                assert_eq!(back.len(), len, "length {len}, pieces {sizes:?}");
                assert!(back == data, "content, length {len}, pieces {sizes:?}");
            }
        }
    }

    #[test]
    fn a_file_that_leaves_direct_writes_half_way_holds_every_byte() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("half.csv");
        let data = pattern(3 * CHUNK + 999);
        let mut file = DirectFile::create(&path).unwrap();
        // One chunk and a bit (direct where the file system allows), a flush of the whole
        // blocks gathered, then the rest through the page cache, as after a slow disk.
        file.write_all(&data[..CHUNK + 5_000]).unwrap();
        file.flush().unwrap();
        file.leave_direct().unwrap();
        assert!(!file.is_direct());
        file.write_all(&data[CHUNK + 5_000..]).unwrap();
        file.finish().unwrap();
        assert!(std::fs::read(&path).unwrap() == data);
    }

    #[test]
    fn a_flush_writes_the_whole_blocks_and_keeps_the_rest_for_later() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("flush.csv");
        let data = pattern(3 * ALIGN + 10);
        let mut file = DirectFile::create(&path).unwrap();
        let direct = file.is_direct();
        file.write_all(&data).unwrap();
        file.flush().unwrap();
        // Direct: the three whole blocks are on file and 10 bytes wait; through the page
        // cache: all of it.
        let on_file = std::fs::metadata(&path).unwrap().len();
        assert_eq!(
            on_file,
            if direct {
                3 * ALIGN as u64
            } else {
                data.len() as u64
            }
        );
        file.finish().unwrap();
        assert!(std::fs::read(&path).unwrap() == data);
    }

    #[test]
    fn direct_writes_stop_once_the_writer_has_waited_more_than_half_the_time() {
        let mib = |n: u64| n << 20;
        let ms = Duration::from_millis;
        // Before 32 MiB nothing is judged, however long the wait.
        assert!(keeps_up(mib(31), ms(900), ms(1_000)));
        // 64 MiB after 1 s: waited 0.2 s (the reference machine), 0.5 s (the limit), 0.51 s.
        assert!(keeps_up(mib(64), ms(200), ms(1_000)));
        assert!(keeps_up(mib(64), ms(500), ms(1_000)));
        assert!(!keeps_up(mib(64), ms(501), ms(1_000)));
        // A hard disk at 100 MB/s: 40 MiB took 0.42 s of the 0.45 s since the file was made.
        assert!(!keeps_up(mib(40), ms(420), ms(450)));
    }

    #[test]
    fn an_existing_file_is_replaced_not_overlaid() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.csv");
        std::fs::write(&path, pattern(5 * ALIGN)).unwrap();
        let mut file = DirectFile::create(&path).unwrap();
        file.write_all(b"short\n").unwrap();
        file.finish().unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"short\n");
    }
}
