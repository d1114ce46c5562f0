//! Fresh, empty databases on a test server, for the conformance suite and the API tests
//! (behind the `testing` feature; never in a production build). The server is named by
//! `STARLING_TEST_DATABASE_URL`; without it these fail, saying so: nothing is skipped.

use std::sync::atomic::{AtomicU32, Ordering};

/// The test server's URL, or a panic that says how to get one.
pub fn server_url() -> String {
    std::env::var("STARLING_TEST_DATABASE_URL").expect(
        "STARLING_TEST_DATABASE_URL names a PostgreSQL server for these tests \
         (scripts/test.sh starts one; `eval \"$(scripts/postgres.sh start)\"` by hand)",
    )
}

/// A database created for one test and dropped when this is.
pub struct FreshDatabase {
    admin_url: String,
    name: String,
    /// The new database's URL.
    pub url: String,
}

impl FreshDatabase {
    pub async fn create() -> FreshDatabase {
        let admin_url = server_url();
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "starling_test_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let (client, conn) = tokio_postgres::connect(&admin_url, tokio_postgres::NoTls)
            .await
            .expect("connect to the test PostgreSQL server");
        tokio::spawn(conn);
        client
            .execute(&format!("CREATE DATABASE {name}"), &[])
            .await
            .expect("create a database for the test");
        let url = database_url(&admin_url, &name);
        FreshDatabase {
            admin_url,
            name,
            url,
        }
    }
}

impl Drop for FreshDatabase {
    fn drop(&mut self) {
        let (admin_url, name) = (self.admin_url.clone(), self.name.clone());
        // Drop may run inside a runtime: clean up on a thread of its own.
        let _ = std::thread::spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            runtime.block_on(async {
                if let Ok((client, conn)) =
                    tokio_postgres::connect(&admin_url, tokio_postgres::NoTls).await
                {
                    tokio::spawn(conn);
                    let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                    let _ = client.execute(&drop, &[]).await;
                }
            });
        })
        .join();
    }
}

/// `admin_url` with its database replaced by `name`.
fn database_url(admin_url: &str, name: &str) -> String {
    let (base, query) = admin_url.split_once('?').unwrap_or((admin_url, ""));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let base = match base[scheme_end..].rfind('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    if query.is_empty() {
        format!("{base}/{name}")
    } else {
        format!("{base}/{name}?{query}")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn database_urls() {
        let url = super::database_url("postgres://u:p@127.0.0.1:5432/postgres", "x");
        assert_eq!(url, "postgres://u:p@127.0.0.1:5432/x");
        let url = super::database_url("postgres://h/db?sslmode=disable", "y");
        assert_eq!(url, "postgres://h/y?sslmode=disable");
    }
}
