//! The rows of a SQLite database in the portable form (`starling_store::portable`), read
//! in one read transaction, so a copy and its verification see one consistent state;
//! and [`import`], which writes such rows into an empty database (`starling seed-graph`).

use crate::connection::{open_connection, sql};
use rusqlite::types::{Value, ValueRef};
use rusqlite::{Connection, params_from_iter};
use starling_store::portable::{Cell, Row, RowSource, TABLES, Table};
use starling_store::{Result, StoreError, Totals};
use std::path::Path;

/// One read transaction over a database file (opened read-only; `Sqlite::open` first
/// brings its schema up to date).
pub struct Snapshot {
    conn: Connection,
}

impl Snapshot {
    pub fn open(path: &Path) -> Result<Snapshot> {
        if !path.exists() {
            return Err(StoreError::message(format!(
                "no database at {}",
                path.display()
            )));
        }
        let conn = open_connection(path, true).map_err(sql)?;
        // A read transaction begins at its first read: make that now.
        conn.execute_batch("BEGIN; SELECT COUNT(*) FROM users;")
            .map_err(sql)?;
        Ok(Snapshot { conn })
    }
}

fn to_value(cell: &Cell) -> Value {
    match cell {
        Cell::Null => Value::Null,
        Cell::Int(i) => Value::Integer(*i),
        Cell::Text(t) => Value::Text(t.clone()),
        Cell::Bytes(b) => Value::Blob(b.clone()),
    }
}

fn to_cell(value: ValueRef<'_>) -> rusqlite::Result<Cell> {
    Ok(match value {
        ValueRef::Null => Cell::Null,
        ValueRef::Integer(i) => Cell::Int(i),
        ValueRef::Text(t) => Cell::Text(
            std::str::from_utf8(t)
                .map_err(|e| rusqlite::Error::Utf8Error(0, e))?
                .to_string(),
        ),
        ValueRef::Blob(b) => Cell::Bytes(b.to_vec()),
        ValueRef::Real(_) => {
            return Err(rusqlite::Error::InvalidColumnType(
                0,
                "a real number".into(),
                rusqlite::types::Type::Real,
            ));
        }
    })
}

impl RowSource for Snapshot {
    fn page(&mut self, table: &Table, after: Option<&[Cell]>, limit: usize) -> Result<Vec<Row>> {
        let key = table.columns[..table.key].join(", ");
        let marks = vec!["?"; table.key].join(", ");
        let filter = match after {
            Some(_) => format!("WHERE ({key}) > ({marks})"),
            None => String::new(),
        };
        let query = format!(
            "SELECT {} FROM {} {filter} ORDER BY {key} LIMIT {limit}",
            table.columns.join(", "),
            table.name
        );
        let mut statement = self.conn.prepare_cached(&query).map_err(sql)?;
        let args: Vec<Value> = after.unwrap_or_default().iter().map(to_value).collect();
        let width = table.columns.len();
        let rows = statement
            .query_map(params_from_iter(args), |r| {
                (0..width).map(|i| to_cell(r.get_ref(i)?)).collect()
            })
            .map_err(sql)?
            .collect::<rusqlite::Result<Vec<Row>>>()
            .map_err(sql)?;
        Ok(rows)
    }

    fn totals(&mut self) -> Result<Totals> {
        crate::integrity::totals(&self.conn).map_err(sql)
    }
}

/// Copy every table of `source` into the empty database at `path` (its schema brought up
/// to date by `Sqlite::open` first, and no server using it), in one transaction: all or
/// nothing. Totals come from the source, as `migrate-store` does on PostgreSQL.
pub fn import(
    path: &Path,
    source: &mut dyn RowSource,
    page_rows: usize,
    progress: &mut dyn FnMut(&Table, u64),
) -> Result<()> {
    let mut conn = open_connection(path, false).map_err(sql)?;
    for table in TABLES {
        let query = format!("SELECT EXISTS (SELECT 1 FROM {})", table.name);
        let any: bool = conn.query_row(&query, [], |r| r.get(0)).map_err(sql)?;
        if any {
            return Err(StoreError::message(format!(
                "the target database is not empty ({} has rows): import writes into an empty one only",
                table.name
            )));
        }
    }
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(sql)?;
    for table in TABLES {
        let marks = vec!["?"; table.columns.len()].join(", ");
        let statement = format!(
            "INSERT INTO {} ({}) VALUES ({marks})",
            table.name,
            table.columns.join(", ")
        );
        let mut insert = tx.prepare_cached(&statement).map_err(sql)?;
        let mut after: Option<Row> = None;
        let mut copied = 0u64;
        loop {
            let rows = source.page(table, after.as_deref(), page_rows)?;
            if rows.is_empty() {
                break;
            }
            for row in &rows {
                insert
                    .execute(params_from_iter(row.iter().map(to_value)))
                    .map_err(sql)?;
            }
            copied += rows.len() as u64;
            progress(table, copied);
            after = rows.last().map(|row| table.key_of(row).to_vec());
        }
    }
    let totals = source.totals()?;
    tx.execute(
        "UPDATE totals SET tweets = ?1, versions = ?2, bodies = ?3, likes = ?4, retweets = ?5,
                replies = ?6, views = ?7 WHERE id = 1",
        rusqlite::params![
            totals.tweets,
            totals.versions,
            totals.bodies,
            totals.likes,
            totals.retweets,
            totals.replies,
            totals.views
        ],
    )
    .map_err(sql)?;
    tx.commit().map_err(sql)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Sqlite, SqliteConfig};
    use starling_core::{Content, EngagementAction, NewTweet};
    use starling_store::portable::TABLES;
    use starling_store::*;

    /// Pages on a two-column key (likes: tweet, user) return every row exactly once,
    /// in key order, whatever the page size.
    #[tokio::test]
    async fn pages_on_a_composite_key_cover_every_row_once() {
        let dir = tempfile::tempdir().unwrap();
        let config = SqliteConfig::in_dir(dir.path());
        let store = Sqlite::open(config.clone()).unwrap();
        let mut users = Vec::new();
        for i in 0..7 {
            let user = store
                .create_user(NewUser {
                    username: format!("user{i}"),
                    display_name: format!("User {i}"),
                    password_hash: "x".into(),
                    now: 1,
                })
                .await
                .unwrap();
            users.push(user);
        }
        let mut expected = Vec::new();
        for t in 0..3 {
            let content = Content::parse(&format!("tweet {t}")).unwrap();
            let tweet = store
                .create_tweet(CreateTweet {
                    author: users[0].id,
                    tweet: NewTweet::published(content),
                    placed: Placement::default(),
                    now: 2,
                })
                .await
                .unwrap()
                .tweet;
            for user in &users {
                store
                    .engage(Engage {
                        id: tweet.id,
                        user: user.id,
                        action: EngagementAction::Like,
                        now: 3,
                    })
                    .await
                    .unwrap();
                expected.push((tweet.id.0, user.id.0));
            }
        }
        store.close().await.unwrap();
        expected.sort();

        let likes = TABLES.iter().find(|t| t.name == "likes").unwrap();
        for page_size in [1, 4, 7, 100] {
            let mut snapshot = Snapshot::open(&config.path).unwrap();
            let mut seen = Vec::new();
            let mut after: Option<Row> = None;
            loop {
                let rows = snapshot.page(likes, after.as_deref(), page_size).unwrap();
                let Some(last) = rows.last() else { break };
                assert!(rows.len() <= page_size);
                after = Some(likes.key_of(last).to_vec());
                for row in &rows {
                    let [Cell::Int(tweet), Cell::Int(user), Cell::Int(3)] = row.as_slice() else {
                        panic!("unexpected row {row:?}");
                    };
                    seen.push((*tweet, *user));
                }
            }
            assert_eq!(seen, expected, "page size {page_size}");
        }
    }

    /// A database's rows imported into an empty one read back equal, table by table, with
    /// the same totals and a clean audit; a second import into it is refused whole.
    #[tokio::test]
    async fn an_import_reads_back_equal_and_only_into_an_empty_database() {
        let from = tempfile::tempdir().unwrap();
        let config = SqliteConfig::in_dir(from.path());
        let store = Sqlite::open(config.clone()).unwrap();
        let author = store
            .create_user(NewUser {
                username: "author".into(),
                display_name: "Author".into(),
                password_hash: "x".into(),
                now: 1,
            })
            .await
            .unwrap();
        let fan = store
            .create_user(NewUser {
                username: "fan".into(),
                display_name: "Fan".into(),
                password_hash: "x".into(),
                now: 1,
            })
            .await
            .unwrap();
        let tweet = store
            .create_tweet(CreateTweet {
                author: author.id,
                tweet: NewTweet::published(Content::parse("hello #import").unwrap()),
                placed: Placement::default(),
                now: 2,
            })
            .await
            .unwrap()
            .tweet;
        store
            .engage(Engage {
                id: tweet.id,
                user: fan.id,
                action: EngagementAction::Like,
                now: 3,
            })
            .await
            .unwrap();
        let totals = store.totals().await.unwrap();
        store.close().await.unwrap();

        let to = tempfile::tempdir().unwrap();
        let target = SqliteConfig::in_dir(to.path());
        Sqlite::open(target.clone()).unwrap().close().await.unwrap();
        let mut source = Snapshot::open(&config.path).unwrap();
        import(&target.path, &mut source, 2, &mut |_, _| {}).unwrap();

        let mut copy = Snapshot::open(&target.path).unwrap();
        for table in TABLES {
            let (mut a, mut b) = (Vec::new(), Vec::new());
            let mut after: Option<Row> = None;
            loop {
                let rows = source.page(table, after.as_deref(), 100).unwrap();
                let Some(last) = rows.last() else { break };
                after = Some(table.key_of(last).to_vec());
                a.extend(rows);
            }
            after = None;
            loop {
                let rows = copy.page(table, after.as_deref(), 100).unwrap();
                let Some(last) = rows.last() else { break };
                after = Some(table.key_of(last).to_vec());
                b.extend(rows);
            }
            assert_eq!(a, b, "table {}", table.name);
        }
        assert!(!copy.page(&TABLES[0], None, 10).unwrap().is_empty());
        drop(copy);
        let reopened = Sqlite::open(target.clone()).unwrap();
        assert_eq!(reopened.totals().await.unwrap(), totals);
        assert_eq!(reopened.audit().await.unwrap(), Vec::<String>::new());
        reopened.close().await.unwrap();

        let error = import(&target.path, &mut source, 2, &mut |_, _| {}).unwrap_err();
        assert!(format!("{error:?}").contains("not empty"), "{error:?}");
    }
}
