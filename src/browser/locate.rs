//! Finding the browser binary and its driver before a run starts them
//! (Chromium and chromedriver, or Firefox and geckodriver).
//! Each program is looked for in a fixed order, and the first place that
//! names it decides:
//!
//! 1. the command-line flag (`--chromium`, `--chromedriver`, `--firefox`,
//!    `--geckodriver`);
//! 2. the environment variable (`DOCENT_CHROMIUM`, `DOCENT_CHROMEDRIVER`,
//!    `DOCENT_FIREFOX`, `DOCENT_GECKODRIVER`);
//! 3. `PATH`, by the program's usual names (`chromium`, `chromium-browser`,
//!    `google-chrome`, `google-chrome-stable`; `chromedriver`;
//!    `firefox-esr`, `firefox`; `geckodriver`);
//! 4. where its installer puts it: Debian's packages
//!    (`/usr/lib/chromium/chromium`, `/usr/bin/chromedriver`,
//!    `/usr/lib/firefox-esr/firefox-esr`), and for geckodriver, which has
//!    no Debian package, `cargo install`'s folder (`$CARGO_HOME/bin`, else
//!    `~/.cargo/bin`).
//!
//! A flag or a variable is a deliberate choice, so a wrong one is an error
//! of its own rather than a reason to quietly run some other browser. A
//! value without a `/` is a program name, looked up in `PATH`.
//!
//! Debian's `chromium` on `PATH` is a shell launcher that starts more
//! slowly than the binary behind it and prints a stray shell error under
//! chromedriver; when `PATH` leads to such a launcher and the binary it
//! starts (`../lib/chromium/chromium`, beside its `bin` folder) is there,
//! that binary is used instead.
//!
//! The lookup reads the environment through a function and resolves the
//! packaged paths under a root folder, so the order can be tested without
//! touching this process's environment or the machine's programs.

use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};

/// A program docent starts for a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Program {
    Chromium,
    Chromedriver,
    Firefox,
    Geckodriver,
}

impl Program {
    /// The command-line flag that names it.
    pub fn flag(self) -> &'static str {
        match self {
            Program::Chromium => "--chromium",
            Program::Chromedriver => "--chromedriver",
            Program::Firefox => "--firefox",
            Program::Geckodriver => "--geckodriver",
        }
    }

    /// The environment variable that names it.
    pub fn variable(self) -> &'static str {
        match self {
            Program::Chromium => "DOCENT_CHROMIUM",
            Program::Chromedriver => "DOCENT_CHROMEDRIVER",
            Program::Firefox => "DOCENT_FIREFOX",
            Program::Geckodriver => "DOCENT_GECKODRIVER",
        }
    }

    /// The names it goes by on `PATH`, most preferred first.
    pub fn names(self) -> &'static [&'static str] {
        match self {
            Program::Chromium => &[
                "chromium",
                "chromium-browser",
                "google-chrome",
                "google-chrome-stable",
            ],
            Program::Chromedriver => &["chromedriver"],
            Program::Firefox => &["firefox-esr", "firefox"],
            Program::Geckodriver => &["geckodriver"],
        }
    }

    /// Where Debian's package installs it, relative to the root folder.
    fn packaged(self) -> &'static str {
        match self {
            Program::Chromium => "usr/lib/chromium/chromium",
            Program::Chromedriver => "usr/bin/chromedriver",
            Program::Firefox => "usr/lib/firefox-esr/firefox-esr",
            // Not a Debian package: see [`Places::cargo_bin`].
            Program::Geckodriver => "usr/local/bin/geckodriver",
        }
    }

    /// The Debian package that installs it.
    fn package(self) -> &'static str {
        match self {
            Program::Chromium => "chromium",
            Program::Chromedriver => "chromium-driver",
            Program::Firefox => "firefox-esr",
            Program::Geckodriver => "geckodriver",
        }
    }
}

impl fmt::Display for Program {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Program::Chromium => "Chromium",
            Program::Chromedriver => "chromedriver",
            Program::Firefox => "Firefox",
            Program::Geckodriver => "geckodriver",
        })
    }
}

/// Which place named the program that was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Flag,
    Environment,
    Path,
    Packaged,
}

/// A program that was found, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub path: PathBuf,
    pub source: Source,
}

/// A program that was not found, with every place looked at and what was
/// there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotFound {
    pub program: Program,
    /// One line per place, in the order they were tried.
    pub looked: Vec<String>,
    /// Whether an explicit choice (flag or variable) failed, which stops
    /// the lookup there.
    pub chosen: bool,
}

impl fmt::Display for NotFound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "cannot find {}; looked at:", self.program)?;
        for place in &self.looked {
            writeln!(f, "  {place}")?;
        }
        let p = self.program;
        if self.chosen {
            write!(
                f,
                "  (a program named by {} or {} is used as given; fix or remove it)",
                p.flag(),
                p.variable()
            )
        } else {
            let (installer, target) = match p {
                Program::Geckodriver => (
                    "`cargo install geckodriver --locked`".to_string(),
                    "make firefox-deps",
                ),
                Program::Firefox => (
                    format!("Debian's {} package", p.package()),
                    "make firefox-deps",
                ),
                Program::Chromium | Program::Chromedriver => {
                    (format!("Debian's {} package", p.package()), "make deps")
                }
            };
            write!(
                f,
                "  install it ({installer}; `{target}` installs it), or name it with {} or {}",
                p.flag(),
                p.variable()
            )
        }
    }
}

/// The programs of a run that could not be found (one or both).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Missing(pub Vec<NotFound>);

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, not_found) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{not_found}")?;
        }
        Ok(())
    }
}

/// What the lookup reads besides the flags: the environment (its own
/// variables and `PATH`) and the folder the packaged paths are under.
pub struct Places<'a> {
    pub env: &'a dyn Fn(&str) -> Option<OsString>,
    /// `/` on a real machine.
    pub root: PathBuf,
}

impl Places<'static> {
    /// This process's environment and the machine's own folders.
    pub fn of_this_process() -> Places<'static> {
        Places {
            env: &|name| std::env::var_os(name),
            root: PathBuf::from("/"),
        }
    }
}

impl Places<'_> {
    /// Finds `program`; `flag` is what its command-line flag said, if given.
    pub fn find(&self, program: Program, flag: Option<&Path>) -> Result<Found, NotFound> {
        let not_found = |looked: Vec<String>, chosen: bool| NotFound {
            program,
            looked,
            chosen,
        };
        let mut looked = Vec::new();
        match flag {
            Some(given) => {
                let place = format!("{} {}", program.flag(), given.display());
                return self
                    .chosen(given)
                    .map(|path| Found {
                        path,
                        source: Source::Flag,
                    })
                    .map_err(|why| not_found(vec![format!("{place}: {why}")], true));
            }
            None => looked.push(format!("{}: not given", program.flag())),
        }
        match (self.env)(program.variable()).filter(|v| !v.is_empty()) {
            Some(value) => {
                let given = PathBuf::from(value);
                let place = format!("{}={}", program.variable(), given.display());
                return self
                    .chosen(&given)
                    .map(|path| Found {
                        path,
                        source: Source::Environment,
                    })
                    .map_err(|why| {
                        looked.push(format!("{place}: {why}"));
                        not_found(looked, true)
                    });
            }
            None => looked.push(format!("{}: not set", program.variable())),
        }
        let dirs = self.path_dirs();
        for name in program.names() {
            if let Some(path) = search(&dirs, name) {
                let path = match program {
                    Program::Chromium => binary_behind_launcher(&path).unwrap_or(path),
                    _ => path,
                };
                return Ok(Found {
                    path,
                    source: Source::Path,
                });
            }
        }
        looked.push(format!(
            "PATH: no {} in {}",
            or_list(program.names()),
            if dirs.is_empty() {
                "it (empty or not set)".to_string()
            } else {
                dirs.iter()
                    .map(|d| d.display().to_string())
                    .collect::<Vec<_>>()
                    .join(":")
            }
        ));
        if program == Program::Geckodriver {
            match self.cargo_bin() {
                Some(bin) => {
                    let installed = bin.join("geckodriver");
                    if is_executable(&installed) {
                        return Ok(Found {
                            path: installed,
                            source: Source::Packaged,
                        });
                    }
                    looked.push(format!(
                        "{} (`cargo install geckodriver`): not there",
                        installed.display()
                    ));
                }
                None => {
                    looked.push("cargo's bin folder: neither CARGO_HOME nor HOME is set".into())
                }
            }
        }
        let packaged = self.root.join(program.packaged());
        if is_executable(&packaged) {
            return Ok(Found {
                path: packaged,
                source: Source::Packaged,
            });
        }
        looked.push(format!(
            "{} (Debian's {} package): not there",
            packaged.display(),
            program.package()
        ));
        Err(not_found(looked, false))
    }

    /// Where `cargo install` puts programs: `$CARGO_HOME/bin`, else
    /// `$HOME/.cargo/bin`.
    fn cargo_bin(&self) -> Option<PathBuf> {
        let set = |name| {
            (self.env)(name)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        set("CARGO_HOME")
            .map(|home| home.join("bin"))
            .or_else(|| set("HOME").map(|home| home.join(".cargo/bin")))
    }

    /// Both programs of a Chromium run, or every one that is missing.
    pub fn find_both(
        &self,
        chromium: Option<&Path>,
        chromedriver: Option<&Path>,
    ) -> Result<(PathBuf, PathBuf), Missing> {
        self.find_pair(
            (Program::Chromium, chromium),
            (Program::Chromedriver, chromedriver),
        )
    }

    /// A browser and its driver, or every one of the two that is missing.
    pub fn find_pair(
        &self,
        (browser, browser_flag): (Program, Option<&Path>),
        (driver, driver_flag): (Program, Option<&Path>),
    ) -> Result<(PathBuf, PathBuf), Missing> {
        let browser = self.find(browser, browser_flag);
        let driver = self.find(driver, driver_flag);
        match (browser, driver) {
            (Ok(browser), Ok(driver)) => {
                tracing::debug!(browser = %browser.path.display(), from = ?browser.source, driver = %driver.path.display(), driver_from = ?driver.source, "found the browser");
                Ok((browser.path, driver.path))
            }
            (browser, driver) => Err(Missing(
                [browser.err(), driver.err()]
                    .into_iter()
                    .flatten()
                    .collect(),
            )),
        }
    }

    /// A program named by a flag or variable: a path as given, or a bare
    /// name looked up in `PATH`.
    fn chosen(&self, given: &Path) -> Result<PathBuf, String> {
        let text = given.as_os_str().to_string_lossy();
        if !text.contains('/') {
            return search(&self.path_dirs(), &text).ok_or_else(|| "not in PATH".to_string());
        }
        if !given.exists() {
            Err("no such file".into())
        } else if !is_executable(given) {
            Err("not an executable file".into())
        } else {
            Ok(given.to_path_buf())
        }
    }

    /// The folders of `PATH`; empty entries (the current folder, by an old
    /// convention) are left out, so a run never picks up a program from
    /// wherever it was started.
    fn path_dirs(&self) -> Vec<PathBuf> {
        (self.env)("PATH")
            .map(|path| {
                std::env::split_paths(&path)
                    .filter(|dir| !dir.as_os_str().is_empty())
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The first `dirs/name` that is an executable file.
fn search(dirs: &[PathBuf], name: &str) -> Option<PathBuf> {
    dirs.iter()
        .map(|dir| dir.join(name))
        .find(|path| is_executable(path))
}

/// A regular file (or a link to one) that someone may execute.
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// For Debian's launcher script `<prefix>/bin/chromium`, the binary it
/// starts, `<prefix>/lib/chromium/chromium`, if that is there.
fn binary_behind_launcher(found: &Path) -> Option<PathBuf> {
    let mut start = [0u8; 2];
    let script = std::fs::File::open(found)
        .and_then(|mut file| std::io::Read::read_exact(&mut file, &mut start))
        .is_ok()
        && start == *b"#!";
    if !script {
        return None;
    }
    let prefix = found.parent()?.parent()?;
    let binary = prefix.join("lib/chromium/chromium");
    is_executable(&binary).then_some(binary)
}

/// `a, b, c or d`.
fn or_list(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests;
