//! Which runbooks a `docent run` runs, and in which folders their outputs go.
//!
//! The command line names files, folders and globs. A file named on the
//! command line always runs. Folders and globs are searched by docent:
//! every `*.yaml`/`*.yml` inside a folder (recursively, in sorted order),
//! every file a glob matches (`*`, `?`, `[abc]`, and `**` for any depth;
//! quoted, so docent expands it, not the shell). What docent finds for
//! itself skips hidden files and folders and anything under a `baselines/`
//! folder, and — once loaded — drops the fragments: a runbook that another
//! runbook of the same command includes with `run:` (such as a shared
//! `login.yaml`) runs as part of that one, not on its own.
//!
//! Then `--tag` keeps the runbooks with any of the given tags and `--shard
//! i/n` keeps every n-th of what is left, starting at the i-th; the split
//! only depends on the sorted list, so each of n CI jobs given the same
//! arguments runs its own share, and together they run each runbook once.

use std::path::{Component, Path, PathBuf};

/// A runbook file to load: where it is, and whether the user named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub path: PathBuf,
    /// Named on the command line (runs even if another runbook includes it).
    pub named: bool,
}

/// Expands the command line's paths into runbook files, in order: each
/// argument's files in turn, a folder's and a glob's sorted. A file that
/// comes twice is taken once, where it first comes.
pub fn expand(args: &[PathBuf]) -> Result<Vec<Candidate>, String> {
    let mut found: Vec<Candidate> = Vec::new();
    let mut seen: Vec<PathBuf> = Vec::new();
    for arg in args {
        let text = arg.to_string_lossy();
        let files = if is_glob(&text) {
            let files = glob(&text);
            if files.is_empty() {
                return Err(format!("no runbook matches `{text}`"));
            }
            files.into_iter().map(|path| (path, false)).collect()
        } else if arg.is_dir() {
            let mut files = Vec::new();
            walk(arg, &mut files);
            if files.is_empty() {
                return Err(format!(
                    "the folder `{text}` has no runbook (*.yaml or *.yml)"
                ));
            }
            files.into_iter().map(|path| (path, false)).collect()
        } else {
            vec![(arg.clone(), true)]
        };
        for (path, named) in files {
            let key = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
            match seen.iter().position(|p| *p == key) {
                Some(i) => found[i].named |= named,
                None => {
                    seen.push(key);
                    found.push(Candidate { path, named });
                }
            }
        }
    }
    Ok(found)
}

/// Whether docent searches `arg` for runbooks (a folder or a glob) rather
/// than taking it as one runbook file.
pub fn searched(arg: &Path) -> bool {
    is_glob(&arg.to_string_lossy()) || arg.is_dir()
}

fn is_glob(text: &str) -> bool {
    text.contains(['*', '?', '['])
}

fn is_runbook_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    )
}

/// Whether docent's own search passes by this folder or file.
fn skipped(name: &str) -> bool {
    name.starts_with('.') || name == "baselines"
}

/// Sorted entries of `dir`: (name, path, is a folder). Symbolic links to
/// folders are not followed, so a link loop cannot trap the search.
fn entries(dir: &Path) -> Vec<(String, PathBuf, bool)> {
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut entries: Vec<(String, PathBuf, bool)> = read
        .flatten()
        .map(|e| {
            let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
            (
                e.file_name().to_string_lossy().into_owned(),
                e.path(),
                is_dir,
            )
        })
        .collect();
    entries.sort();
    entries
}

/// Every runbook file under `dir`, depth first, sorted by name.
fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
    for (name, path, is_dir) in entries(dir) {
        if skipped(&name) {
            continue;
        }
        if is_dir {
            walk(&path, files);
        } else if is_runbook_file(&path) {
            files.push(path);
        }
    }
}

/// The runbook files `pattern` matches, sorted.
fn glob(pattern: &str) -> Vec<PathBuf> {
    let path = Path::new(pattern);
    let mut base = PathBuf::new();
    let mut parts: Vec<String> = Vec::new();
    for component in path.components() {
        let text = component.as_os_str().to_string_lossy().into_owned();
        if parts.is_empty() && !is_glob(&text) {
            base.push(component);
        } else if !matches!(component, Component::CurDir) {
            parts.push(text);
        }
    }
    let mut files = Vec::new();
    let start = if base.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        base.clone()
    };
    matches_under(&start, &base, &parts, &mut files);
    files.sort();
    files.dedup();
    files
}

/// Files under `dir` (shown as `shown`) that the remaining `parts` match.
fn matches_under(dir: &Path, shown: &Path, parts: &[String], files: &mut Vec<PathBuf>) {
    let Some((part, rest)) = parts.split_first() else {
        return;
    };
    if part == "**" {
        // Zero folders, then one more folder and `**` again.
        matches_under(dir, shown, rest, files);
        for (name, path, is_dir) in entries(dir) {
            if is_dir && !skipped(&name) {
                matches_under(&path, &shown.join(&name), parts, files);
            }
        }
        return;
    }
    for (name, _, is_dir) in entries(dir) {
        // A hidden name is matched only by a part that says the dot.
        if (name.starts_with('.') && !part.starts_with('.')) || !matches_name(part, &name) {
            continue;
        }
        let (path, shown) = (dir.join(&name), shown.join(&name));
        if rest.is_empty() {
            if !is_dir && is_runbook_file(&path) {
                files.push(shown);
            }
        } else if is_dir && name != "baselines" {
            matches_under(&path, &shown, rest, files);
        }
    }
}

/// Whether one path component `name` matches the pattern `part`: `*` any
/// run of characters, `?` one, `[abc]`, `[a-z]`, `[!x]` one of a set.
pub fn matches_name(part: &str, name: &str) -> bool {
    let pattern: Vec<char> = part.chars().collect();
    let name: Vec<char> = name.chars().collect();
    matches_from(&pattern, &name)
}

fn matches_from(pattern: &[char], name: &[char]) -> bool {
    match pattern.first() {
        None => name.is_empty(),
        Some('*') => (0..=name.len()).any(|skip| matches_from(&pattern[1..], &name[skip..])),
        Some('?') => !name.is_empty() && matches_from(&pattern[1..], &name[1..]),
        Some('[') => {
            let Some(close) = pattern
                .iter()
                .skip(2)
                .position(|c| *c == ']')
                .map(|i| i + 2)
            else {
                // No closing bracket: a literal `[`.
                return name.first() == Some(&'[') && matches_from(&pattern[1..], &name[1..]);
            };
            let Some(&c) = name.first() else {
                return false;
            };
            let mut set = &pattern[1..close];
            let negated = matches!(set.first(), Some('!' | '^'));
            if negated {
                set = &set[1..];
            }
            let mut hit = false;
            let mut i = 0;
            while i < set.len() {
                if i + 2 < set.len() && set[i + 1] == '-' {
                    hit |= set[i] <= c && c <= set[i + 2];
                    i += 3;
                } else {
                    hit |= set[i] == c;
                    i += 1;
                }
            }
            hit != negated && matches_from(&pattern[close + 1..], &name[1..])
        }
        Some(&literal) => name.first() == Some(&literal) && matches_from(&pattern[1..], &name[1..]),
    }
}

/// Whether each candidate is a fragment: found by docent's search (not
/// named) and included by a runbook of the command (`included`, canonical
/// paths).
pub fn fragments(candidates: &[Candidate], included: &[PathBuf]) -> Vec<bool> {
    candidates
        .iter()
        .map(|c| {
            !c.named
                && included
                    .contains(&std::fs::canonicalize(&c.path).unwrap_or_else(|_| c.path.clone()))
        })
        .collect()
}

/// Whether a runbook with `tags` runs under `--tag wanted…`: any of them
/// will do; no `--tag` runs every runbook.
pub fn tagged(tags: &[String], wanted: &[String]) -> bool {
    wanted.is_empty() || wanted.iter().any(|w| tags.contains(w))
}

/// `--shard i/n`: the i-th of n shares, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl Shard {
    /// Whether the runbook at `position` (0-based, in the sorted list) is
    /// this shard's: round-robin, so shares differ by at most one runbook.
    pub fn takes(self, position: usize) -> bool {
        position % self.count == self.index - 1
    }
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Shard, String> {
        let help = "write it as i/n, like 1/3 for the first of three shares";
        let (i, n) = text
            .split_once('/')
            .ok_or_else(|| format!("`{text}` is not a shard; {help}"))?;
        let number = |s: &str| s.trim().parse::<usize>().ok();
        match (number(i), number(n)) {
            (Some(index), Some(count)) if count >= 1 && (1..=count).contains(&index) => {
                Ok(Shard { index, count })
            }
            (Some(_), Some(0)) => Err(format!("`{text}` has no shares; {help}")),
            (Some(index), Some(count)) => Err(format!(
                "shard {index} of {count} does not exist: shards are numbered from 1 to {count}"
            )),
            _ => Err(format!("`{text}` is not a shard; {help}")),
        }
    }
}

/// Output folder names for runbooks at `paths`, one each, all different:
/// the file stem when no other runbook of the command has the same one;
/// otherwise the path from the folder they share to the file, with `-`
/// between the parts (`a/check.yaml` and `b/check.yaml` become `a-check`
/// and `b-check`); should even that repeat, `-2`, `-3` follow.
pub fn folder_names(paths: &[PathBuf]) -> Vec<String> {
    let stem = |p: &PathBuf| {
        crate::folder::run_folder_name(
            &p.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
        )
    };
    let stems: Vec<String> = paths.iter().map(stem).collect();
    let absolute: Vec<PathBuf> = paths
        .iter()
        .map(|p| std::path::absolute(p).unwrap_or_else(|_| p.clone()))
        .collect();
    let mut names = Vec::new();
    for (i, own) in stems.iter().enumerate() {
        let twins: Vec<usize> = (0..paths.len()).filter(|j| stems[*j] == *own).collect();
        if twins.len() == 1 {
            names.push(own.clone());
            continue;
        }
        // The folders the twins share, counted from the root.
        let parents: Vec<Vec<String>> = twins
            .iter()
            .map(|j| {
                absolute[*j]
                    .parent()
                    .map(|p| {
                        p.components()
                            .filter(|c| matches!(c, Component::Normal(_)))
                            .map(|c| c.as_os_str().to_string_lossy().into_owned())
                            .collect()
                    })
                    .unwrap_or_default()
            })
            .collect();
        let shared = (0..)
            .take_while(|k| {
                parents[0]
                    .get(*k)
                    .is_some_and(|part| parents.iter().all(|p| p.get(*k) == Some(part)))
            })
            .count();
        let mine = &parents[twins.iter().position(|j| *j == i).unwrap_or(0)];
        let mut parts: Vec<String> = mine[shared.min(mine.len())..].to_vec();
        parts.push(own.clone());
        names.push(crate::folder::run_folder_name(&parts.join("-")));
    }
    // What still repeats (the same file twice, or `a-b/c` and `a/b-c`).
    let mut unique: Vec<String> = Vec::new();
    for name in names {
        let mut candidate = name.clone();
        let mut n = 1;
        while unique.contains(&candidate) {
            n += 1;
            candidate = format!("{name}-{n}");
        }
        unique.push(candidate);
    }
    unique
}

#[cfg(test)]
mod tests;
