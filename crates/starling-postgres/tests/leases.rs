//! Node id leases on a real PostgreSQL server: two live nodes never share a node id.

use starling_core::settings::Secret;
use starling_postgres::testing::FreshDatabase;
use starling_postgres::{Postgres, PostgresConfig};
use starling_store::Store;
use std::time::Duration;

fn config(db: &FreshDatabase, node_id: u16) -> PostgresConfig {
    PostgresConfig {
        url: Secret::new(db.url.clone()),
        node_id,
        lease_ttl: Duration::from_millis(900),
        ..PostgresConfig::default()
    }
}

async fn refused(db: &FreshDatabase, node_id: u16) -> String {
    match Postgres::open(config(db, node_id)).await {
        Ok(_) => panic!("node id {node_id} was taken twice"),
        Err(e) => format!("{:?}", std::error::Error::source(&e).map(|s| s.to_string())),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_id_in_use_is_refused_until_released_or_expired() {
    let db = FreshDatabase::create().await;
    let first = Postgres::open(config(&db, 3)).await.unwrap();
    let message = refused(&db, 3).await;
    assert!(message.contains("node id 3 is in use"), "{message}");
    // Another id is free, and a live node keeps its lease past the lifetime: it renews.
    let other = Postgres::open(config(&db, 4)).await.unwrap();
    tokio::time::sleep(Duration::from_millis(2_000)).await;
    refused(&db, 3).await;

    // Released on shutdown: the id is free at once.
    first.close().await.unwrap();
    let again = Postgres::open(config(&db, 3)).await.unwrap();

    // A node that dies without releasing frees its id when the lease expires.
    drop(again);
    refused(&db, 3).await;
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    let after_expiry = Postgres::open(config(&db, 3)).await.unwrap();
    after_expiry.close().await.unwrap();
    other.close().await.unwrap();
}
