//! Hostile runbooks, generated here, against the loader's budgets: each
//! must be refused with one clear error at its place, from the cap that
//! bounds it (so memory and time stay bounded by construction: the tests
//! assert which cap stopped the load, not how long it took), and files that
//! are not runbooks are refused or named without being read or quoted.

use docent::runbook::limits::{
    MAX_EXPANDED_BYTES, MAX_FILE_BYTES, MAX_INCLUDES, MAX_SCREENSHOT_NAME_BYTES, MAX_STEPS,
    MAX_TEXT_BYTES,
};
use docent::runbook::{self, LoadError, LoadOptions, Runbook, Severity};
use rustix::process::{Pid, Signal, kill_process};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

fn no_env(_: &str) -> Option<String> {
    None
}

fn options() -> LoadOptions<'static> {
    LoadOptions {
        env: &no_env,
        require_secrets: false,
        ..LoadOptions::default()
    }
}

/// Writes `files` (name, text) into a fresh folder; returns it and the first file's path.
fn folder(files: &[(&str, &[u8])]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("write a runbook");
    }
    let first = dir.path().join(files[0].0);
    (dir, first)
}

fn load(path: &Path) -> Result<Runbook, LoadError> {
    runbook::load_file(path, &options())
}

/// The one error of a rejected runbook, rendered, with the temporary folder
/// written as `DIR` so the expected text is exact.
fn only_error(path: &Path) -> String {
    let error = load(path).expect_err("the runbook is refused");
    let errors = error
        .diagnostics()
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    assert!(errors <= 1, "one error, not {errors}:\n{error}");
    let dir = path.parent().unwrap().display().to_string();
    error.to_string().replace(&dir, "DIR")
}

fn mkfifo(path: &Path) {
    let made = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(made.success(), "mkfifo {}", path.display());
}

#[test]
fn a_variable_doubled_29_times_stops_at_the_cap_of_one_text() {
    let mut text = String::from("name: doubling\nurl: http://x\nvars:\n  v0: aaaaaaaaaaaaaaaa\n");
    for i in 1..30 {
        text.push_str(&format!("  v{i}: \"${{v{}}}${{v{}}}\"\n", i - 1, i - 1));
    }
    text.push_str("steps:\n  - click: ${v29}\n");
    let (_dir, path) = folder(&[("doubling.yaml", text.as_bytes())]);
    // 16 bytes doubled 16 times is exactly the cap; the 17th doubling is refused.
    assert_eq!(16 << 16, MAX_TEXT_BYTES);
    assert_eq!(
        only_error(&path),
        "error: with `${v16}`, this text grows past 1 MiB, the limit of one value after substitution\n  \
         --> DIR/doubling.yaml:21:15\n   |\n21 |   v17: \"${v16}${v16}\"\n   |               ^^^^^^\n   \
         = help: a variable that uses another twice doubles it; check variables built from other variables\n"
    );
}

#[test]
fn many_large_values_stop_at_the_cap_of_all_substitution() {
    // Each step's text is half the cap of one text; 33 of them pass the
    // cap of the whole load, though each alone is allowed.
    let half = MAX_TEXT_BYTES / 2;
    let mut text = format!(
        "name: wide\nurl: http://x\nvars:\n  a: {}\n  half: \"{}\"\nsteps:\n",
        "a".repeat(1024),
        "${a}".repeat(half / 1024)
    );
    let steps = MAX_EXPANDED_BYTES / half + 1;
    for _ in 0..steps {
        text.push_str("  - click: ${half}\n");
    }
    let (_dir, path) = folder(&[("wide.yaml", text.as_bytes())]);
    let shown = only_error(&path);
    assert!(
        shown.starts_with(
            "error: with `${half}`, substitution has produced more than 16 MiB of text in this runbook\n"
        ),
        "{shown}"
    );
    // The step that passes the cap: the variable's own expansion and 31 steps fit.
    assert!(
        shown.contains(&format!("--> DIR/wide.yaml:{}:12", 6 + steps - 1)),
        "{shown}"
    );
}

#[test]
fn a_three_way_include_fan_out_stops_at_the_include_cap() {
    // Each level includes the next three times: 3^16 includes if unbounded.
    let mut files: Vec<(String, String)> = Vec::new();
    for level in 0..16 {
        let next = format!("level{}.yaml", level + 1);
        let run = format!("  - run: {next}\n");
        files.push((
            format!("level{level}.yaml"),
            format!("name: level {level}\nurl: http://x\nsteps:\n{run}{run}{run}"),
        ));
    }
    files.push((
        "level16.yaml".into(),
        "name: leaf\nsteps:\n  - back\n".into(),
    ));
    let files: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_bytes()))
        .collect();
    let (_dir, path) = folder(&files);
    let shown = only_error(&path);
    assert!(
        shown.starts_with(&format!(
            "error: this is include number {}: a runbook may include at most {MAX_INCLUDES} runbooks in all, counting each time one is included\n",
            MAX_INCLUDES + 1
        )),
        "{shown}"
    );
}

#[test]
fn includes_nest_at_most_sixteen_deep() {
    let mut files: Vec<(String, String)> = Vec::new();
    for level in 0..20 {
        files.push((
            format!("deep{level}.yaml"),
            format!("name: deep\nsteps:\n  - run: deep{}.yaml\n", level + 1),
        ));
    }
    files.push((
        "deep20.yaml".into(),
        "name: leaf\nsteps:\n  - back\n".into(),
    ));
    let files: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_bytes()))
        .collect();
    let (_dir, path) = folder(&files);
    let shown = only_error(&path);
    assert!(
        shown.starts_with(
            "error: includes nest deeper than 16 runbooks\n  --> DIR/deep16.yaml:3:10\n"
        ),
        "{shown}"
    );
}

#[test]
fn a_flat_runbook_of_100k_steps_meets_the_step_cap_not_a_nesting_error() {
    let text = format!(
        "name: flat\nurl: http://x\nsteps:\n{}",
        "  - back\n".repeat(100_000)
    );
    assert!(text.len() <= MAX_FILE_BYTES);
    let (_dir, path) = folder(&[("flat.yaml", text.as_bytes())]);
    assert_eq!(
        only_error(&path),
        "error: this is step number 10001: a runbook may have at most 10000 steps, its includes' steps counted\n  \
         --> DIR/flat.yaml:10004:5\n      |\n10004 |   - back\n      |     ^\n      \
         = help: split the procedure into several runbooks\n"
    );
    // At the cap, it loads.
    let text = format!(
        "name: flat\nurl: http://x\nsteps:\n{}",
        "  - back\n".repeat(MAX_STEPS)
    );
    std::fs::write(&path, text).unwrap();
    assert_eq!(load(&path).expect("loads").steps().len(), MAX_STEPS);
}

#[test]
fn deep_nesting_is_named_as_such() {
    let text = format!(
        "name: deep\nsteps:\n  - click: {}x{}\n",
        "[".repeat(100),
        "]".repeat(100)
    );
    let (_dir, path) = folder(&[("nested.yaml", text.as_bytes())]);
    let shown = only_error(&path);
    assert!(
        shown.starts_with(
            "error: the document nests more than 64 levels deep\n  --> DIR/nested.yaml:3:"
        ),
        "{shown}"
    );
}

#[test]
fn a_file_larger_than_the_cap_is_refused_unread() {
    let head = "name: big\nurl: http://x\nsteps:\n  - back\n# ";
    let mut text = format!("{head}{}", "x".repeat(MAX_FILE_BYTES - head.len()));
    let (_dir, path) = folder(&[("big.yaml", text.as_bytes())]);
    assert_eq!(
        std::fs::metadata(&path).unwrap().len() as usize,
        MAX_FILE_BYTES
    );
    load(&path).expect("a runbook of exactly the cap loads");
    text.push('x');
    std::fs::write(&path, &text).unwrap();
    assert_eq!(
        only_error(&path),
        "error: cannot read runbook DIR/big.yaml: it is larger than 1 MiB, the limit of a runbook file"
    );
    // Included, it is refused at the `run:` line.
    std::fs::write(
        path.with_file_name("main.yaml"),
        "name: main\nurl: http://x\nsteps:\n  - run: big.yaml\n",
    )
    .unwrap();
    assert!(
        only_error(&path.with_file_name("main.yaml")).starts_with(
            "error: cannot read `DIR/big.yaml`: it is larger than 1 MiB, the limit of a runbook file\n  --> DIR/main.yaml:4:10\n"
        )
    );
}

#[test]
fn devices_directories_and_fifos_are_refused_without_reading() {
    let (dir, path) = folder(&[(
        "main.yaml",
        b"name: main\nurl: http://x\nsteps:\n  - run: /dev/zero\n  - run: pipe\n  - run: sub\n",
    )]);
    mkfifo(&dir.path().join("pipe"));
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let error = load(&path).expect_err("refused").to_string();
    let shown = error.replace(&dir.path().display().to_string(), "DIR");
    for expected in [
        "error: cannot read `/dev/zero`: it is a character device; a runbook is a regular file\n  --> DIR/main.yaml:4:10\n",
        "error: cannot read `DIR/pipe`: it is a FIFO (named pipe); a runbook is a regular file\n  --> DIR/main.yaml:5:10\n",
        "error: cannot read `DIR/sub`: it is a directory; a runbook is a regular file\n  --> DIR/main.yaml:6:10\n",
    ] {
        assert!(shown.contains(expected), "{expected}\nnot in\n{shown}");
    }
    // `docent validate` of each, named on the command line. A folder
    // named on the command line is searched for runbooks instead (see
    // `batch::folder_without_runbooks_is_an_error`).
    for (name, kind) in [
        ("/dev/zero", "a character device"),
        ("pipe", "a FIFO (named pipe)"),
    ] {
        refused_unread("validate", &dir.path().join(name), kind);
    }
    // Nor does `docent run`, before a browser starts: a named pipe would
    // hold it until some program opened the pipe for writing.
    for (name, kind) in [
        ("/dev/zero", "a character device"),
        ("pipe", "a FIFO (named pipe)"),
    ] {
        refused_unread("run", &dir.path().join(name), kind);
    }
}

/// An anonymous pipe is never waited on to open (a program holds its other
/// end), so `docent run` reads a runbook from one: `/dev/stdin`, or a link
/// to it under a runbook's name.
#[test]
fn docent_run_reads_a_runbook_from_an_anonymous_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("piped.yaml");
    std::os::unix::fs::symlink("/dev/stdin", &link).unwrap();
    for (path, shown) in [
        (Path::new("/dev/stdin"), "/dev/stdin".to_string()),
        (link.as_path(), link.display().to_string()),
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_docent"))
            .arg("run")
            .arg(path)
            .env("NO_COLOR", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("docent starts");
        let mut stdin = child.stdin.take().unwrap();
        stdin
            .write_all(b"name: piped\nurl: http://x\nsteps:\n  - clik: Next\n")
            .unwrap();
        drop(stdin);
        let output = finish_within(child, &format!("docent run {shown}"));
        let stderr = String::from_utf8_lossy(&output.stderr);
        // The runbook was read: its mistake is reported at its place.
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.starts_with(&format!("error: unknown step `clik`\n  --> {shown}:4:5\n")),
            "{stderr}"
        );
    }
}

#[test]
fn a_file_that_is_not_a_runbook_is_named_but_never_quoted() {
    let shadow = b"root:$6$secret-hash$xyz:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n";
    let (dir, path) = folder(&[
        (
            "main.yaml",
            b"name: main\nurl: http://x\nsteps:\n  - run: shadow\n",
        ),
        ("shadow", shadow),
    ]);
    for file in [path.clone(), dir.path().join("shadow")] {
        let shown = only_error(&file);
        assert!(!shown.contains("secret-hash"), "{shown}");
        assert!(!shown.contains("daemon"), "{shown}");
    }
    assert_eq!(
        only_error(&dir.path().join("shadow")),
        "error: this file is not a runbook: it does not start with a `key: value` line\n  \
         --> DIR/shadow:1:1\n  = note: its lines are not shown: it does not start like a runbook (`name: ...`)\n  \
         = help: a runbook is YAML that starts like `name: Create a tracker`\n"
    );
    assert_eq!(
        only_error(&path),
        "error: `shadow` is not a runbook: it does not start with a `key: value` line\n  \
         --> DIR/main.yaml:4:10\n  |\n4 |   - run: shadow\n  |          ^^^^^^\n  \
         = help: `run:` includes another runbook file\n"
    );
    // A real runbook keeps its caret diagnostics.
    std::fs::write(&path, "name: main\nurl: http://x\nsteps:\n  - clik: Next\n").unwrap();
    assert!(only_error(&path).contains("4 |   - clik: Next\n"));
}

#[test]
fn a_runbook_that_is_not_utf8_is_placed_at_its_first_invalid_byte() {
    let (dir, path) = folder(&[
        (
            "latin.yaml",
            b"name: s\nurl: http://x\nsteps:\n  - click: Gr\xfc\xdfe\n",
        ),
        (
            "main.yaml",
            b"name: main\nurl: http://x\nsteps:\n  - run: latin.yaml\n",
        ),
    ]);
    assert_eq!(
        only_error(&path),
        "error: the runbook is not UTF-8 text: byte 0xFC starts no character\n  \
         --> DIR/latin.yaml:4:14\n  |\n4 |   - click: Gr\u{fffd}\u{fffd}e\n  |              ^\n  \
         = help: save the file as UTF-8\n"
    );
    let shown = only_error(&dir.path().join("main.yaml"));
    assert!(
        shown.starts_with(
            "error: cannot read `DIR/latin.yaml`: it is not UTF-8 text: byte 0xFC at line 4, column 14\n"
        ),
        "{shown}"
    );
}

#[test]
fn screenshot_names_must_fit_a_file_name_with_the_figure_number() {
    let book = |n: usize| {
        format!(
            "name: s\nurl: http://x\nsteps:\n  - screenshot: {}\n",
            "a".repeat(n)
        )
    };
    let (_dir, path) = folder(&[("shot.yaml", book(MAX_SCREENSHOT_NAME_BYTES).as_bytes())]);
    load(&path).expect("the longest name loads");
    std::fs::write(&path, book(300)).unwrap();
    let shown = only_error(&path);
    assert!(
        shown.starts_with(
            "error: screenshot name is 300 characters long; at most 236 fit in a file name with the figure's number\n  --> DIR/shot.yaml:4:17\n"
        ),
        "{shown}"
    );
}

#[test]
fn goto_opens_only_web_urls() {
    let (_dir, path) = folder(&[(
        "urls.yaml",
        b"name: s\nurl: http://x\nsteps:\n  - goto: http://a/\n  - goto: https://b/\n  - goto: /c\n  - goto: d?e=f\n",
    )]);
    load(&path).expect("http, https and relative URLs load");
    for (url, scheme) in [
        ("file:///etc/passwd", "file"),
        ("'javascript:alert(1)'", "javascript"),
        ("'data:text/html,<p>x'", "data"),
        ("about:blank", "about"),
        ("chrome://settings", "chrome"),
    ] {
        std::fs::write(
            &path,
            format!("name: s\nurl: http://x\nsteps:\n  - goto: {url}\n"),
        )
        .unwrap();
        let shown = only_error(&path);
        assert!(
            shown.starts_with(&format!(
                "error: `goto` opens http, https or relative URLs, not `{scheme}:` URLs\n  --> DIR/urls.yaml:4:"
            )),
            "{shown}"
        );
    }
    std::fs::write(&path, "name: s\nurl: file:///etc\nsteps:\n  - back\n").unwrap();
    assert!(
        only_error(&path).starts_with(
            "error: `url` must start with http:// or https://, found \"file:///etc\"\n  --> DIR/urls.yaml:2:6\n"
        )
    );
}

#[test]
fn expect_absent_for_zero_is_refused() {
    let (_dir, path) = folder(&[(
        "absent.yaml",
        b"name: s\nurl: http://x\nsteps:\n  - expect_absent: { text: Saving, for: 0s }\n",
    )]);
    assert_eq!(
        only_error(&path),
        "error: watching for zero time checks nothing\n  --> DIR/absent.yaml:4:41\n  |\n\
         4 |   - expect_absent: { text: Saving, for: 0s }\n  |                                         ^^\n  \
         = help: write at least `100ms`\n"
    );
}

/// `docent <command> <target>` exits 2 with the one error that says what
/// `target` is instead of a runbook, without reading it.
fn refused_unread(command: &str, target: &std::path::Path, kind: &str) {
    let docent = Command::new(env!("CARGO_BIN_EXE_docent"))
        .arg(command)
        .arg(target)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("docent starts");
    let output = finish_within(docent, &format!("docent {command} {}", target.display()));
    assert_eq!(
        output.status.code(),
        Some(2),
        "{command} {}",
        target.display()
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        format!(
            "error: cannot read runbook {}: it is {kind}; a runbook is a regular file\n",
            target.display()
        )
    );
}

/// How long a docent that should refuse its runbook at once may take
/// before it counts as hanging: far above the milliseconds it needs.
const HANG: Duration = Duration::from_secs(60);

/// Waits for `docent` to end, or kills it (by its PID) and fails the test
/// when it has not ended within [`HANG`]: a regression that waits on a pipe
/// fails here instead of hanging the test run.
fn finish_within(docent: Child, what: &str) -> Output {
    let pid = Pid::from_raw(i32::try_from(docent.id()).unwrap()).unwrap();
    let (done, ended) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = done.send(docent.wait_with_output());
    });
    match ended.recv_timeout(HANG) {
        Ok(output) => output.expect("docent's output"),
        Err(_) => {
            let _ = kill_process(pid, Signal::KILL);
            panic!("`{what}` was still running after {HANG:?}; killed it");
        }
    }
}
