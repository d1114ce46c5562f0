//! The storage conformance suite, run against SQLite in a temporary directory.

use starling_sqlite::{Sqlite, SqliteConfig};
use starling_store::Store;
use std::sync::Arc;

async fn fresh() -> (Arc<dyn Store>, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Sqlite::open(SqliteConfig::in_dir(dir.path())).expect("open sqlite");
    (Arc::new(store), dir)
}

starling_store::conformance_tests!(fresh);
