//! The real `starling` binary on port 0, over a data directory the test owns, so a test
//! can kill it (`kill -9`), signal it and restart it on the same files.

use super::client::Client;
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

/// How long the binary may take to open its database and print the listening line.
pub const START_DEADLINE: Duration = Duration::from_secs(30);

const READY_PREFIX: &str = "starling listening on ";
const LOG_LINES: usize = 200;

/// The `starling` binary, running. Killed (SIGKILL) on drop if still alive.
pub struct Server {
    child: Child,
    pub url: String,
    pub data_dir: PathBuf,
    /// The last lines of the server's stderr, for failure messages. Drained by a
    /// thread so that a chatty server never blocks on a full pipe.
    log: Arc<Mutex<VecDeque<String>>>,
}

impl Server {
    /// Start with rate limiting off, as load tests need.
    pub fn start(data_dir: &Path) -> Server {
        Self::start_with(data_dir, &[("STARLING_RATE_LIMIT", "off")])
    }

    /// Start with extra environment, and wait (bounded) for the listening line.
    pub fn start_with(data_dir: &Path, env: &[(&str, &str)]) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_starling"));
        command
            .args(["serve", "--host", "127.0.0.1", "--port", "0", "--data-dir"])
            .arg(data_dir)
            .env_remove("STARLING_PORT")
            .env_remove("STARLING_RATE_LIMIT")
            .env("STARLING_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (key, value) in env {
            command.env(key, value);
        }
        let mut child = command.spawn().expect("spawn the starling binary");

        let log = Arc::new(Mutex::new(VecDeque::new()));
        let stderr = child.stderr.take().expect("piped stderr");
        drain_lines(stderr, None, log.clone());
        let (lines, ready) = mpsc::channel();
        let stdout = child.stdout.take().expect("piped stdout");
        drain_lines(stdout, Some(lines), log.clone());

        let deadline = Instant::now() + START_DEADLINE;
        let url = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match ready.recv_timeout(left) {
                Ok(line) => {
                    if let Some(url) = line.strip_prefix(READY_PREFIX) {
                        break url.trim().to_string();
                    }
                }
                Err(e) => {
                    let _ = child.kill();
                    let status = child.wait();
                    panic!(
                        "starling did not print its listening line ({e:?}; exit: {status:?}); log:\n{}",
                        tail(&log)
                    );
                }
            }
        };
        Server {
            child,
            url,
            data_dir: data_dir.to_path_buf(),
            log,
        }
    }

    /// A client for this server.
    pub fn client(&self) -> Client {
        Client::new(&self.url)
    }

    pub fn pid(&self) -> i32 {
        i32::try_from(self.child.id()).expect("pid fits in i32")
    }

    /// `kill -9`: no flush, no close, no chance to finish anything.
    pub fn kill9(&mut self) {
        self.child.kill().expect("SIGKILL the server");
        let status = self.child.wait().expect("reap the server");
        assert!(!status.success(), "a SIGKILLed server cannot exit cleanly");
    }

    /// Send SIGTERM (graceful shutdown) without waiting.
    pub fn terminate(&self) {
        // SAFETY: plain syscall on the pid of a child we have not reaped yet.
        let rc = unsafe { libc::kill(self.pid(), libc::SIGTERM) };
        assert_eq!(rc, 0, "kill(SIGTERM) failed");
    }

    /// Wait for the process to exit, polling up to `within`.
    pub fn wait_exit(&mut self, within: Duration) -> ExitStatus {
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status;
            }
            if Instant::now() > deadline {
                panic!(
                    "starling did not exit within {within:?}; log:\n{}",
                    self.log_tail()
                );
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn log_tail(&self) -> String {
        tail(&self.log)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Read `from` line by line on a thread, keeping the last lines in `log` and passing
/// each to `lines` while someone listens.
fn drain_lines(
    from: impl Read + Send + 'static,
    lines: Option<mpsc::Sender<String>>,
    log: Arc<Mutex<VecDeque<String>>>,
) {
    std::thread::spawn(move || {
        let mut lines = lines;
        for line in BufReader::new(from).lines() {
            let Ok(line) = line else { break };
            if let Some(tx) = &lines
                && tx.send(line.clone()).is_err()
            {
                lines = None;
            }
            let mut log = log.lock().unwrap();
            if log.len() == LOG_LINES {
                log.pop_front();
            }
            log.push_back(line);
        }
    });
}

fn tail(log: &Mutex<VecDeque<String>>) -> String {
    log.lock()
        .unwrap()
        .iter()
        .cloned()
        .collect::<Vec<_>>()
        .join("\n")
}
