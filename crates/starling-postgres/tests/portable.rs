//! The portable form on a real PostgreSQL server: pages on a composite key cover every
//! row once, and an import refuses a database that is not empty, leaving it untouched.

use starling_core::settings::Secret;
use starling_core::{Content, EngagementAction, NewTweet};
use starling_postgres::testing::FreshDatabase;
use starling_postgres::{Postgres, PostgresConfig};
use starling_store::portable::{Cell, Row, RowSource, TABLES, Table};
use starling_store::*;

async fn open(db: &FreshDatabase) -> Postgres {
    Postgres::open(PostgresConfig {
        url: Secret::new(db.url.clone()),
        ..PostgresConfig::default()
    })
    .await
    .unwrap()
}

/// A source that must never be read.
struct Untouchable;

impl RowSource for Untouchable {
    fn page(&mut self, table: &Table, _: Option<&[Cell]>, _: usize) -> Result<Vec<Row>> {
        panic!("read {} from the source of a refused import", table.name)
    }
    fn totals(&mut self) -> Result<Totals> {
        panic!("read the totals of the source of a refused import")
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_cover_every_row_once_and_a_non_empty_target_is_refused() {
    let db = FreshDatabase::create().await;
    let store = open(&db).await;
    assert!(store.is_empty().await.unwrap());
    let mut users = Vec::new();
    for i in 0..5 {
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
        let tweet = store
            .create_tweet(CreateTweet {
                author: users[0].id,
                tweet: NewTweet::published(Content::parse(&format!("tweet {t}")).unwrap()),
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
    expected.sort();
    let likes = TABLES.iter().find(|t| t.name == "likes").unwrap();
    for page_size in [1, 4, 5, 100] {
        let mut seen = Vec::new();
        let mut after: Option<Row> = None;
        loop {
            let rows = store
                .page(likes, after.as_deref(), page_size)
                .await
                .unwrap();
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

    assert!(!store.is_empty().await.unwrap());
    let refused = store
        .import(&mut Untouchable, 10, &mut |_, _| {})
        .await
        .unwrap_err();
    assert!(format!("{:?}", std::error::Error::source(&refused)).contains("not empty"));
    assert_eq!(store.totals().await.unwrap().likes, 15);
    store.close().await.unwrap();
}
