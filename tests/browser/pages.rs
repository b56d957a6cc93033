//! The pages a run writes, opened the way a user opens them: from disk, in
//! a fresh headless Chromium. The real `docent` binary runs two small
//! runbooks against the simulated console (one passes with a toast and a
//! figure, one fails), then `index.html`, each `report.html` and each
//! `guide.html` must load whole: every image decoded, no console error, no
//! resource that failed to load, every local link pointing at a file that
//! exists, and the failed run's report showing its failing step and
//! `failure.png`.
//!
//! These tests need Debian's `chromium` and `chromium-driver` (`make deps`).
//! Under `CI` a missing browser fails the test; locally it skips loudly.

use crate::common::{Harness, browser_available, text};
use docent::browser::{BrowserSession, LaunchOptions, Page};
use futures_util::FutureExt;
use serde_json::Value;
use std::panic::AssertUnwindSafe;
use std::path::Path;

/// Passes: fills and saves the lab form, sees its toast, takes a figure,
/// and tolerates an optional step that fails. Its description and a
/// section title carry markup that must stay text.
const SAVES: &str = r#"name: Save an alarm notification
description: "The report shows <script>window.injected = true</script> as text."
steps:
  - section: Fill in the form
    steps:
      - goto: /lab/form
      - click: Accept cookies
        when: { visible: Accept cookies }
      - fill: { label: Notification Name, with: disk-usage }
  - section: Save it <b>now</b>
    steps:
      - click: Save
      - expect_toast: Operation successfully!
      - screenshot: { name: saved, caption: The saved notification, highlight: { testid: summary } }
      - expect: This text is not on the page
        timeout: 300ms
        optional: true
"#;

/// Fails at its second step: the text never appears.
const WAITS: &str = r#"name: Wait for a message that never comes
steps:
  - goto: /lab/form
  - expect: This message never appears
    timeout: 1s
  - expect: Alarm Notifications
"#;

/// Fails on the hostile lab page, whose scripts, handlers, script URLs,
/// `srcdoc` and shadow-root handler all note in `window.__hostile` that
/// they ran.
const HOSTILE: &str = r#"name: Read the audit log
steps:
  - goto: /lab/hostile
  - expect: { testid: audit-count, has_text: 3 entries }
  - expect: This entry never appears
    timeout: 1s
"#;

/// `failure.html` copied away from the run (as a CI artefact is) and
/// opened from disk: none of the page's code runs, and the page keeps its
/// look — the heading has the live page's font and colour.
#[tokio::test(flavor = "multi_thread")]
async fn failure_html_is_inert_and_keeps_its_look_wherever_it_is_opened() {
    if !browser_available() {
        return;
    }
    let h = Harness::new().await;
    let hostile = h.write("hostile.yaml", HOSTILE);
    let output = h.run(&hostile, &["--quiet"]).await;
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let saved = std::fs::read_to_string(h.out().join("failure.html")).unwrap();
    for code in ["<script", "onerror=", "onload=", "javascript:", "srcdoc="] {
        assert!(!saved.contains(code), "failure.html holds {code}");
    }
    assert!(
        saved.contains("Content-Security-Policy"),
        "a policy forbids scripts"
    );
    assert!(
        saved.contains("Entry in a shadow root"),
        "shadow roots are kept"
    );
    let copied = tempfile::tempdir().unwrap();
    let copy = copied.path().join("failure.html");
    std::fs::copy(h.out().join("failure.html"), &copy).unwrap();

    let _turn = crate::common::IN_PROCESS_BROWSER.lock().await;
    let session = BrowserSession::launch(&LaunchOptions::default())
        .await
        .expect("the browser starts");
    let checked = AssertUnwindSafe(async {
        let live_url = format!("{}/lab/hostile", h.console.url());
        session.goto(&live_url).await.expect("the live page opens");
        let live = session.eval(LOOK, vec![]).await.expect("the page answers");
        assert!(
            live["ran"].as_array().is_some_and(|ran| !ran.is_empty()),
            "the live page's code runs: {live}"
        );
        let url = url::Url::from_file_path(&copy).unwrap();
        session.goto(url.as_str()).await.expect("the copy opens");
        session
            .eval(
                "document.getElementById('export-link').click(); return true;",
                vec![],
            )
            .await
            .expect("the link is there");
        let opened = session.eval(LOOK, vec![]).await.expect("the copy answers");
        assert_eq!(
            opened["ran"],
            Value::Null,
            "page code ran in failure.html: {opened}"
        );
        assert_eq!(
            opened["heading"], live["heading"],
            "the heading keeps its look"
        );
        assert_eq!(opened["shadow"], Value::Bool(true), "{opened}");
    })
    .catch_unwind()
    .await;
    session.close().await;
    h.console.shutdown().await;
    if let Err(panic) = checked {
        std::panic::resume_unwind(panic);
    }
}

/// Once the page's images have settled (loaded or failed, so their
/// handlers would have run): what page code noted, how the heading looks,
/// and whether the shadow root came back.
const LOOK: &str = r#"return (async () => {
  await Promise.all([...document.images].map((img) => img.complete ? null :
    new Promise((done) => { img.addEventListener('load', done); img.addEventListener('error', done); })));
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const style = getComputedStyle(document.querySelector('.page-title'));
  const host = document.getElementById('shadow-host');
  return {
    ran: window.__hostile || null,
    heading: [style.fontFamily, style.fontSize, style.fontWeight, style.color].join(' | '),
    shadow: !!(host && host.shadowRoot && host.shadowRoot.querySelector('.shadow-entry')),
  };
})();"#;

#[tokio::test(flavor = "multi_thread")]
async fn written_pages_load_whole_in_chromium() {
    if !browser_available() {
        return;
    }
    let h = Harness::new().await;
    let saves = h.write("saves.yaml", SAVES);
    let waits = h.write("waits.yaml", WAITS);
    let output = h.run(&saves, &[waits.to_str().unwrap(), "--demo"]).await;
    let printed = text(&output);
    assert_eq!(output.status.code(), Some(1), "one run fails: {printed}");
    let out = h.out();
    for file in [
        "index.html",
        "saves/report.html",
        "saves/guide.html",
        "waits/report.html",
        "waits/guide.html",
        "waits/failure.png",
        "waits/failure.html",
    ] {
        assert!(out.join(file).is_file(), "{file} written: {printed}");
    }

    // The panic tests count this process's browsers: take turns with them.
    let _turn = crate::common::IN_PROCESS_BROWSER.lock().await;
    let session = BrowserSession::launch(&LaunchOptions::default())
        .await
        .expect("the browser starts");
    // The checks run apart so that, whatever they do, the browser is closed.
    let checked = AssertUnwindSafe(check_pages(&session, &out))
        .catch_unwind()
        .await;
    session.close().await;
    h.console.shutdown().await;
    if let Err(panic) = checked {
        std::panic::resume_unwind(panic);
    }
}

async fn check_pages(session: &BrowserSession, out: &Path) {
    session
        .add_init_script(RECORDER)
        .await
        .expect("the recorder is installed");

    let index = open(session, &out.join("index.html")).await;
    assert!(index.text.contains("FAILED"), "{}", index.text);
    assert!(index.text.contains("Save an alarm notification"));
    assert!(index.text.contains("Wait for a message that never comes"));
    for report in ["saves/report.html", "waits/report.html"] {
        assert!(
            index.links.iter().any(|l| l == report),
            "the index links {report}: {:?}",
            index.links
        );
    }

    let saved = open(session, &out.join("saves/report.html")).await;
    assert!(saved.text.contains("PASSED"), "{}", saved.text);
    assert!(
        saved
            .text
            .contains("The report shows <script>window.injected = true</script> as text."),
        "{}",
        saved.text
    );
    assert!(saved.text.contains("Save it <b>now</b>"));
    assert!(saved.text.contains("Operation successfully!"));
    assert!(saved.text.contains("Figure 1 The saved notification"));
    assert!(saved.text.contains("optional"), "the tolerated step");
    assert_eq!(
        saved.images,
        ["demo.gif", "01-saved.png"],
        "the demo (the run had --demo) and one figure"
    );
    let injected = session
        .eval("return window.injected === undefined;", vec![])
        .await
        .expect("the page answers");
    assert_eq!(
        injected,
        Value::Bool(true),
        "markup from the run stayed text"
    );

    let failed = open(session, &out.join("waits/report.html")).await;
    assert!(failed.text.contains("FAILED"), "{}", failed.text);
    assert!(
        failed
            .text
            .contains("Failed at step 2: expect \"This message never appears\""),
        "{}",
        failed.text
    );
    assert!(
        failed.images.iter().any(|src| src == "failure.png"),
        "failure.png is shown: {:?}",
        failed.images
    );
    assert!(failed.links.iter().any(|l| l == "failure.html"));
    let failing = session
        .eval(
            "const step = document.getElementById('step-2');
             const box = step && step.getBoundingClientRect();
             return step ? { classes: step.className, shown: box.height > 0,
                             text: step.innerText } : null;",
            vec![],
        )
        .await
        .expect("the page answers");
    assert!(
        failing["classes"]
            .as_str()
            .unwrap_or("")
            .contains("failing"),
        "{failing}"
    );
    assert_eq!(failing["shown"], Value::Bool(true), "{failing}");
    assert!(
        failing["text"]
            .as_str()
            .unwrap_or("")
            .contains("This message never appears"),
        "{failing}"
    );
    let not_run = session
        .eval(
            "return document.getElementById('step-3').className;",
            vec![],
        )
        .await
        .expect("the page answers");
    assert!(
        not_run.as_str().unwrap_or("").contains("not_run"),
        "{not_run}"
    );

    for guide in ["saves/guide.html", "waits/guide.html"] {
        open(session, &out.join(guide)).await;
    }
}

/// Records, from before the page's first script, what a user would see as
/// a broken page: console errors, uncaught errors, resources that failed to
/// load (their `error` events do not bubble, hence the capture phase) and
/// promises rejected with no handler.
const RECORDER: &str = r#"(() => {
  if (window.__problems) return;
  const problems = [];
  window.__problems = problems;
  const error = console.error;
  console.error = function (...args) {
    problems.push('console.error: ' + args.map(String).join(' '));
    return error.apply(this, args);
  };
  window.addEventListener('error', (event) => {
    const target = event.target;
    if (target && target !== window) {
      problems.push('failed to load: <' + target.tagName.toLowerCase() + '> '
        + (target.currentSrc || target.src || target.href || ''));
    } else {
      problems.push('error: ' + event.message);
    }
  }, true);
  window.addEventListener('unhandledrejection', (event) => {
    problems.push('unhandled rejection: ' + event.reason);
  });
})();"#;

/// Waits for every image to settle (lazy ones are asked to load now) and
/// reports on them, the links and the fragments they point at.
const INSPECT: &str = r##"
const images = Array.from(document.images);
for (const img of images) img.loading = 'eager';
await Promise.all(images.map((img) => img.complete ? null : new Promise((done) => {
  img.addEventListener('load', done, { once: true });
  img.addEventListener('error', done, { once: true });
})));
return {
  images: images.map((img) => ({
    src: img.getAttribute('src'),
    complete: img.complete,
    width: img.naturalWidth,
  })),
  links: Array.from(document.querySelectorAll('a[href]'), (a) => a.getAttribute('href')),
  missing_targets: Array.from(document.querySelectorAll('a[href^="#"]'))
    .map((a) => a.getAttribute('href'))
    .filter((href) => href.length > 1 && !document.getElementById(href.slice(1))),
  problems: window.__problems || ['the recorder did not run'],
  text: document.body.innerText,
};
"##;

/// What a page showed once loaded.
struct Opened {
    /// Each `<img>`'s `src`, as written.
    images: Vec<String>,
    /// Each link's `href`, as written.
    links: Vec<String>,
    text: String,
}

/// Opens `path` from disk and asserts it loaded whole: every image decoded,
/// no problem recorded, every in-page link has its target and every local
/// link names a file that exists.
async fn open(session: &BrowserSession, path: &Path) -> Opened {
    let url = url::Url::from_file_path(path).expect("an absolute path");
    session.goto(url.as_str()).await.expect("the page opens");
    // `eval` runs a function body; an async one lets it await the images.
    let script = format!("return (async () => {{ {INSPECT} }})();");
    let seen = session
        .eval(&script, vec![])
        .await
        .expect("the page answers");
    let name = path.display();
    assert_eq!(
        seen["problems"],
        Value::Array(vec![]),
        "{name}: console errors or failed loads"
    );
    let mut images = Vec::new();
    for image in seen["images"].as_array().expect("a list of images") {
        assert_eq!(image["complete"], Value::Bool(true), "{name}: {image}");
        assert!(
            image["width"].as_u64().unwrap_or(0) > 0,
            "{name}: an image that did not decode: {image}"
        );
        images.push(image["src"].as_str().unwrap_or("").to_string());
    }
    assert_eq!(
        seen["missing_targets"],
        Value::Array(vec![]),
        "{name}: in-page links without their target"
    );
    let mut links = Vec::new();
    for link in seen["links"].as_array().expect("a list of links") {
        let href = link.as_str().unwrap_or("").to_string();
        if !has_scheme(&href) && !href.starts_with('#') {
            let target = url
                .join(&href)
                .ok()
                .and_then(|u| u.to_file_path().ok())
                .unwrap_or_else(|| panic!("{name}: a link that is not a path: {href}"));
            assert!(
                target.is_file(),
                "{name}: the link {href} points at {}, which does not exist",
                target.display()
            );
        }
        links.push(href);
    }
    Opened {
        images,
        links,
        text: seen["text"].as_str().unwrap_or("").to_string(),
    }
}

/// Whether `href` starts with a URL scheme (`https:`, `mailto:`).
fn has_scheme(href: &str) -> bool {
    match href.split_once(':') {
        Some((scheme, _)) => {
            !scheme.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        None => false,
    }
}
