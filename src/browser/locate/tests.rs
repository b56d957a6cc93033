//! The lookup order of Chromium and chromedriver, against an injected
//! environment and a folder standing for the machine's root.
use super::*;
use std::os::unix::fs::PermissionsExt;

/// A machine in a temp folder: a root for the packaged paths and
/// folders to put on `PATH`.
struct Machine {
    dir: tempfile::TempDir,
    vars: Vec<(String, OsString)>,
}

impl Machine {
    fn new() -> Machine {
        Machine {
            dir: tempfile::tempdir().unwrap(),
            vars: Vec::new(),
        }
    }

    /// Writes `text` to `rel` under the root, executable or not.
    fn file(&self, rel: &str, text: &str, executable: bool) -> PathBuf {
        let path = self.dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        let mode = if executable { 0o755 } else { 0o644 };
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        path
    }

    fn program(&self, rel: &str) -> PathBuf {
        self.file(rel, "\x7fELF", true)
    }

    fn set(&mut self, name: &str, value: impl Into<OsString>) {
        self.vars.push((name.into(), value.into()));
    }

    /// `PATH` made of these folders under the root.
    fn path(&mut self, dirs: &[&str]) {
        let joined = std::env::join_paths(dirs.iter().map(|d| self.dir.path().join(d))).unwrap();
        self.set("PATH", joined);
    }

    fn find(&self, program: Program, flag: Option<&Path>) -> Result<Found, NotFound> {
        let env = |name: &str| {
            self.vars
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
        };
        Places {
            env: &env,
            root: self.dir.path().to_path_buf(),
        }
        .find(program, flag)
    }

    fn at(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }
}

fn found(path: PathBuf, source: Source) -> Result<Found, NotFound> {
    Ok(Found { path, source })
}

#[test]
fn each_place_gives_way_to_the_one_before_it() {
    let mut m = Machine::new();
    let packaged = m.program("usr/lib/chromium/chromium");
    assert_eq!(
        m.find(Program::Chromium, None),
        found(packaged, Source::Packaged)
    );
    let on_path = m.program("opt/bin/google-chrome");
    m.path(&["opt/bin"]);
    assert_eq!(
        m.find(Program::Chromium, None),
        found(on_path, Source::Path)
    );
    let from_env = m.program("env/chrome");
    m.set("DOCENT_CHROMIUM", from_env.clone());
    assert_eq!(
        m.find(Program::Chromium, None),
        found(from_env, Source::Environment)
    );
    let from_flag = m.program("flag/chrome");
    assert_eq!(
        m.find(Program::Chromium, Some(&from_flag)),
        found(from_flag, Source::Flag)
    );
}

#[test]
fn the_driver_follows_the_same_order() {
    let mut m = Machine::new();
    let packaged = m.program("usr/bin/chromedriver");
    assert_eq!(
        m.find(Program::Chromedriver, None),
        found(packaged, Source::Packaged)
    );
    let on_path = m.program("tools/chromedriver");
    m.path(&["tools"]);
    assert_eq!(
        m.find(Program::Chromedriver, None),
        found(on_path, Source::Path)
    );
    let from_env = m.program("env/driver");
    m.set("DOCENT_CHROMEDRIVER", from_env.clone());
    assert_eq!(
        m.find(Program::Chromedriver, None),
        found(from_env.clone(), Source::Environment)
    );
    // The browser's variable does not name the driver.
    assert_eq!(
        m.find(Program::Chromium, None).unwrap_err().looked[1],
        "DOCENT_CHROMIUM: not set"
    );
}

#[test]
fn path_prefers_names_in_order_then_folders_in_order() {
    let mut m = Machine::new();
    m.program("a/google-chrome");
    let chromium = m.program("b/chromium");
    m.program("c/chromium");
    m.path(&["a", "b", "c"]);
    assert_eq!(
        m.find(Program::Chromium, None),
        found(chromium, Source::Path)
    );
}

#[test]
fn path_skips_what_cannot_be_run() {
    let mut m = Machine::new();
    m.file("a/chromium", "not a program", false);
    std::fs::create_dir_all(m.at("b/chromium")).unwrap();
    let stable = m.program("c/google-chrome-stable");
    m.path(&["a", "b", "c"]);
    assert_eq!(m.find(Program::Chromium, None), found(stable, Source::Path));
}

#[test]
fn debians_launcher_on_path_leads_to_its_binary() {
    let mut m = Machine::new();
    m.file(
        "usr/bin/chromium",
        "#!/bin/sh\nexec /usr/lib/chromium/chromium \"$@\"\n",
        true,
    );
    m.path(&["usr/bin"]);
    // Without the binary beside it, the launcher is what there is.
    assert_eq!(
        m.find(Program::Chromium, None),
        found(m.at("usr/bin/chromium"), Source::Path)
    );
    let binary = m.program("usr/lib/chromium/chromium");
    assert_eq!(m.find(Program::Chromium, None), found(binary, Source::Path));
    // A launcher named on purpose is used as it is.
    let launcher = m.at("usr/bin/chromium");
    assert_eq!(
        m.find(Program::Chromium, Some(&launcher)),
        found(launcher, Source::Flag)
    );
}

#[test]
fn a_bare_name_is_looked_up_in_path() {
    let mut m = Machine::new();
    let beta = m.program("opt/bin/google-chrome-beta");
    m.path(&["opt/bin"]);
    assert_eq!(
        m.find(Program::Chromium, Some(Path::new("google-chrome-beta"))),
        found(beta.clone(), Source::Flag)
    );
    m.set("DOCENT_CHROMIUM", "google-chrome-beta");
    assert_eq!(
        m.find(Program::Chromium, None),
        found(beta, Source::Environment)
    );
    let missing = m
        .find(Program::Chromium, Some(Path::new("chrome-canary")))
        .unwrap_err();
    assert_eq!(missing.looked, ["--chromium chrome-canary: not in PATH"]);
}

#[test]
fn a_wrong_choice_is_an_error_not_a_fallback() {
    let mut m = Machine::new();
    m.program("usr/lib/chromium/chromium");
    let nowhere = m.at("nowhere/chrome");
    let error = m.find(Program::Chromium, Some(&nowhere)).unwrap_err();
    assert!(error.chosen);
    assert_eq!(
        error.looked,
        [format!("--chromium {}: no such file", nowhere.display())]
    );
    let text = m.file("notes.txt", "", false);
    m.set("DOCENT_CHROMIUM", text.clone());
    let error = m.find(Program::Chromium, None).unwrap_err();
    assert_eq!(
        error.looked,
        [
            "--chromium: not given".to_string(),
            format!("DOCENT_CHROMIUM={}: not an executable file", text.display()),
        ]
    );
    assert!(error.to_string().contains("is used as given"), "{error}");
}

#[test]
fn an_empty_variable_counts_as_not_set() {
    let mut m = Machine::new();
    let packaged = m.program("usr/bin/chromedriver");
    m.set("DOCENT_CHROMEDRIVER", "");
    assert_eq!(
        m.find(Program::Chromedriver, None),
        found(packaged, Source::Packaged)
    );
}

#[test]
fn nothing_found_names_every_place_looked() {
    let mut m = Machine::new();
    m.path(&["bin", "usr/bin"]);
    let error = m.find(Program::Chromium, None).unwrap_err();
    assert!(!error.chosen);
    let root = m.dir.path().display();
    assert_eq!(
        error.to_string(),
        format!(
            "cannot find Chromium; looked at:\n\
             \x20 --chromium: not given\n\
             \x20 DOCENT_CHROMIUM: not set\n\
             \x20 PATH: no chromium, chromium-browser, google-chrome or google-chrome-stable \
             in {root}/bin:{root}/usr/bin\n\
             \x20 {root}/usr/lib/chromium/chromium (Debian's chromium package): not there\n\
             \x20 install it (Debian's chromium package; `make deps` installs it), \
             or name it with --chromium or DOCENT_CHROMIUM"
        )
    );
}

#[test]
fn both_missing_programs_are_reported_together() {
    let m = Machine::new();
    let env = |_: &str| None;
    let places = Places {
        env: &env,
        root: m.dir.path().to_path_buf(),
    };
    let missing = places.find_both(None, None).unwrap_err();
    let programs: Vec<Program> = missing.0.iter().map(|n| n.program).collect();
    assert_eq!(programs, [Program::Chromium, Program::Chromedriver]);
    let text = missing.to_string();
    assert!(
        text.contains("PATH: no chromedriver in it (empty or not set)"),
        "{text}"
    );
    assert!(
        text.contains("cannot find chromedriver; looked at:"),
        "{text}"
    );
}

#[test]
fn geckodriver_is_found_where_cargo_install_puts_it() {
    let mut m = Machine::new();
    m.path(&["bin"]);
    m.set("HOME", m.at("home/ci"));
    let missing = m.find(Program::Geckodriver, None).unwrap_err();
    let root = m.dir.path().display();
    assert!(
        missing.to_string().contains(&format!(
            "{root}/home/ci/.cargo/bin/geckodriver (`cargo install geckodriver`): not there"
        )),
        "{missing}"
    );
    assert!(
        missing.to_string().contains(
            "install it (`cargo install geckodriver --locked`; `make firefox-deps` installs it)"
        ),
        "{missing}"
    );
    let installed = m.program("home/ci/.cargo/bin/geckodriver");
    assert_eq!(
        m.find(Program::Geckodriver, None),
        found(installed, Source::Packaged)
    );
    // CARGO_HOME, when set, is where cargo installs.
    m.set("CARGO_HOME", m.at("opt/cargo"));
    let moved = m.program("opt/cargo/bin/geckodriver");
    assert_eq!(
        m.find(Program::Geckodriver, None),
        found(moved, Source::Packaged)
    );
}

#[test]
fn firefox_is_debians_esr_unless_path_names_one() {
    let mut m = Machine::new();
    m.path(&["bin"]);
    let packaged = m.program("usr/lib/firefox-esr/firefox-esr");
    assert_eq!(
        m.find(Program::Firefox, None),
        found(packaged, Source::Packaged)
    );
    let on_path = m.program("bin/firefox");
    assert_eq!(m.find(Program::Firefox, None), found(on_path, Source::Path));
}
