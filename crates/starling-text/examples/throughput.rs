//! Posts per second through `parse_tweet` + `extract_entities` on one core,
//! and the time taken by inputs built to defeat naive scanners.
//!
//! `cargo run --release -p starling-text --example throughput`

use starling_text::{extract_entities, parse_tweet};
use std::hint::black_box;
use std::time::Instant;

fn main() {
    let posts = [
        "Just setting up my twttr",
        "Check out https://example.com/path/to/page?x=1 and t.co/abc #rustlang @ferris $RUST",
        "これは日本語のツイートです。#日本語ハッシュタグ https://example.jp/ページ 😷👨‍👩‍👧‍👦",
        "@alice @bob RT @carol: big news about #Rust2024 at rust-lang.org/blog (via @dave) 🦀🦀🦀",
        "Long text xxxxxxxxxx-xxxxxxxxxx-xxxxxxxxxx-xxxxxxxxxx-xxxxxxxxxx-xxxxxxxxxx-xxxxxxxxxx-xxxxxxxxxx-xxxxxxxxxx-xxxxxxxxxx-xxxxxxxxxx-xxxxxxxxxx-xxxxxxxxxx-xxxxxxxxxx-xxxxxxxxxx-xxxxxxxxxx-xxxxxxxxxx-xxxxxxxxxx-xxxxxxxxxx-xxxxxxxxxx-xxxxxxxxxx-xxxxxxxxxx-xxxxx.com",
    ];
    let rounds = 40_000;
    let start = Instant::now();
    for _ in 0..rounds {
        for post in &posts {
            black_box(parse_tweet(black_box(post)));
            black_box(extract_entities(black_box(post)));
        }
    }
    let elapsed = start.elapsed();
    let n = rounds * posts.len();
    println!(
        "{n} posts in {elapsed:?}: {:.0} posts/s on one core",
        n as f64 / elapsed.as_secs_f64()
    );

    let adversarial = [
        ("a. x100k", "a.".repeat(100_000)),
        ("CJK x200k", "中".repeat(200_000)),
        ("CJK. x100k", "中.".repeat(100_000)),
        ("x..x中.com", "x".repeat(199_990) + "中.com"),
        ("# x200k", "#".repeat(200_000)),
        ("#a x100k", "#a".repeat(100_000)),
        ("@a x100k", "@a".repeat(100_000)),
        ("$A x66k", "$A ".repeat(66_000)),
        (
            "( path",
            format!("http://example.com/{}", "(".repeat(199_000)),
        ),
        (
            "query dots",
            format!("http://example.com/?{}", ".".repeat(199_000)),
        ),
        ("zwj chain", "👨\u{200d}".repeat(70_000)),
        ("long IDN", format!("http://{}.com", "あ".repeat(199_000))),
    ];
    for (name, text) in &adversarial {
        let start = Instant::now();
        black_box(parse_tweet(text));
        black_box(extract_entities(text));
        println!("{name}: {:?}", start.elapsed());
    }
}
