//! `tags:` at the top of a runbook, and the files a runbook includes
//! (which `docent run` on a folder does not run on their own).

use super::*;

#[test]
fn tags_are_a_word_or_a_list_of_words() {
    let one = load_str("name: x\ntags: smoke\nsteps: [back]\n").unwrap();
    assert_eq!(one.tags, ["smoke"]);
    let list = load_str("name: x\ntags: [smoke, team-a, smoke]\nsteps: [back]\n").unwrap();
    assert_eq!(list.tags, ["smoke", "team-a"], "a repeated tag counts once");
    let none = load_str("name: x\nsteps: [back]\n").unwrap();
    assert!(none.tags.is_empty());
}

#[test]
fn a_tag_with_a_space_or_a_misspelt_key_is_an_error_at_its_place() {
    let spaced = errors("name: x\ntags: [smoke, two words]\nsteps: [back]\n");
    assert!(
        spaced.contains("the tag `two words` is not one word") && spaced.contains("book.yaml:2:15"),
        "{spaced}"
    );
    let misspelt = errors("name: x\ntag: [smoke]\nsteps: [back]\n");
    assert!(
        misspelt.contains("book.yaml:2:1") && misspelt.contains("did you mean `tags`?"),
        "{misspelt}"
    );
}

#[test]
fn a_runbook_knows_the_files_it_includes_at_any_depth() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write("inner.yaml", "name: inner\nsteps:\n  - goto: /inner\n");
    write("outer.yaml", "name: outer\nsteps:\n  - run: inner.yaml\n");
    write(
        "main.yaml",
        "name: main\nurl: http://x\nsteps:\n  - run: outer.yaml\n  - run: inner.yaml\n",
    );
    let book =
        crate::runbook::load(&dir.path().join("main.yaml"), &LoadOptions::default()).unwrap();
    let canonical = |name: &str| std::fs::canonicalize(dir.path().join(name)).unwrap();
    assert_eq!(
        book.includes,
        [canonical("outer.yaml"), canonical("inner.yaml")]
    );
}
