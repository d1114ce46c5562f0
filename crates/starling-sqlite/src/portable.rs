//! The rows of a SQLite database in the portable form (`starling_store::portable`), read
//! in one read transaction, so a copy and its verification see one consistent state.

use crate::connection::{open_connection, sql};
use rusqlite::types::{Value, ValueRef};
use rusqlite::{Connection, params_from_iter};
use starling_store::portable::{Cell, Row, RowSource, Table};
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
}
