//! Twitter's twitter-text conformance suite, read as it is at test time.
//!
//! The suite lives in `shared/conformance/twitter-text/` beside the repository
//! (`STARLING_CONFORMANCE_DIR` overrides the location). Its own rule is not to
//! turn the YAML into static test cases, so every case of the sections below
//! is run from the files; a per-section count goes to stderr (bypassing the
//! test harness's capture, so it shows with or without `--nocapture`), and a
//! failing case fails the test unless it is listed in `KNOWN_EXCEPTIONS`.
//!
//! Index units: twitter-text's JavaScript and Java implementations count
//! UTF-16 code units, its Ruby one code points; the suite has no astral
//! character before an indexed entity, so both readings agree on every case.
//! Each indexed case is checked in both units: the crate's code point indices
//! and their UTF-16 conversion ([`Entities::to_utf16`]) must both match. The
//! weighted-length ranges are UTF-16 (they differ from code points there).

use starling_text::{
    Cashtag, Entities, Hashtag, Mention, Url, extract_cashtags_with_indices,
    extract_hashtags_with_indices, extract_mentions_or_lists_with_indices,
    extract_mentions_with_indices, extract_reply_username, extract_urls_with_indices,
    is_valid_hashtag, is_valid_url, is_valid_username, parse_tweet,
};
use std::io::Write;
use std::path::PathBuf;
use yaml_rust2::{Yaml, YamlLoader};

/// Cases allowed to fail: (file, section, description, why). Empty: every
/// case passes. A case listed here that passes fails the run, so the list
/// cannot go stale.
const KNOWN_EXCEPTIONS: &[(&str, &str, &str, &str)] = &[];

const VALIDATE_SECTIONS: &[&str] = &[
    "WeightedTweetsWithDiscountedEmojiCounterTest",
    "UnicodeDirectionalMarkerCounterTest",
    "hashtags",
    "urls",
    "usernames",
];

const EXTRACT_SECTIONS: &[&str] = &[
    "mentions",
    "mentions_with_indices",
    "mentions_or_lists_with_indices",
    "replies",
    "urls",
    "urls_with_indices",
    "urls_with_directional_markers",
    "tco_urls_with_params",
    "hashtags",
    "hashtags_from_astral",
    "hashtags_with_indices",
    "cashtags",
    "cashtags_with_indices",
];

fn suite_dir() -> PathBuf {
    match std::env::var_os("STARLING_CONFORMANCE_DIR") {
        Some(dir) => PathBuf::from(dir),
        // crates/starling-text -> repository root -> its parent, where shared/ is.
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/conformance/twitter-text"),
    }
}

fn load(file: &str) -> Yaml {
    let path = suite_dir().join(file);
    let source = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut docs = YamlLoader::load_from_str(&source)
        .unwrap_or_else(|e| panic!("cannot parse {}: {e}", path.display()));
    assert_eq!(docs.len(), 1, "{} should hold one document", path.display());
    docs.remove(0)
}

/// Writes straight to stderr: `eprintln!` would be captured by the harness.
fn report(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

fn text_of(case: &Yaml) -> &str {
    case["text"].as_str().expect("case without text")
}

fn strings(expected: &Yaml) -> Vec<String> {
    expected
        .as_vec()
        .map(|v| {
            v.iter()
                .map(|s| s.as_str().expect("string").to_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn indices(v: &Yaml) -> [usize; 2] {
    let v = v.as_vec().expect("indices");
    [
        v[0].as_i64().unwrap() as usize,
        v[1].as_i64().unwrap() as usize,
    ]
}

/// (value, indices) pairs of an indexed expectation, `key` naming the value.
fn indexed(expected: &Yaml, key: &str) -> Vec<(String, [usize; 2])> {
    expected
        .as_vec()
        .map(|v| {
            v.iter()
                .map(|e| {
                    (
                        e[key].as_str().expect(key).to_owned(),
                        indices(&e["indices"]),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Code point indices and their UTF-16 conversion must both be as expected.
fn check_indexed(
    text: &str,
    expected: &[(String, [usize; 2])],
    actual: Vec<(String, [usize; 2])>,
    utf16: Vec<[usize; 2]>,
) -> Result<(), String> {
    let utf16_pairs: Vec<(String, [usize; 2])> = actual
        .iter()
        .zip(utf16)
        .map(|((v, _), i)| (v.clone(), i))
        .collect();
    if actual != expected {
        return Err(format!(
            "code points: got {actual:?}, expected {expected:?} in {text:?}"
        ));
    }
    if utf16_pairs != expected {
        return Err(format!(
            "UTF-16: got {utf16_pairs:?}, expected {expected:?} in {text:?}"
        ));
    }
    Ok(())
}

fn utf16_of(text: &str, entities: Entities) -> Entities {
    entities.to_utf16(text)
}

fn url_entities(text: &str, urls: Vec<Url>) -> Entities {
    utf16_of(
        text,
        Entities {
            urls,
            ..Entities::default()
        },
    )
}

fn compare<T: PartialEq + std::fmt::Debug>(
    text: &str,
    actual: T,
    expected: T,
) -> Result<(), String> {
    if actual == expected {
        Ok(())
    } else {
        Err(format!(
            "got {actual:?}, expected {expected:?} for {text:?}"
        ))
    }
}

fn run_validate(section: &str, case: &Yaml) -> Result<(), String> {
    let text = text_of(case);
    let expected = &case["expected"];
    match section {
        "hashtags" => compare(text, is_valid_hashtag(text), expected.as_bool().unwrap()),
        "urls" => compare(text, is_valid_url(text), expected.as_bool().unwrap()),
        "usernames" => compare(text, is_valid_username(text), expected.as_bool().unwrap()),
        _ => {
            let parsed = parse_tweet(text);
            let int =
                |key: &str| expected[key].as_i64().unwrap_or_else(|| panic!("{key}")) as usize;
            let actual = (
                parsed.weighted_length,
                parsed.is_valid,
                parsed.permillage,
                parsed.display_range,
                parsed.valid_range,
            );
            let wanted = (
                int("weightedLength"),
                expected["valid"].as_bool().unwrap(),
                int("permillage"),
                (int("displayRangeStart"), int("displayRangeEnd")),
                (int("validRangeStart"), int("validRangeEnd")),
            );
            compare(text, actual, wanted)
        }
    }
}

fn run_extract(section: &str, case: &Yaml) -> Result<(), String> {
    let text = text_of(case);
    let expected = &case["expected"];
    match section {
        "mentions" => {
            let got: Vec<String> = extract_mentions_with_indices(text)
                .into_iter()
                .map(|m| m.username)
                .collect();
            compare(text, got, strings(expected))
        }
        "mentions_with_indices" => {
            let mentions = extract_mentions_with_indices(text);
            let utf16 = utf16_of(
                text,
                Entities {
                    mentions: mentions.clone(),
                    ..Entities::default()
                },
            );
            check_indexed(
                text,
                &indexed(expected, "screen_name"),
                mentions
                    .into_iter()
                    .map(|Mention { username, indices }| (username, indices))
                    .collect(),
                utf16.mentions.into_iter().map(|m| m.indices).collect(),
            )
        }
        "mentions_or_lists_with_indices" => {
            let got: Vec<(String, String, [usize; 2])> =
                extract_mentions_or_lists_with_indices(text)
                    .into_iter()
                    .map(|m| (m.username, m.list_slug, m.indices))
                    .collect();
            let wanted: Vec<(String, String, [usize; 2])> = expected
                .as_vec()
                .unwrap()
                .iter()
                .map(|e| {
                    (
                        e["screen_name"].as_str().unwrap().to_owned(),
                        e["list_slug"].as_str().unwrap().to_owned(),
                        indices(&e["indices"]),
                    )
                })
                .collect();
            compare(text, got, wanted)
        }
        "replies" => compare(
            text,
            extract_reply_username(text),
            expected.as_str().map(str::to_owned),
        ),
        "urls" | "tco_urls_with_params" => {
            let got: Vec<String> = extract_urls_with_indices(text)
                .into_iter()
                .map(|u| u.url)
                .collect();
            compare(text, got, strings(expected))
        }
        "urls_with_indices" | "urls_with_directional_markers" => {
            let urls = extract_urls_with_indices(text);
            let utf16 = url_entities(text, urls.clone());
            check_indexed(
                text,
                &indexed(expected, "url"),
                urls.into_iter()
                    .map(|Url { url, indices }| (url, indices))
                    .collect(),
                utf16.urls.into_iter().map(|u| u.indices).collect(),
            )
        }
        "hashtags" | "hashtags_from_astral" => {
            let got: Vec<String> = extract_hashtags_with_indices(text)
                .into_iter()
                .map(|h| h.tag)
                .collect();
            compare(text, got, strings(expected))
        }
        "hashtags_with_indices" => {
            let tags = extract_hashtags_with_indices(text);
            let utf16 = utf16_of(
                text,
                Entities {
                    hashtags: tags.clone(),
                    ..Entities::default()
                },
            );
            check_indexed(
                text,
                &indexed(expected, "hashtag"),
                tags.into_iter()
                    .map(|Hashtag { tag, indices }| (tag, indices))
                    .collect(),
                utf16.hashtags.into_iter().map(|h| h.indices).collect(),
            )
        }
        "cashtags" => {
            let got: Vec<String> = extract_cashtags_with_indices(text)
                .into_iter()
                .map(|c| c.cashtag)
                .collect();
            compare(text, got, strings(expected))
        }
        "cashtags_with_indices" => {
            let tags = extract_cashtags_with_indices(text);
            let utf16 = utf16_of(
                text,
                Entities {
                    cashtags: tags.clone(),
                    ..Entities::default()
                },
            );
            check_indexed(
                text,
                &indexed(expected, "cashtag"),
                tags.into_iter()
                    .map(|Cashtag { cashtag, indices }| (cashtag, indices))
                    .collect(),
                utf16.cashtags.into_iter().map(|c| c.indices).collect(),
            )
        }
        other => Err(format!("no runner for section {other}")),
    }
}

/// Runs every case of `sections` in `file`; returns the problems found.
fn run_file(
    file: &str,
    sections: &[&str],
    run: fn(&str, &Yaml) -> Result<(), String>,
) -> Vec<String> {
    let doc = load(file);
    let mut problems = Vec::new();
    let (mut passed_total, mut failed_total) = (0, 0);
    for &section in sections {
        let cases = doc["tests"][section]
            .as_vec()
            .unwrap_or_else(|| panic!("{file} has no section {section}"));
        let mut passed = 0;
        for case in cases {
            let description = case["description"].as_str().unwrap_or("?");
            let exception = KNOWN_EXCEPTIONS
                .iter()
                .find(|(f, s, d, _)| *f == file && *s == section && *d == description);
            match (run(section, case), exception) {
                (Ok(()), None) => passed += 1,
                (Ok(()), Some(_)) => {
                    passed += 1;
                    problems.push(format!(
                        "{file} {section}: {description:?} passes but is listed as a known exception"
                    ));
                }
                (Err(why), Some((_, _, _, reason))) => {
                    report(&format!(
                        "  known exception {file} {section}: {description:?}: {why} ({reason})"
                    ));
                }
                (Err(why), None) => {
                    report(&format!("  FAIL {file} {section}: {description:?}: {why}"));
                    problems.push(format!("{file} {section}: {description:?}: {why}"));
                }
            }
        }
        report(&format!(
            "section {file} {section}: {passed}/{}",
            cases.len()
        ));
        passed_total += passed;
        failed_total += cases.len() - passed;
    }
    report(&format!(
        "{file}: {passed_total} passed, {failed_total} failed"
    ));
    problems
}

#[test]
fn validate_yml() {
    let problems = run_file("validate.yml", VALIDATE_SECTIONS, run_validate);
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn extract_yml() {
    let problems = run_file("extract.yml", EXTRACT_SECTIONS, run_extract);
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}
