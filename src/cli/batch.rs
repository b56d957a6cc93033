//! `docent run` over many runbooks: which ones run ([`select`]), up to
//! `--workers N` at a time (each in a browser session of its own), where
//! each one's folder goes, and one summary, `index.html` and `junit.xml`
//! over all of them.
//!
//! With one worker a run's progress is shown live, as for a single
//! runbook. With several, runs would interleave on the terminal, so each
//! run's output (progress, diagnosis, `--json` events) is kept until it
//! ends and printed as one block; then one summary of all runs follows.
//!
//! A failed run does not stop the others. With `--fail-fast`, the first
//! run that does not pass stops docent from starting more: runs under way
//! finish (their reports are whole), and runbooks not started are listed
//! as not run (in the summary, `index.html` and `junit.xml`). Ctrl-C stops every run under way (each closes its browser)
//! and starts no more; so does `--max-duration` running out.

use super::select::{self, Shard};
use super::{ExitCode, RunFlags, note, run_book};
use crate::engine::MaxDuration;
use crate::printable;
use crate::report::files;
use crate::report::record::{Builder, RunRecord, Status};
use crate::runbook::{self, LoadOptions, Runbook};
use futures_util::StreamExt;
use std::cell::Cell;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The flags of `docent run` that schedule runbooks.
#[derive(Debug, clap::Args)]
pub(super) struct BatchFlags {
    #[command(flatten)]
    pub(super) select: SelectFlags,
    /// How many runbooks run at once, each in a browser of its own; with
    /// more than one, each run's output is printed as a block when it ends
    /// [default: docent.toml's `workers`, else 1].
    #[arg(long, value_parser = parse_workers)]
    pub(super) workers: Option<usize>,
    /// After the first runbook that does not pass, start no more (runs
    /// under way finish; the rest are reported as not run).
    #[arg(long)]
    fail_fast: bool,
}

/// The flags of `docent run` and `docent validate` that choose runbooks.
#[derive(Debug, clap::Args)]
pub(super) struct SelectFlags {
    /// Run only runbooks with this tag (in their `tags:`); repeatable: a
    /// runbook with any of the tags runs.
    #[arg(long = "tag", value_name = "TAG")]
    tags: Vec<String>,
    /// Run only the i-th of n shares of the runbooks (1-based, e.g. `2/3`):
    /// every n-th of the sorted list, so n jobs together run each runbook once.
    #[arg(long, value_name = "I/N")]
    shard: Option<Shard>,
}

pub(super) fn parse_workers(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if (1..=64).contains(&n) => Ok(n),
        _ => Err(format!(
            "`{text}` is not a number of workers from 1 to 64 (each one is a browser)"
        )),
    }
}

/// Where a run's lines for the person go: straight to stdout and stderr,
/// or into buffers printed as one block when the run ends.
#[derive(Clone, Default)]
pub(super) struct Voice {
    held: Option<(Held, Held)>,
}

/// A buffer the terminal reporter and the notes of one run write into.
#[derive(Clone, Default)]
pub(super) struct Held(Arc<Mutex<Vec<u8>>>);

impl Write for Held {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Held {
    fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

impl Voice {
    /// Lines go out as they come.
    pub(super) fn direct() -> Voice {
        Voice::default()
    }

    fn held() -> Voice {
        Voice {
            held: Some((Held::default(), Held::default())),
        }
    }

    /// Whether output is held back (no live spinner then).
    pub(super) fn is_held(&self) -> bool {
        self.held.is_some()
    }

    pub(super) fn stdout(&self) -> Box<dyn Write> {
        match &self.held {
            Some((out, _)) => Box::new(out.clone()),
            None => Box::new(std::io::stdout()),
        }
    }

    pub(super) fn stderr(&self) -> Box<dyn Write> {
        match &self.held {
            Some((_, err)) => Box::new(err.clone()),
            None => Box::new(std::io::stderr()),
        }
    }

    /// Prints what was held, stdout's part then stderr's.
    fn release(&self) {
        if let Some((out, err)) = &self.held {
            let _ = std::io::stdout().write_all(&out.take());
            let _ = std::io::stdout().flush();
            let _ = std::io::stderr().write_all(&err.take());
        }
    }
}

/// How one runbook of the command ended.
enum Outcome {
    Ran {
        code: ExitCode,
        record: Option<Box<RunRecord>>,
    },
    /// Not started: `--fail-fast`, Ctrl-C or `--max-duration` came first
    /// (which one, said as the reason).
    NotRun(&'static str),
}

/// Expands, loads, selects and runs the runbooks of `docent run`. Every
/// runbook is loaded before any runs, so a typo in the last one is
/// reported before the first browser starts.
pub(super) async fn run(
    args: &[PathBuf],
    options: &LoadOptions<'_>,
    flags: &RunFlags,
    batch: &BatchFlags,
    max: Option<MaxDuration>,
) -> ExitCode {
    let (books, names) = match choose(args, &|path| runbook::load(path, options), &batch.select) {
        Ok(Chosen { invalid: true, .. }) => return ExitCode::Invalid,
        Ok(chosen) => (chosen.books, chosen.folders),
        Err(code) => return code,
    };
    if books.is_empty() {
        // Only an empty shard gets here: more shards than runbooks.
        note(flags, "docent: this shard has no runbook to run");
        return ExitCode::Passed;
    }
    // One runbook file, named alone, writes straight into its folder, as
    // it always has. Whatever a folder, a glob or a shard chose writes
    // into a folder of its own under the output folder, however few they
    // are, so every shard of a suite lays out its outputs alike.
    let alone = matches!(args, [arg] if !select::searched(arg)) && batch.select.shard.is_none();
    if let ([book], true) = (books.as_slice(), alone) {
        return run_book(book, flags, flags.out.clone(), max, &Voice::direct())
            .await
            .0;
    }
    let parent = flags
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("screenshots"));
    let started = Instant::now();
    // Why no more runs start, once something says so.
    let stop: Cell<Option<&'static str>> = Cell::new(None);
    // Each run listens for Ctrl-C and SIGTERM while it runs; this listens
    // for the whole command, so a signal between runs (while one writes
    // its reports, say) still starts no more, instead of being lost.
    let signalled = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let listener = tokio::spawn(listen_for_signals(signalled.clone()));
    let workers = batch.workers.unwrap_or(1).min(books.len());
    let outcomes: Vec<(usize, Outcome)> = futures_util::stream::iter(books.iter().enumerate())
        .map(|(i, book)| {
            let out = parent.join(&names[i]);
            let (stop, signalled) = (&stop, &signalled);
            async move {
                if signalled.load(std::sync::atomic::Ordering::SeqCst) {
                    return (
                        i,
                        Outcome::NotRun("docent was interrupted before it started"),
                    );
                }
                if let Some(why) = stop.get() {
                    return (i, Outcome::NotRun(why));
                }
                if max.is_some_and(|max| Instant::now() >= max.ends) {
                    return (
                        i,
                        Outcome::NotRun("--max-duration ran out before it started"),
                    );
                }
                let voice = if workers > 1 {
                    Voice::held()
                } else {
                    Voice::direct()
                };
                let (code, record) = run_book(book, flags, Some(out), max, &voice).await;
                voice.release();
                if code == ExitCode::Interrupted {
                    stop.set(Some("docent was interrupted before it started"));
                } else if batch.fail_fast && code != ExitCode::Passed && stop.get().is_none() {
                    stop.set(Some("--fail-fast: an earlier runbook did not pass"));
                }
                let record = record.map(Box::new);
                (i, Outcome::Ran { code, record })
            }
        })
        .buffer_unordered(workers)
        .collect()
        .await;
    let mut ordered: Vec<Option<Outcome>> = (0..books.len()).map(|_| None).collect();
    for (i, outcome) in outcomes {
        ordered[i] = Some(outcome);
    }
    let outcomes: Vec<Outcome> = ordered
        .into_iter()
        .map(|o| o.unwrap_or(Outcome::NotRun("docent started no more runbooks")))
        .collect();
    listener.abort();
    let interrupted = signalled.load(std::sync::atomic::Ordering::SeqCst);
    let first = if interrupted {
        ExitCode::Interrupted
    } else {
        ExitCode::Passed
    };
    let code = outcomes.iter().fold(first, |code, o| match o {
        Outcome::Ran { code: run, .. } => code.worst(*run),
        Outcome::NotRun(_) => code,
    });
    summary(flags, &books, &outcomes, started.elapsed(), workers);
    // Runbooks not run are in the index and junit.xml too, as not run.
    let records: Vec<RunRecord> = outcomes
        .into_iter()
        .zip(&books)
        .enumerate()
        .filter_map(|(i, (o, book))| match o {
            Outcome::Ran { record, .. } => record.map(|r| *r),
            Outcome::NotRun(why) => {
                let mut record =
                    Builder::new(&book.name, &book.path, &parent.join(&names[i])).into_record();
                record.status = Status::NotRun;
                record.reason = Some(why.to_string());
                Some(record)
            }
        })
        .collect();
    match files::write_index(&parent, &records, flags.junit_cases) {
        Ok(written) => {
            if let Some(index) = written.first() {
                note(flags, &format!("index: {}", index.display()));
            }
        }
        Err(e) => eprintln!("error: {}", printable::lines(&e.to_string())),
    }
    code
}

/// What a command line chooses.
pub(super) struct Chosen {
    /// The runbooks to run, in order, each loaded.
    pub(super) books: Vec<Runbook>,
    /// Their output folders' names, given over every runbook the command
    /// line found (before `--tag` and `--shard`), so a runbook's folder
    /// is the same in every shard.
    pub(super) folders: Vec<String>,
    /// A runbook that would have been chosen is invalid (each problem has
    /// been printed).
    pub(super) invalid: bool,
}

/// The runbooks the command line chooses, each loaded by `load`; or the
/// exit code when it chooses nothing.
pub(super) fn choose(
    args: &[PathBuf],
    load: &dyn Fn(&Path) -> Result<Runbook, runbook::LoadError>,
    select: &SelectFlags,
) -> Result<Chosen, ExitCode> {
    let candidates = select::expand(args).map_err(|e| {
        eprintln!("error: {}", printable::line(&e));
        ExitCode::Invalid
    })?;
    let loaded: Vec<_> = candidates.iter().map(|c| load(&c.path)).collect();
    let included: Vec<PathBuf> = loaded
        .iter()
        .flatten()
        .flat_map(|book| book.includes.iter().cloned())
        .collect();
    let fragments = select::fragments(&candidates, &included);
    let mut books = Vec::new();
    let mut invalid = false;
    for (loaded, fragment) in loaded.into_iter().zip(fragments) {
        match loaded {
            _ if fragment => {}
            Ok(book) => books.push(book),
            Err(e) => {
                eprintln!("{e}");
                invalid = true;
            }
        }
    }
    let found = books.len();
    let paths: Vec<PathBuf> = books.iter().map(|b| b.path.clone()).collect();
    let mut chosen: Vec<(Runbook, String)> = books
        .into_iter()
        .zip(select::folder_names(&paths))
        .filter(|(book, _)| select::tagged(&book.tags, &select.tags))
        .collect();
    if chosen.is_empty() && !invalid {
        eprintln!(
            "error: none of the {found} runbook(s) has the tag {}",
            printable::line(&select.tags.join(" or "))
        );
        return Err(ExitCode::Invalid);
    }
    if let Some(shard) = select.shard {
        chosen = chosen
            .into_iter()
            .enumerate()
            .filter(|(i, _)| shard.takes(*i))
            .map(|(_, pair)| pair)
            .collect();
    }
    let (books, folders) = chosen.into_iter().unzip();
    Ok(Chosen {
        books,
        folders,
        invalid,
    })
}

/// Sets `signalled` at the first Ctrl-C or SIGTERM.
async fn listen_for_signals(signalled: Arc<std::sync::atomic::AtomicBool>) {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut interrupt), Ok(mut terminate)) = (
        signal(SignalKind::interrupt()),
        signal(SignalKind::terminate()),
    ) else {
        return;
    };
    tokio::select! {
        _ = interrupt.recv() => {}
        _ = terminate.recv() => {}
    }
    signalled.store(true, std::sync::atomic::Ordering::SeqCst);
}

/// One summary of every runbook: its verdict, duration and folder.
fn summary(
    flags: &RunFlags,
    books: &[Runbook],
    outcomes: &[Outcome],
    wall: Duration,
    workers: usize,
) {
    let mut counts: Vec<(String, usize)> = Vec::new();
    let mut lines = Vec::new();
    for (book, outcome) in books.iter().zip(outcomes) {
        let (word, duration, folder) = match outcome {
            Outcome::Ran {
                record: Some(record),
                ..
            } => (
                record.status.as_str().replace('_', " "),
                format!("{:.1}s", record.duration_ms.as_secs_f64()),
                display_folder(&record.out_dir),
            ),
            Outcome::Ran { code, record: None } => (
                format!("{code:?}").to_lowercase(),
                String::new(),
                String::new(),
            ),
            Outcome::NotRun(_) => ("not run".into(), String::new(), String::new()),
        };
        match counts.iter_mut().find(|(w, _)| *w == word) {
            Some((_, n)) => *n += 1,
            None => counts.push((word.clone(), 1)),
        }
        lines.push(format!(
            "  {word:<11} {duration:>7}  {}  {folder}",
            printable::line(&book.path.display().to_string()),
        ));
    }
    let tally: Vec<String> = counts.iter().map(|(w, n)| format!("{n} {w}")).collect();
    let plural = if workers == 1 { "" } else { "s" };
    note(flags, "");
    note(
        flags,
        &format!(
            "{} runbook{}: {} in {:.1}s ({workers} worker{plural})",
            books.len(),
            if books.len() == 1 { "" } else { "s" },
            tally.join(", "),
            wall.as_secs_f64()
        ),
    );
    for line in lines {
        note(flags, line.trim_end());
    }
}

fn display_folder(path: &Path) -> String {
    format!("{}/", path.display())
}
