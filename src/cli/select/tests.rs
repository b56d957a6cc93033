//! The selection of runbooks: glob patterns, folder search, fragments,
//! tags, shards and output folder names, on real temporary folders.

use super::*;

fn tree(files: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for file in files {
        let path = dir.path().join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "name: x\nsteps: []\n").unwrap();
    }
    dir
}

fn relative(dir: &tempfile::TempDir, found: &[Candidate]) -> Vec<String> {
    found
        .iter()
        .map(|c| {
            c.path
                .strip_prefix(dir.path())
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

#[test]
fn a_component_pattern_matches_stars_marks_and_sets() {
    assert!(matches_name("*.yaml", "check.yaml"));
    assert!(!matches_name("*.yaml", "check.yml"));
    assert!(matches_name("c?eck.y*", "check.yml"));
    assert!(matches_name("[abc]-*", "b-run.yaml"));
    assert!(!matches_name("[!abc]-*", "b-run.yaml"));
    assert!(matches_name("[a-c]*", "cat"));
    assert!(!matches_name("[a-c]*", "dog"));
    assert!(matches_name("*", ""));
    assert!(!matches_name("?", ""));
    assert!(matches_name("[x", "[x"), "an unclosed bracket is literal");
}

#[test]
fn a_folder_gives_its_runbooks_sorted_and_recursively_but_not_baselines_or_hidden_ones() {
    let dir = tree(&[
        "b.yaml",
        "a.yml",
        "notes.txt",
        "sub/c.yaml",
        "baselines/b/chromium/x.yaml",
        ".hidden/d.yaml",
        ".e.yaml",
    ]);
    let found = expand(&[dir.path().to_path_buf()]).unwrap();
    assert_eq!(relative(&dir, &found), ["a.yml", "b.yaml", "sub/c.yaml"]);
    assert!(found.iter().all(|c| !c.named));
}

#[test]
fn a_glob_matches_files_at_any_depth_with_double_star() {
    let dir = tree(&[
        "a/check.yaml",
        "b/deep/check.yaml",
        "b/other.yaml",
        "top.yaml",
    ]);
    let root = dir.path().display();
    let one = expand(&[PathBuf::from(format!("{root}/*/check.yaml"))]).unwrap();
    assert_eq!(relative(&dir, &one), ["a/check.yaml"]);
    let any = expand(&[PathBuf::from(format!("{root}/**/check.yaml"))]).unwrap();
    assert_eq!(relative(&dir, &any), ["a/check.yaml", "b/deep/check.yaml"]);
    let all = expand(&[PathBuf::from(format!("{root}/**/*.yaml"))]).unwrap();
    assert_eq!(all.len(), 4);
}

#[test]
fn a_named_file_runs_as_named_and_comes_once() {
    let dir = tree(&["a.yaml", "b.yaml"]);
    let a = dir.path().join("a.yaml");
    let found = expand(&[dir.path().to_path_buf(), a.clone()]).unwrap();
    assert_eq!(relative(&dir, &found), ["a.yaml", "b.yaml"]);
    assert!(found[0].named, "named later, still named");
    assert!(!found[1].named);
    // A path that does not exist is left for the loader to report.
    let missing = expand(&[PathBuf::from("/no/such/runbook.yaml")]).unwrap();
    assert!(missing[0].named);
}

#[test]
fn a_glob_or_folder_that_finds_nothing_is_an_error() {
    let dir = tree(&["notes/readme.txt"]);
    let root = dir.path().display();
    let err = expand(&[PathBuf::from(format!("{root}/*.yaml"))]).unwrap_err();
    assert!(err.starts_with("no runbook matches"), "{err}");
    let err = expand(&[dir.path().join("notes")]).unwrap_err();
    assert!(err.contains("has no runbook"), "{err}");
}

#[test]
fn included_files_found_by_search_are_fragments_but_named_ones_run() {
    let dir = tree(&["login.yaml", "check.yaml"]);
    let login = std::fs::canonicalize(dir.path().join("login.yaml")).unwrap();
    let found = expand(&[dir.path().to_path_buf()]).unwrap();
    assert_eq!(
        fragments(&found, std::slice::from_ref(&login)),
        [false, true]
    );
    let named = expand(&[dir.path().join("login.yaml")]).unwrap();
    assert_eq!(fragments(&named, &[login]), [false]);
}

#[test]
fn tags_select_runbooks_with_any_of_them() {
    let tags = vec!["smoke".to_string(), "mtd".to_string()];
    assert!(tagged(&tags, &[]));
    assert!(tagged(&tags, &["nightly".into(), "mtd".into()]));
    assert!(!tagged(&tags, &["nightly".into()]));
    assert!(!tagged(&[], &["smoke".into()]));
}

#[test]
fn shards_split_round_robin_and_are_validated() {
    let shard: Shard = "2/3".parse().unwrap();
    let taken: Vec<usize> = (0..8).filter(|i| shard.takes(*i)).collect();
    assert_eq!(taken, [1, 4, 7]);
    // Every runbook lands in exactly one shard.
    for i in 0..10 {
        let owners = (1..=3)
            .filter(|k| {
                Shard {
                    index: *k,
                    count: 3,
                }
                .takes(i)
            })
            .count();
        assert_eq!(owners, 1);
    }
    for bad in ["0/3", "4/3", "1/0", "x/2", "2", "1/2/3", "-1/2"] {
        assert!(bad.parse::<Shard>().is_err(), "{bad}");
    }
    assert_eq!(
        "4/3".parse::<Shard>().unwrap_err(),
        "shard 4 of 3 does not exist: shards are numbered from 1 to 3"
    );
}

#[test]
fn folders_are_stems_unless_two_runbooks_share_one() {
    let names = folder_names(&[
        PathBuf::from("suite/a/check.yaml"),
        PathBuf::from("suite/b/check.yaml"),
        PathBuf::from("suite/login.yaml"),
        PathBuf::from("suite/c/d/check.yml"),
    ]);
    assert_eq!(names, ["a-check", "b-check", "login", "c-d-check"]);
    // Paths that still give one name get numbers.
    let names = folder_names(&[PathBuf::from("p/a-b/c.yaml"), PathBuf::from("p/a/b/c.yaml")]);
    assert_eq!(names, ["a-b-c", "a-b-c-2"]);
    let same = folder_names(&[PathBuf::from("a/x.yaml"), PathBuf::from("a/x.yaml")]);
    assert_eq!(same, ["x", "x-2"]);
}
