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

/// Waits (bounded) until `store`'s cache epoch satisfies `want`.
async fn until_epoch(
    store: &Postgres,
    what: &str,
    want: impl Fn(Option<u64>) -> bool,
) -> Option<u64> {
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        let epoch = store.cache_epoch();
        if want(epoch) {
            return epoch;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{what}: still {epoch:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_sole_live_node_may_keep_copies_and_a_newcomer_waits_for_it_to_stop() {
    let db = FreshDatabase::create().await;
    let first = Postgres::open(config(&db, 1)).await.unwrap();
    let alone = until_epoch(&first, "alone", |e| e.is_some()).await;

    // A second node's open returns only once the first has stopped using copies.
    let second = Postgres::open(config(&db, 2)).await.unwrap();
    assert_eq!(
        first.cache_epoch(),
        None,
        "the first node still caches next to a second"
    );
    assert_eq!(second.cache_epoch(), None);
    tokio::time::sleep(Duration::from_millis(1_000)).await;
    assert_eq!(first.cache_epoch(), None, "two live nodes: neither caches");
    assert_eq!(second.cache_epoch(), None);

    // Alone again: caching resumes, under a new epoch (copies from before are stale).
    second.close().await.unwrap();
    let again = until_epoch(&first, "alone again", |e| e.is_some()).await;
    assert_ne!(again, alone);

    // A node that dies while caching: a newcomer waits for its lease to expire.
    drop(first);
    let started = std::time::Instant::now();
    let newcomer = Postgres::open(config(&db, 3)).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "the newcomer did not wait for the dead caching node's lease ({:?})",
        started.elapsed()
    );
    until_epoch(&newcomer, "the newcomer, alone", |e| e.is_some()).await;
    newcomer.close().await.unwrap();
}
