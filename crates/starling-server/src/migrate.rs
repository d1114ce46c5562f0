//! `starling migrate-store`: move a SQLite data directory into an empty PostgreSQL
//! database, for a user who outgrows one machine.
//!
//! Key decision: the copy is one PostgreSQL transaction fed from one SQLite read
//! transaction, so it is all or nothing and reads one consistent state; then the copy
//! is proven equal table by table (row count and an order-independent digest of every
//! row, `starling_store::portable::Digest`), the totals compared, and the target's own
//! audit run (counters against rows). Only then does it say done.

use crate::config::MigrateArgs;
use anyhow::{Context, bail};
use starling_postgres::{Postgres, PostgresConfig};
use starling_sqlite::portable::Snapshot;
use starling_sqlite::{Sqlite, SqliteConfig};
use starling_store::Store;
use starling_store::portable::{Digest, Row, RowSource, TABLES, Table};
use std::time::Instant;

/// Rows read from SQLite at a time.
const PAGE_ROWS: usize = 5_000;

pub async fn run(args: MigrateArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let path = args.from.join("starling.db");
    if !path.exists() {
        bail!(
            "no Starling database in {} (expected {})",
            args.from.display(),
            path.display()
        );
    }
    // Bring the source's schema up to date (what the server does when it opens it).
    let sqlite = Sqlite::open(SqliteConfig::in_dir(&args.from))
        .with_context(|| format!("opening {} (is a server still using it?)", path.display()))?;
    sqlite.close().await?;

    let target = Postgres::open(PostgresConfig {
        url: args.to.clone(),
        ..PostgresConfig::default()
    })
    .await
    .context("opening the target PostgreSQL database")?;
    let outcome = copy_and_verify(&path, &target).await;
    target.close().await?;
    outcome?;
    eprintln!(
        "migrate-store: done in {:.1} s: {} copied into PostgreSQL and verified",
        started.elapsed().as_secs_f64(),
        args.from.display()
    );
    Ok(())
}

async fn copy_and_verify(path: &std::path::Path, target: &Postgres) -> anyhow::Result<()> {
    let mut source = Snapshot::open(path)?;
    if !target.is_empty().await? {
        bail!("the target database is not empty: migrate-store copies into an empty database only");
    }
    let mut last_report = Instant::now();
    let mut progress = |table: &Table, copied: u64| {
        if last_report.elapsed().as_secs() >= 1 {
            eprintln!("migrate-store: copying {}: {copied} rows", table.name);
            last_report = Instant::now();
        }
    };
    // The SQLite reads are quick local calls; this command does nothing else meanwhile.
    tokio::task::block_in_place(|| {
        tokio::runtime::Handle::current().block_on(target.import(
            &mut source,
            PAGE_ROWS,
            &mut progress,
        ))
    })
    .context("copying")?;
    eprintln!("migrate-store: copied; verifying");

    let mut mismatched = Vec::new();
    for table in TABLES {
        let here = tokio::task::block_in_place(|| source_digest(&mut source, table))?;
        let there = target_digest(target, table).await?;
        let verdict = if here == there { "equal" } else { "DIFFERENT" };
        eprintln!(
            "migrate-store: {:<17} source {here}; target {there}: {verdict}",
            table.name
        );
        if here != there {
            mismatched.push(table.name);
        }
    }
    let totals = tokio::task::block_in_place(|| source.totals())?;
    let copied = target.totals().await?;
    if totals != copied {
        bail!("the totals differ: source {totals:?}, target {copied:?}");
    }
    if !mismatched.is_empty() {
        bail!(
            "the copy differs from the source in: {}",
            mismatched.join(", ")
        );
    }
    let problems = target.audit().await?;
    if !problems.is_empty() {
        bail!("the target's audit failed: {}", problems.join("; "));
    }
    eprintln!("migrate-store: totals equal, audit clean");
    Ok(())
}

fn source_digest(source: &mut Snapshot, table: &Table) -> anyhow::Result<Digest> {
    let mut digest = Digest::default();
    let mut after: Option<Row> = None;
    loop {
        let rows = source.page(table, after.as_deref(), PAGE_ROWS)?;
        let Some(last) = rows.last() else {
            return Ok(digest);
        };
        after = Some(table.key_of(last).to_vec());
        rows.iter().for_each(|row| digest.add(row));
    }
}

async fn target_digest(target: &Postgres, table: &Table) -> anyhow::Result<Digest> {
    let mut digest = Digest::default();
    let mut after: Option<Row> = None;
    loop {
        let rows = target.page(table, after.as_deref(), PAGE_ROWS).await?;
        let Some(last) = rows.last() else {
            return Ok(digest);
        };
        after = Some(table.key_of(last).to_vec());
        rows.iter().for_each(|row| digest.add(row));
    }
}
