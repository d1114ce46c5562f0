//! A cluster on this machine, for the cluster tests: PostgreSQL (the test server's, or
//! one of the test's own that it may stop), Redis (`redis-server`, one per test, which
//! the test may stop and start again on the same port), N real `starling` binaries on
//! PostgreSQL and Redis, and nginx in front of them from `deploy/nginx.conf.template`,
//! the file `scripts/cluster.sh` and docs/DEPLOYMENT.md use.

use super::binary::Server;
use super::client::Client;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A free loopback port (free now; the caller binds it right away).
pub fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind port 0");
    listener.local_addr().unwrap().port()
}

fn wait_for(what: &str, within: Duration, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + within;
    while !ready() {
        assert!(
            Instant::now() < deadline,
            "{what} not ready within {within:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A PostgreSQL server of the test's own (`scripts/postgres.sh`), for tests that stop it.
pub struct OwnPostgres {
    pub dir: String,
    pub url: String,
}

fn postgres_script(args: &[&str]) -> String {
    let out = Command::new(repo().join("scripts/postgres.sh"))
        .args(args)
        .output()
        .expect("run scripts/postgres.sh");
    assert!(
        out.status.success(),
        "postgres.sh {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

impl OwnPostgres {
    pub fn start() -> OwnPostgres {
        let exports = postgres_script(&["start"]);
        let value = |name: &str| {
            exports
                .lines()
                .find_map(|l| l.strip_prefix(&format!("export {name}=")))
                .unwrap_or_else(|| panic!("{name} in {exports}"))
                .to_string()
        };
        OwnPostgres {
            dir: value("STARLING_TEST_PGDIR"),
            url: value("STARLING_TEST_DATABASE_URL"),
        }
    }

    /// Stop the server, keeping its data (an outage).
    pub fn pause(&self) {
        postgres_script(&["pause", &self.dir]);
    }

    /// Start it again on the same port.
    pub fn resume(&self) {
        postgres_script(&["resume", &self.dir]);
    }
}

impl Drop for OwnPostgres {
    fn drop(&mut self) {
        let _ = Command::new(repo().join("scripts/postgres.sh"))
            .args(["stop", &self.dir])
            .output();
    }
}

/// `redis-server` on a free loopback port, without persistence: Redis holds no truth.
pub struct RedisServer {
    pub port: u16,
    dir: tempfile::TempDir,
    child: Option<Child>,
}

impl RedisServer {
    pub fn start() -> RedisServer {
        let mut redis = RedisServer {
            port: free_port(),
            dir: tempfile::tempdir().unwrap(),
            child: None,
        };
        redis.resume();
        redis
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    /// Kill it (an outage: nothing it held survives, as nothing should need to).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Start it again on the same port.
    pub fn resume(&mut self) {
        assert!(self.child.is_none(), "redis is already running");
        let child = Command::new("redis-server")
            .args(["--bind", "127.0.0.1", "--port", &self.port.to_string()])
            .args(["--save", "", "--appendonly", "no", "--dir"])
            .arg(self.dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn redis-server (scripts/test.sh installs Debian's redis-server)");
        self.child = Some(child);
        let port = self.port;
        wait_for("redis", Duration::from_secs(10), || ping_redis(port));
    }
}

fn ping_redis(port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(1)));
    let mut answer = [0u8; 7];
    stream.write_all(b"PING\r\n").is_ok()
        && stream.read_exact(&mut answer).is_ok()
        && &answer == b"+PONG\r\n"
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// nginx in front of the nodes, from the deployment template.
pub struct Nginx {
    pub url: String,
    dir: tempfile::TempDir,
    child: Child,
}

impl Nginx {
    pub fn start(upstreams: &[u16]) -> Nginx {
        let dir = tempfile::tempdir().unwrap();
        // Workers started by root run as nobody and must reach the directory.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let port = free_port();
        let servers: String = upstreams
            .iter()
            .map(|p| format!("server 127.0.0.1:{p} max_fails=1 fail_timeout=2s;\n"))
            .collect();
        let template = std::fs::read_to_string(repo().join("deploy/nginx.conf.template"))
            .expect("deploy/nginx.conf.template");
        let rundir = dir.path().to_str().unwrap();
        let conf = template
            .replace("@LISTEN@", &format!("127.0.0.1:{port}"))
            .replace("@UPSTREAMS@", &servers)
            .replace("@RUNDIR@", rundir);
        let conf_path = dir.path().join("nginx.conf");
        std::fs::write(&conf_path, conf).unwrap();
        let child = Command::new(nginx_binary())
            .arg("-p")
            .arg(dir.path())
            .arg("-e")
            .arg(dir.path().join("error.log"))
            .arg("-c")
            .arg(&conf_path)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn nginx (scripts/test.sh installs Debian's nginx)");
        let url = format!("http://127.0.0.1:{port}");
        let nginx = Nginx { url, dir, child };
        wait_for("nginx", Duration::from_secs(10), || {
            TcpStream::connect(("127.0.0.1", port)).is_ok()
        });
        nginx
    }

    pub fn client(&self) -> Client {
        Client::new(&self.url)
    }

    pub fn error_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("error.log")).unwrap_or_default()
    }
}

fn nginx_binary() -> &'static str {
    if Path::new("/usr/sbin/nginx").exists() {
        "/usr/sbin/nginx"
    } else {
        "nginx"
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // SIGTERM: the master stops its workers (SIGKILL would orphan them).
        if let Ok(pid) = i32::try_from(self.child.id()) {
            // SAFETY: a plain syscall on the pid of a child not yet reaped.
            unsafe { libc::kill(pid, libc::SIGTERM) };
        }
        let _ = self.child.wait();
    }
}

/// N nodes on one PostgreSQL database and one Redis, behind nginx.
pub struct Cluster {
    pub nodes: Vec<Server>,
    pub nginx: Nginx,
    pub redis: RedisServer,
    /// Kept so a node can be restarted with the same settings.
    env: Vec<(String, String)>,
    dirs: Vec<tempfile::TempDir>,
}

impl Cluster {
    /// `nodes` nodes on `database_url`, each with `extra` environment as well.
    pub fn start(database_url: &str, nodes: usize, extra: &[(&str, &str)]) -> Cluster {
        let redis = RedisServer::start();
        let mut env: Vec<(String, String)> = vec![
            ("STARLING_STORE".into(), "postgres".into()),
            ("STARLING_DATABASE_URL".into(), database_url.into()),
            ("STARLING_REDIS_URL".into(), redis.url()),
            ("STARLING_TRUSTED_PROXIES".into(), "127.0.0.1/32".into()),
            ("STARLING_RATE_LIMIT".into(), "off".into()),
            ("STARLING_STORE__CONNECT_TIMEOUT".into(), "2s".into()),
            ("STARLING_STORE__POOL_SIZE".into(), "8".into()),
        ];
        for (key, value) in extra {
            env.retain(|(k, _)| k != key);
            env.push((key.to_string(), value.to_string()));
        }
        let mut cluster_nodes = Vec::new();
        let mut dirs = Vec::new();
        for node in 1..=nodes {
            let dir = tempfile::tempdir().unwrap();
            cluster_nodes.push(start_node(dir.path(), node, &env));
            dirs.push(dir);
        }
        let ports: Vec<u16> = cluster_nodes.iter().map(port_of).collect();
        let nginx = Nginx::start(&ports);
        Cluster {
            nodes: cluster_nodes,
            nginx,
            redis,
            env,
            dirs,
        }
    }

    /// Start node `i` (0-based) again, killed or stopped before, with its data directory
    /// and settings, on a new port (nginx still points at the old one: use `node(i)`).
    pub fn restart(&mut self, i: usize) {
        self.nodes[i] = start_node(self.dirs[i].path(), i + 1, &self.env);
    }

    /// A client of node `i` (0-based), bypassing nginx.
    pub fn node(&self, i: usize) -> Client {
        self.nodes[i].client()
    }

    /// A client through nginx.
    pub fn front(&self) -> Client {
        self.nginx.client()
    }

    /// Every node's log, for failure messages.
    pub fn logs(&self) -> String {
        self.nodes
            .iter()
            .enumerate()
            .map(|(i, n)| format!("--- node {i}\n{}", n.log_tail()))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

fn start_node(dir: &Path, node: usize, env: &[(String, String)]) -> Server {
    let node_id = node.to_string();
    let mut vars: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    vars.push(("STARLING_NODE_ID", &node_id));
    Server::start_with(dir, &vars)
}

fn port_of(server: &Server) -> u16 {
    server
        .url
        .rsplit(':')
        .next()
        .and_then(|p| p.trim_end_matches('/').parse().ok())
        .expect("a port in the server's URL")
}
