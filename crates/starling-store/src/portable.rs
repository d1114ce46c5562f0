//! Every stored row in a form any backend can write and read back, for moving a
//! deployment from one backend to another (`starling migrate-store`: SQLite to
//! PostgreSQL) with every id unchanged, and for proving the copy equal.
//!
//! Key decision: [`TABLES`] names each table's columns once, in the same order on every
//! backend, and each backend reads them in pages ordered by the table's key. The proof
//! of a copy is a row count and an order-independent digest per table ([`Digest`]), so
//! the two sides need not sort text the same way (collations differ between engines).
//! Running totals are not rows to copy: the target sets them from the source's
//! [`crate::Totals`], and its audit then checks them against the rows.

use crate::Totals;
use sha2::{Digest as _, Sha256};

/// One stored value, as every backend can hold it. Booleans are integers (0 or 1), as
/// SQLite stores them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Null,
    Int(i64),
    Text(String),
    Bytes(Vec<u8>),
}

pub type Row = Vec<Cell>;

/// A table to copy: its columns, the first `key` of which are its primary key.
#[derive(Debug, Clone, Copy)]
pub struct Table {
    pub name: &'static str,
    pub columns: &'static [&'static str],
    pub key: usize,
}

impl Table {
    /// The key of a row of this table (for the next page).
    pub fn key_of<'r>(&self, row: &'r Row) -> &'r [Cell] {
        &row[..self.key]
    }
}

/// Every table that holds truth, parents before children (so foreign keys hold at each
/// insert). Totals, migrations and node leases are not here: they are derived or local.
pub const TABLES: &[Table] = &[
    Table {
        name: "users",
        columns: &[
            "id",
            "username",
            "username_key",
            "display_name",
            "password_hash",
            "created_at",
            "bio",
            "protected",
            "followers",
            "following",
            "tweets",
        ],
        key: 1,
    },
    Table {
        name: "sessions",
        columns: &[
            "id",
            "token_hash",
            "user_id",
            "created_at",
            "last_used_at",
            "expires_at",
        ],
        key: 1,
    },
    Table {
        name: "bodies",
        columns: &["hash", "content", "entities", "tags", "created_at"],
        key: 1,
    },
    Table {
        name: "tweets",
        columns: &[
            "id",
            "author_id",
            "body_hash",
            "version",
            "state",
            "created_at",
            "updated_at",
            "reply_to_id",
            "likes",
            "retweets",
            "replies",
            "views",
            "rev",
            "last_seq",
            "visibility",
            "conversation_id",
            "reply_to_user_id",
            "mentions",
            "retweet_of_id",
            "quote_of_id",
            "quotes",
            "media",
            "position",
        ],
        key: 1,
    },
    Table {
        name: "media",
        columns: &[
            "id",
            "owner_id",
            "kind",
            "state",
            "alt_text",
            "processed",
            "error",
            "tweet_id",
            "node_id",
            "deadline",
            "created_at",
            "updated_at",
        ],
        key: 1,
    },
    Table {
        name: "media_blobs",
        columns: &["key", "media_id"],
        key: 2,
    },
    Table {
        name: "tweet_events",
        columns: &[
            "tweet_id",
            "seq",
            "kind",
            "version",
            "body_hash",
            "actor_id",
            "at",
            "media",
        ],
        key: 2,
    },
    Table {
        name: "hashtags",
        columns: &["tweet_id", "tag", "position"],
        key: 2,
    },
    Table {
        name: "likes",
        columns: &["tweet_id", "user_id", "created_at"],
        key: 2,
    },
    Table {
        name: "retweets",
        columns: &["tweet_id", "user_id", "created_at", "entry_id"],
        key: 2,
    },
    Table {
        name: "follows",
        columns: &["follower_id", "followee_id", "created_at"],
        key: 2,
    },
    Table {
        name: "follow_requests",
        columns: &["requester_id", "target_id", "created_at"],
        key: 2,
    },
    Table {
        name: "blocks",
        columns: &["blocker_id", "blocked_id", "created_at"],
        key: 2,
    },
    Table {
        name: "mutes",
        columns: &["muter_id", "muted_id", "created_at"],
        key: 2,
    },
    Table {
        name: "idempotency_keys",
        columns: &["user_id", "key", "tweet_id", "created_at", "request_hash"],
        key: 2,
    },
];

/// Where a copy's rows come from: pages of a table in its key order, after `after`.
pub trait RowSource {
    fn page(
        &mut self,
        table: &Table,
        after: Option<&[Cell]>,
        limit: usize,
    ) -> crate::Result<Vec<Row>>;
    fn totals(&mut self) -> crate::Result<Totals>;
}

/// A table's row count and a digest of its rows that does not depend on their order:
/// the wrapping sum of each row's SHA-256 (its first 128 bits), over an encoding that
/// tells every cell's type and length.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Digest {
    pub rows: u64,
    pub sum: u128,
}

impl Digest {
    pub fn add(&mut self, row: &Row) {
        let mut hash = Sha256::new();
        for cell in row {
            match cell {
                Cell::Null => hash.update([0]),
                Cell::Int(i) => {
                    hash.update([1]);
                    hash.update(i.to_be_bytes());
                }
                Cell::Text(t) => {
                    hash.update([2]);
                    hash.update((t.len() as u64).to_be_bytes());
                    hash.update(t.as_bytes());
                }
                Cell::Bytes(b) => {
                    hash.update([3]);
                    hash.update((b.len() as u64).to_be_bytes());
                    hash.update(b);
                }
            }
        }
        let hash = hash.finalize();
        let head = u128::from_be_bytes(hash[..16].try_into().expect("16 bytes"));
        self.rows += 1;
        self.sum = self.sum.wrapping_add(head);
    }
}

impl std::fmt::Display for Digest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} rows, digest {:032x}", self.rows, self.sum)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_ignores_order_but_not_content_or_type() {
        let a = vec![Cell::Int(1), Cell::Text("x".into())];
        let b = vec![Cell::Int(2), Cell::Bytes(b"x".to_vec())];
        let (mut one, mut two) = (Digest::default(), Digest::default());
        one.add(&a);
        one.add(&b);
        two.add(&b);
        two.add(&a);
        assert_eq!(one, two);
        let mut text_as_bytes = Digest::default();
        text_as_bytes.add(&vec![Cell::Int(1), Cell::Bytes(b"x".to_vec())]);
        text_as_bytes.add(&b);
        assert_ne!(one, text_as_bytes);
        let mut null = Digest::default();
        null.add(&vec![Cell::Int(1), Cell::Null]);
        null.add(&b);
        assert_ne!(one, null);
    }
}
