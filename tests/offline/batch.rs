//! Many runbooks from one command line, without a browser: which runbooks
//! folders, globs, `--tag` and `--shard` choose (`docent validate` lists
//! exactly what `docent run` would run), the errors of a selection that
//! cannot be, and `docent run --workers 2` over runbooks whose browser
//! cannot start: every run still leaves its folder (never the same one),
//! and one summary, `index.html` and `junit.xml` cover them all.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn docent(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_docent"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("docent runs")
}

fn runbook(name: &str, tags: &str, include: Option<&str>) -> String {
    let mut text = format!("name: {name}\nurl: http://127.0.0.1:9\n{tags}steps:\n  - goto: /\n");
    if let Some(file) = include {
        text.push_str(&format!("  - run: {file}\n"));
    }
    text
}

/// A suite folder: two checks with one file name, a login both include,
/// a tagged runbook, and what a suite's folder also holds.
fn suite() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "a/check.yaml",
        &runbook("Check A", "", Some("../login.yaml")),
    );
    write(
        "b/check.yaml",
        &runbook("Check B", "tags: [smoke]\n", Some("../login.yaml")),
    );
    write("login.yaml", &runbook("Log in", "", None));
    write(
        "nightly.yml",
        &runbook("Nightly", "tags: [nightly, smoke]\n", None),
    );
    write("baselines/check/chromium/x.yaml", "not: a runbook\n");
    write("README.txt", "notes\n");
    dir
}

/// The runbooks `docent validate` lists, relative to `dir`.
fn listed(dir: &Path, args: &[&str]) -> Vec<String> {
    let output = docent(&[&["validate"], args].concat());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| {
            let path = line
                .strip_prefix("ok: ")
                .unwrap()
                .split(" (")
                .next()
                .unwrap();
            Path::new(path)
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

fn s(path: &Path) -> String {
    path.to_str().unwrap().to_string()
}

#[test]
fn a_folder_runs_its_runbooks_sorted_but_not_included_fragments_or_baselines() {
    let dir = suite();
    let root = s(dir.path());
    assert_eq!(
        listed(dir.path(), &[&root]),
        ["a/check.yaml", "b/check.yaml", "nightly.yml"]
    );
    // A fragment named on the command line runs.
    let login = s(&dir.path().join("login.yaml"));
    assert_eq!(
        listed(dir.path(), &[&root, &login]),
        ["a/check.yaml", "b/check.yaml", "login.yaml", "nightly.yml"]
    );
}

#[test]
fn quoted_globs_are_expanded_by_docent() {
    let dir = suite();
    let pattern = format!("{}/*/check.yaml", dir.path().display());
    assert_eq!(
        listed(dir.path(), &[&pattern]),
        ["a/check.yaml", "b/check.yaml"]
    );
    let deep = format!("{}/**/*.y*ml", dir.path().display());
    assert_eq!(
        listed(dir.path(), &[&deep]),
        ["a/check.yaml", "b/check.yaml", "nightly.yml"]
    );
    let none = format!("{}/*.json", dir.path().display());
    let output = docent(&["run", &none]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        format!("error: no runbook matches `{none}`\n")
    );
}

#[test]
fn tags_and_shards_choose_from_the_sorted_list() {
    let dir = suite();
    let root = s(dir.path());
    assert_eq!(
        listed(dir.path(), &[&root, "--tag", "smoke"]),
        ["b/check.yaml", "nightly.yml"]
    );
    assert_eq!(
        listed(dir.path(), &[&root, "--tag", "nightly", "--tag", "other"]),
        ["nightly.yml"]
    );
    let first = listed(dir.path(), &[&root, "--shard", "1/2"]);
    let second = listed(dir.path(), &[&root, "--shard", "2/2"]);
    assert_eq!(first, ["a/check.yaml", "nightly.yml"]);
    assert_eq!(second, ["b/check.yaml"]);
    // More shards than runbooks: an empty share passes.
    assert!(listed(dir.path(), &[&root, "--shard", "4/4"]).is_empty());
}

#[test]
fn a_selection_that_cannot_be_is_refused_before_any_browser_starts() {
    let dir = suite();
    let root = s(dir.path());
    let refused = |args: &[&str], message: &str| {
        let output = docent(args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    };
    refused(
        &["run", &root, "--tag", "weekly"],
        "error: none of the 3 runbook(s) has the tag weekly",
    );
    refused(
        &["run", &root, "--shard", "3/2"],
        "shard 3 of 2 does not exist: shards are numbered from 1 to 2",
    );
    refused(
        &["run", &root, "--shard", "two"],
        "`two` is not a shard; write it as i/n",
    );
    refused(
        &["run", &root, "--workers", "0"],
        "is not a number of workers",
    );
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    refused(&["run", &s(&empty)], "has no runbook (*.yaml or *.yml)");
    // A broken runbook in a folder: the file and place, and nothing runs.
    std::fs::write(dir.path().join("typo.yaml"), "name: x\nstep: []\n").unwrap();
    refused(&["run", &root], "typo.yaml:2:1");
}

#[test]
fn parallel_runs_keep_their_folders_apart_and_share_one_summary_and_index() {
    let dir = suite();
    let out = dir.path().join("out");
    let missing = dir.path().join("no-such-chrome");
    let output = docent(&[
        "run",
        &s(dir.path()),
        "--workers",
        "2",
        "--out",
        &s(&out),
        "--chromium",
        &s(&missing),
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{stdout}{stderr}");
    // The runbooks found twice by one name get their folders' names too.
    for folder in ["a-check", "b-check", "nightly"] {
        let results = out.join(folder).join("results.json");
        assert!(results.is_file(), "{folder}: {stdout}");
    }
    assert!(stdout.contains("3 runbooks: 3 broken in "), "{stdout}");
    for folder in ["a-check", "b-check", "nightly"] {
        let line = format!("{}/", out.join(folder).display());
        let rows = stdout.lines().filter(|l| l.ends_with(&line)).count();
        assert_eq!(rows, 1, "{line} in {stdout}");
    }
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    for link in [
        "a-check/report.html",
        "b-check/report.html",
        "nightly/report.html",
    ] {
        assert!(index.contains(link), "{link}");
    }
    let junit = std::fs::read_to_string(out.join("junit.xml")).unwrap();
    assert_eq!(junit.matches("<testsuite ").count(), 3, "{junit}");
}

#[test]
fn fail_fast_starts_no_more_runs_after_one_fails() {
    let dir = suite();
    let out = dir.path().join("out");
    let output = docent(&[
        "run",
        &s(dir.path()),
        "--fail-fast",
        "--out",
        &s(&out),
        "--chromium",
        &s(&PathBuf::from("/no/such/chrome")),
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(3), "{stdout}");
    assert!(
        stdout.contains("3 runbooks: 1 broken, 2 not run in "),
        "{stdout}"
    );
    assert!(out.join("a-check/results.json").is_file());
    assert!(!out.join("b-check").exists(), "never started");
    // CI sees them too: a suite each, its one case skipped with why.
    let junit = std::fs::read_to_string(out.join("junit.xml")).unwrap();
    assert_eq!(junit.matches("<testsuite ").count(), 3, "{junit}");
    assert_eq!(
        junit
            .matches("not run: --fail-fast: an earlier runbook did not pass")
            .count(),
        2,
        "{junit}"
    );
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("a-check/report.html"), "{index}");
    assert!(
        !index.contains("b-check/report.html"),
        "no report to link: {index}"
    );
    assert!(index.contains("1 broken, 2 not run"), "{index}");
}

#[test]
fn a_shard_of_one_runbook_writes_into_the_folder_it_has_in_every_shard() {
    let dir = suite();
    let out = dir.path().join("out");
    let output = docent(&[
        "run",
        &s(dir.path()),
        "--shard",
        "2/2",
        "--out",
        &s(&out),
        "--chromium",
        "/no/such/chrome",
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(3), "{stdout}");
    // b/check.yaml alone, but named as beside a/check.yaml in shard 1/2.
    assert!(out.join("b-check/results.json").is_file(), "{stdout}");
    assert!(out.join("index.html").is_file());
    assert!(stdout.contains("1 runbook: 1 broken in "), "{stdout}");
}
