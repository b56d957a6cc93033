//! The loader's budgets: how much a runbook may ask of the loader before it
//! is refused with a clear error, and the one place runbook files are read.
//!
//! A runbook is trusted to describe a procedure, not to be small: a typo, a
//! generated file or a hostile one could otherwise make `docent validate`
//! read a device forever, block on a FIFO, or double a variable until the
//! machine runs out of memory. Every cap is checked before the work it
//! bounds is done (the bytes are counted before they are read or copied),
//! so memory stays bounded by construction, whatever the input. The caps are
//! documented in `docs/runbooks.md` ("Limits"); each is far above what a
//! real procedure needs.

use super::yaml::Pos;
use rustix::fs::OFlags;
use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// The largest runbook file read, in bytes (1 MiB).
pub const MAX_FILE_BYTES: usize = 1 << 20;
/// The most text read for one load: the runbook and all its includes (16 MiB).
pub const MAX_TOTAL_BYTES: usize = 16 << 20;
/// The largest text a single value may become after variable substitution (1 MiB).
pub const MAX_TEXT_BYTES: usize = 1 << 20;
/// The most text substitution may produce across a whole load (16 MiB).
pub const MAX_EXPANDED_BYTES: usize = 16 << 20;
/// Includes nest at most this deep; deeper is almost surely a mistake.
pub const MAX_INCLUDE_DEPTH: usize = 16;
/// The most `run:` includes read in one load, counting each time a file is included.
pub const MAX_INCLUDES: usize = 256;
/// The most steps a runbook may have, its includes' steps counted.
pub const MAX_STEPS: usize = 10_000;
/// The longest file name most file systems allow, in bytes.
pub const MAX_FILE_NAME_BYTES: usize = 255;
/// The longest screenshot name: its figure `NNNNN-<name>.png`, and the
/// copy of its baseline a failed comparison leaves beside it,
/// `NNNNN-<name>.baseline.png`, must be valid file names even with a
/// five-digit number (there are at most [`MAX_STEPS`] figures).
pub const MAX_SCREENSHOT_NAME_BYTES: usize =
    MAX_FILE_NAME_BYTES - ".baseline.png".len() - "10000-".len();
/// How deeply the YAML may nest (mappings and lists).
pub const MAX_YAML_DEPTH: usize = 64;

/// The parser's own budgets: deep nesting is refused, and a file within
/// [`MAX_FILE_BYTES`] never runs out of nodes or events (a node takes at
/// least two bytes), so a long flat runbook reaches [`MAX_STEPS`] instead.
pub fn yaml_budget() -> serde_saphyr::Budget {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = MAX_YAML_DEPTH;
    budget.max_nodes = MAX_FILE_BYTES;
    budget.max_events = 2 * MAX_FILE_BYTES;
    budget
}

/// Why a runbook file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// It is not a file (a directory, a device, a FIFO or a socket).
    NotAFile(&'static str),
    /// It is larger than [`MAX_FILE_BYTES`].
    TooLarge,
    /// It is not UTF-8; `pos` is its first invalid byte, `text` the file
    /// with invalid bytes replaced (to show that line).
    NotUtf8 {
        pos: Pos,
        byte: u8,
        text: String,
    },
    Io(std::io::Error),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::NotAFile(kind) => {
                write!(f, "it is {kind}; a runbook is a regular file")
            }
            ReadError::TooLarge => write!(
                f,
                "it is larger than {} MiB, the limit of a runbook file",
                MAX_FILE_BYTES >> 20
            ),
            ReadError::NotUtf8 { pos, byte, .. } => write!(
                f,
                "it is not UTF-8 text: byte 0x{byte:02X} at line {}, column {}",
                pos.line, pos.column
            ),
            ReadError::Io(e) => write!(f, "{e}"),
        }
    }
}

/// Reads a runbook file: only a regular file (or, when `pipes` is set, an
/// anonymous pipe another process writes the runbook into, such as
/// `/dev/stdin` or a shell's `<(...)`), at most [`MAX_FILE_BYTES`], and
/// UTF-8.
///
/// The file's kind is checked before it is opened, so a device or a FIFO
/// is refused at once instead of read forever or waited on. A named pipe
/// (a FIFO in a folder) is refused even when pipes are allowed: opening it
/// waits until some program opens it for writing, which may be never. An
/// anonymous pipe exists only while a program holds its writing end, so it
/// is never waited on to open. The file is opened without waiting and
/// checked again, in case it was swapped since.
pub fn read(path: &Path, pipes: bool) -> Result<String, ReadError> {
    allowed(
        &std::fs::metadata(path).map_err(ReadError::Io)?,
        pipes,
        || rustix::fs::statfs(path),
    )?;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(OFlags::NONBLOCK.bits() as i32)
        .open(path)
        .map_err(ReadError::Io)?;
    allowed(&file.metadata().map_err(ReadError::Io)?, pipes, || {
        rustix::fs::fstatfs(&file)
    })?;
    // Reads wait for the writer again, as a pipe's reader expects.
    let flags = rustix::fs::fcntl_getfl(&file).map_err(|e| ReadError::Io(e.into()))?;
    rustix::fs::fcntl_setfl(&file, flags - OFlags::NONBLOCK)
        .map_err(|e| ReadError::Io(e.into()))?;
    let mut bytes = Vec::new();
    // One byte more than the cap tells "exactly the cap" from "larger".
    file.take(MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge);
    }
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let at = e.utf8_error().valid_up_to();
        let valid = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
        ReadError::NotUtf8 {
            pos: end_of(valid),
            byte: bytes[at],
            text: String::from_utf8_lossy(bytes).into_owned(),
        }
    })
}

/// Linux's file system of anonymous pipes (`PIPEFS_MAGIC`); the kernel
/// makes only FIFOs outside it wait for a writer when opened.
const PIPEFS_MAGIC: rustix::fs::FsWord = 0x5049_5045;

/// Whether a file of this kind may be read: a regular file, or an
/// anonymous pipe when `pipes` is set (`file_system` tells a pipe's kind).
fn allowed(
    meta: &std::fs::Metadata,
    pipes: bool,
    file_system: impl FnOnce() -> rustix::io::Result<rustix::fs::StatFs>,
) -> Result<(), ReadError> {
    match kind(meta) {
        None => Ok(()),
        Some(FIFO) if pipes => match file_system() {
            Ok(fs) if fs.f_type == PIPEFS_MAGIC => Ok(()),
            Ok(_) => Err(ReadError::NotAFile(FIFO)),
            Err(e) => Err(ReadError::Io(e.into())),
        },
        Some(kind) => Err(ReadError::NotAFile(kind)),
    }
}

const FIFO: &str = "a FIFO (named pipe)";

/// What a file system entry is, when it is not a regular file.
fn kind(meta: &std::fs::Metadata) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_file() {
        None
    } else if t.is_dir() {
        Some("a directory")
    } else if t.is_fifo() {
        Some(FIFO)
    } else if t.is_char_device() {
        Some("a character device")
    } else if t.is_block_device() {
        Some("a block device")
    } else if t.is_socket() {
        Some("a socket")
    } else {
        Some("not a regular file")
    }
}

/// The position just after `text`, with line breaks as YAML counts them
/// (`\n`, `\r\n` and a lone `\r`), as `diagnostic::source_line` does.
fn end_of(text: &str) -> Pos {
    let mut line = 1;
    let mut last = text;
    let mut rest = text;
    while let Some(at) = rest.find(['\n', '\r']) {
        let skip = if rest[at..].starts_with("\r\n") { 2 } else { 1 };
        rest = &rest[at + skip..];
        last = rest;
        line += 1;
    }
    Pos {
        line,
        column: u32::try_from(last.chars().count() + 1).unwrap_or(u32::MAX),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_position_of_the_end_counts_every_line_break() {
        assert_eq!(end_of(""), Pos { line: 1, column: 1 });
        assert_eq!(end_of("ab"), Pos { line: 1, column: 3 });
        assert_eq!(end_of("a\r\nbé"), Pos { line: 2, column: 3 });
        assert_eq!(end_of("a\rb\n"), Pos { line: 3, column: 1 });
    }

    #[test]
    fn screenshot_names_leave_room_for_the_figure_number() {
        let name = "a".repeat(MAX_SCREENSHOT_NAME_BYTES);
        assert_eq!(
            format!("10000-{name}.baseline.png").len(),
            MAX_FILE_NAME_BYTES
        );
    }
}
