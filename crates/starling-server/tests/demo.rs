//! `scripts/demo.sh` runs the seed's demo scenarios against a freshly started binary
//! (default configuration, rate limits on, as a user would start it) and succeeds twice
//! in a row against the same server.

mod support;

use crate::support::Server;
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SCRIPT_DEADLINE: Duration = Duration::from_secs(120);

struct Run {
    success: bool,
    stdout: String,
    stderr: String,
}

fn run_demo(url: &str) -> Run {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/demo.sh");
    assert!(script.is_file(), "{} exists", script.display());
    let mut child = Command::new("bash")
        .arg(&script)
        .env("STARLING_URL", url)
        // Latency is measured by the benchmarks; here only correctness may fail the test.
        .env("DEMO_ENFORCE_LATENCY", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // Its own process group, so a timeout can stop the script and its curls.
        .process_group(0)
        .spawn()
        .expect("run bash");
    let collect = |mut from: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = from.read_to_string(&mut text);
            text
        })
    };
    let stdout = collect(Box::new(child.stdout.take().unwrap()));
    let stderr = collect(Box::new(child.stderr.take().unwrap()));
    let deadline = Instant::now() + SCRIPT_DEADLINE;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            // SAFETY: signals the process group we created above.
            unsafe { libc::kill(-(child.id() as i32), libc::SIGKILL) };
            let _ = child.wait();
            panic!(
                "demo.sh did not finish within {SCRIPT_DEADLINE:?}; output so far:\n{}",
                stdout.join().unwrap()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        success: status.success(),
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    }
}

#[test]
fn demo_script_shows_every_scenario_and_passes_the_seed_check_twice() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_with(dir.path(), &[]);
    for round in 1..=2 {
        let started = Instant::now();
        let run = run_demo(&server.url);
        eprintln!(
            "demo.sh round {round} took {:?}:\n{}{}",
            started.elapsed(),
            run.stdout,
            run.stderr
        );
        assert!(
            run.success,
            "demo.sh failed in round {round}:\n{}\n{}",
            run.stdout, run.stderr
        );
        for expected in [
            "Health: ok",
            "== 1. Register a user",
            "Registered @demo",
            "== 2. Create a tweet",
            "version 1, state published",
            "hashtags: #starling; urls: https://example.com",
            "Edited: version 2, state edited",
            "refused: HTTP 409 version_conflict",
            "== 4. Version history",
            "  v1  ",
            "  v2  ",
            "like → likes=1 retweets=0 replies=0 views=0",
            "after a reply, GET shows: likes=1 retweets=1 replies=1 views=1",
            "== 6. System stats",
            "requests: ",
            "latency p50 ",
            "unique bodies",
            "100 concurrent posts: 100/100 succeeded (HTTP 201)",
            "lists 100 of them",
            "Demo complete",
        ] {
            assert!(
                run.stdout.contains(expected),
                "round {round}: demo.sh output lacks {expected:?}:\n{}",
                run.stdout
            );
        }
    }
}
