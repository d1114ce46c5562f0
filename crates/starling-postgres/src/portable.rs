//! The rows of a PostgreSQL database in the portable form (`starling_store::portable`):
//! read in pages for verification, and written by [`Postgres::import`], which copies a
//! whole [`RowSource`] in one transaction into an empty database.

use crate::Postgres;
use crate::connection::pg;
use bytes::BytesMut;
use starling_store::portable::{Cell, Row, RowSource, TABLES, Table};
use starling_store::{Result, StoreError, Totals};
use tokio_postgres::types::{IsNull, ToSql, Type, to_sql_checked};

/// Rows in one `INSERT` at most (PostgreSQL takes up to 65,535 parameters).
const INSERT_ROWS: usize = 1_000;

/// A cell as a statement parameter of whatever type its column has.
#[derive(Debug)]
struct Param<'a>(&'a Cell);

impl ToSql for Param<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self.0 {
            Cell::Null => Ok(IsNull::Yes),
            Cell::Int(i) if *ty == Type::BOOL => (*i != 0).to_sql(ty, out),
            Cell::Int(i) => i.to_sql(ty, out),
            Cell::Text(t) => t.as_str().to_sql(ty, out),
            Cell::Bytes(b) => b.as_slice().to_sql(ty, out),
        }
    }

    fn accepts(ty: &Type) -> bool {
        <i64 as ToSql>::accepts(ty)
            || <bool as ToSql>::accepts(ty)
            || <&str as ToSql>::accepts(ty)
            || <&[u8] as ToSql>::accepts(ty)
    }

    to_sql_checked!();
}

fn to_cell(row: &tokio_postgres::Row, i: usize) -> Result<Cell> {
    let ty = row.columns()[i].type_();
    let cell = if *ty == Type::INT8 {
        row.get::<_, Option<i64>>(i).map(Cell::Int)
    } else if *ty == Type::BOOL {
        row.get::<_, Option<bool>>(i)
            .map(|b| Cell::Int(i64::from(b)))
    } else if *ty == Type::TEXT || *ty == Type::VARCHAR {
        row.get::<_, Option<String>>(i).map(Cell::Text)
    } else if *ty == Type::BYTEA {
        row.get::<_, Option<Vec<u8>>>(i).map(Cell::Bytes)
    } else {
        return Err(StoreError::message(format!(
            "a column of type {ty} cannot be copied"
        )));
    };
    Ok(cell.unwrap_or(Cell::Null))
}

impl Postgres {
    /// Whether no table that holds truth has a row: the only kind of database an import
    /// may write to.
    pub async fn is_empty(&self) -> Result<bool> {
        let client = self.pool.client().await?;
        for table in TABLES {
            let query = format!("SELECT EXISTS (SELECT 1 FROM {})", table.name);
            let any: bool = client.query_one(&query, &[]).await.map_err(pg)?.get(0);
            if any {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// A page of `table` in its key order, after `after`.
    pub async fn page(
        &self,
        table: &Table,
        after: Option<&[Cell]>,
        limit: usize,
    ) -> Result<Vec<Row>> {
        let client = self.pool.client().await?;
        let key = table.columns[..table.key].join(", ");
        let filter = match after {
            Some(_) => {
                let marks: Vec<String> = (1..=table.key).map(|i| format!("${i}")).collect();
                format!("WHERE ({key}) > ({})", marks.join(", "))
            }
            None => String::new(),
        };
        let query = format!(
            "SELECT {} FROM {} {filter} ORDER BY {key} LIMIT {limit}",
            table.columns.join(", "),
            table.name
        );
        let params: Vec<Param> = after.unwrap_or_default().iter().map(Param).collect();
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as _).collect();
        let rows = client.query(&query, &refs).await.map_err(pg)?;
        rows.iter()
            .map(|row| (0..table.columns.len()).map(|i| to_cell(row, i)).collect())
            .collect()
    }

    /// Copy every table of `source` and its totals into this database, in one
    /// transaction: all of it, or (on any failure) nothing. Refuses a database that is
    /// not empty. `progress` hears each table's rows copied so far.
    pub async fn import(
        &self,
        source: &mut dyn RowSource,
        page_rows: usize,
        progress: &mut dyn FnMut(&Table, u64),
    ) -> Result<()> {
        if !self.is_empty().await? {
            return Err(StoreError::message(
                "the target database is not empty: migrate-store copies into an empty one only",
            ));
        }
        let mut client = self.pool.client().await?;
        let tx = client.transaction().await.map_err(pg)?;
        for table in TABLES {
            let mut after: Option<Row> = None;
            let mut copied = 0u64;
            loop {
                let rows = source.page(table, after.as_deref(), page_rows)?;
                if rows.is_empty() {
                    break;
                }
                for chunk in rows.chunks(INSERT_ROWS) {
                    insert(&tx, table, chunk).await?;
                }
                copied += rows.len() as u64;
                progress(table, copied);
                after = rows.last().map(|row| table.key_of(row).to_vec());
            }
        }
        let totals: Totals = source.totals()?;
        // Every shard exists at zero in a new database; one carries the totals.
        tx.execute(
            "UPDATE totals SET tweets = $1, versions = $2, bodies = $3, likes = $4,
                    retweets = $5, replies = $6, views = $7
             WHERE shard = 0",
            &[
                &totals.tweets,
                &totals.versions,
                &totals.bodies,
                &totals.likes,
                &totals.retweets,
                &totals.replies,
                &totals.views,
            ],
        )
        .await
        .map_err(pg)?;
        tx.commit().await.map_err(pg)
    }
}

async fn insert(tx: &tokio_postgres::Transaction<'_>, table: &Table, rows: &[Row]) -> Result<()> {
    let width = table.columns.len();
    let values: Vec<String> = (0..rows.len())
        .map(|r| {
            let marks: Vec<String> = (1..=width).map(|c| format!("${}", r * width + c)).collect();
            format!("({})", marks.join(", "))
        })
        .collect();
    let statement = format!(
        "INSERT INTO {} ({}) VALUES {}",
        table.name,
        table.columns.join(", "),
        values.join(", ")
    );
    let params: Vec<Param> = rows.iter().flatten().map(Param).collect();
    let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as _).collect();
    tx.execute(&statement, &refs).await.map_err(pg)?;
    Ok(())
}
