//! The storage conformance suite on a real PostgreSQL server: each check gets a fresh,
//! empty database on the server named by `STARLING_TEST_DATABASE_URL` (the README's
//! test command starts one). Without it the tests fail, saying so: nothing is skipped.

use starling_postgres::testing::FreshDatabase;
use starling_postgres::{Postgres, PostgresConfig};
use starling_store::Store;
use std::sync::Arc;

async fn fresh() -> (Arc<dyn Store>, FreshDatabase) {
    let database = FreshDatabase::create().await;
    let store = Postgres::open(PostgresConfig {
        url: starling_core::settings::Secret::new(database.url.clone()),
        ..PostgresConfig::default()
    })
    .await
    .expect("open the store");
    (Arc::new(store), database)
}

starling_store::conformance_tests!(fresh);
