//! The behaviour every [`Store`] backend must show, one module per aggregate.
//!
//! Each check is an `async fn` taking a fresh, empty store. A backend runs them all with
//! [`conformance_tests!`](crate::conformance_tests), so SQLite and PostgreSQL are held to
//! one definition of correct. Compiled only with the `conformance` feature, which
//! backends turn on for their tests.
//!
//! The list of checks lives in one place, [`for_each_check!`](crate::for_each_check), and
//! a test of this crate fails when a check is written but not listed there: a new check
//! cannot silently not run.

pub mod accounts;
pub mod audience;
pub mod engagement;
pub mod graph;
pub mod media;
pub mod timelines;
pub mod tweets;

use crate::*;
use starling_core::{
    Action, Content, EngagementAction, IdempotencyKey, NewTweet, Refusal, TweetState, Visibility,
};
use std::sync::Arc;

/// The one list of conformance checks; `$mode` says what to make of it (`tests` with a
/// store factory, or `names`).
#[doc(hidden)]
#[macro_export]
macro_rules! for_each_check {
    ($mode:ident $(, $factory:path)?) => {
        $crate::__checks! { $mode $(, $factory)?;
            accounts::users_are_unique_case_insensitively,
            accounts::sessions_resolve_until_revoked,
            tweets::create_and_read_back,
            tweets::many_read_at_once_as_one_by_one,
            tweets::identical_content_is_stored_once,
            tweets::idempotency_key_returns_the_original,
            tweets::edits_keep_every_version,
            tweets::stale_expected_version_conflicts,
            tweets::only_the_author_writes,
            tweets::lifecycle_and_audit_trail,
            tweets::restore_makes_a_new_version,
            tweets::concurrent_edits_are_contiguous,
            tweets::replies_count_on_the_parent,
            tweets::listing_pages_newest_first,
            tweets::hashtag_and_author_filters,
            tweets::a_draft_published_later_lists_as_new,
            tweets::a_missing_author_fails_alone,
            engagement::likes_are_per_user_and_idempotent,
            engagement::concurrent_likes_are_exact,
            engagement::concurrent_mixed_engagement_keeps_counters_exact,
            engagement::views_accumulate,
            engagement::engagement_on_hidden_or_read_only_tweets,
            engagement::totals_match_rows,
            graph::profiles_change_and_count_public_tweets,
            graph::follows_are_idempotent_and_counted,
            graph::protected_accounts_approve_followers,
            graph::blocks_cut_follows_both_ways_and_refuse_new_ones,
            graph::lists_page_newest_first_and_search_matches_prefixes,
            graph::concurrent_follows_and_unfollows_keep_counts_exact,
            graph::a_block_racing_follows_leaves_no_follow,
            audience::visibility_conversation_and_mentions_are_kept,
            audience::lists_filter_by_visibility_and_replies,
            audience::relationships_in_bulk_and_hidden_authors,
            audience::conversations_read_whole_and_bounded,
            audience::retweets_are_entries_and_quotes_count,
            audience::engagement_is_decided_by_the_whole_policy,
            timelines::deliveries_are_recorded_with_their_writes,
            timelines::concurrent_claims_never_share,
            timelines::timelines_read_from_the_truth,
            timelines::suggestions_leave_out_the_followed_and_hidden,
            timelines::notifications_once_grouped_filtered_and_marked,
            media::media_are_processed_described_and_never_stuck,
            media::tweets_carry_media_in_every_version,
            media::concurrent_tweets_take_an_item_once,
            media::sweeps_delete_only_what_no_tweet_holds
        }
    };
}

/// Instantiate every conformance check as a `#[tokio::test]`.
///
/// `$factory` is an async fn returning `(Arc<dyn Store>, G)`, where `G` keeps the
/// backend's resources (a temporary directory, a database) alive for the test.
#[macro_export]
macro_rules! conformance_tests {
    ($factory:path) => {
        $crate::for_each_check!(tests, $factory);
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __checks {
    (tests, $factory:path; $($module:ident :: $name:ident),+ $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let (store, _guard) = $factory().await;
                $crate::conformance::$module::$name(store).await;
            }
        )+
    };
    (names; $($module:ident :: $name:ident),+ $(,)?) => {
        &[$(concat!(stringify!($module), "::", stringify!($name))),+]
    };
}

/// Every check, as `module::name`.
pub const CHECKS: &[&str] = crate::for_each_check!(names);

type S = Arc<dyn Store>;

fn content(text: &str) -> Content {
    Content::parse(text).expect("valid test content")
}

async fn user(store: &S, name: &str) -> User {
    store
        .create_user(NewUser {
            username: name.to_string(),
            display_name: name.to_uppercase(),
            password_hash: format!("hash-of-{name}"),
            now: 1_000,
        })
        .await
        .expect("create user")
}

fn new_tweet(author: &User, text: &str) -> CreateTweet {
    CreateTweet {
        author: author.id,
        tweet: NewTweet::published(content(text)),
        placed: Placement::default(),
        now: 2_000,
    }
}

async fn post(store: &S, author: &User, text: &str) -> TweetRecord {
    store
        .create_tweet(new_tweet(author, text))
        .await
        .expect("create tweet")
        .tweet
}

async fn edit(store: &S, t: &TweetRecord, actor: &User, text: &str) -> Result<TweetRecord> {
    store
        .edit_tweet(EditTweet {
            id: t.id,
            actor: actor.id,
            content: content(text),
            mentions: Arc::from([]),
            expected_version: None,
            media: None,
            now: 3_000,
        })
        .await
        .map(|c| c.tweet)
}

async fn toggle(store: &S, t: TweetId, u: &User, action: EngagementAction) -> Result<Engaged> {
    store
        .engage(Engage {
            id: t,
            user: u.id,
            action,
            now: 4_000,
        })
        .await
}

async fn transition(store: &S, t: TweetId, u: &User, action: Action) -> Result<TweetRecord> {
    store
        .transition(Transition {
            id: t,
            actor: u.id,
            action,
            now: 5_000,
        })
        .await
        .map(|c| c.tweet)
}

#[cfg(test)]
mod tests {
    /// Every `pub async fn` in a check module is listed in `for_each_check!`, and every
    /// listed check exists (the compiler sees to that part).
    #[test]
    fn every_check_is_listed() {
        let sources = [
            ("accounts", include_str!("accounts.rs")),
            ("audience", include_str!("audience.rs")),
            ("engagement", include_str!("engagement.rs")),
            ("graph", include_str!("graph.rs")),
            ("media", include_str!("media.rs")),
            ("timelines", include_str!("timelines.rs")),
            ("tweets", include_str!("tweets.rs")),
        ];
        let mut written: Vec<String> = sources
            .iter()
            .flat_map(|(module, src)| {
                src.lines()
                    .filter_map(|l| l.strip_prefix("pub async fn "))
                    .map(move |rest| format!("{module}::{}", rest.split('(').next().unwrap()))
            })
            .collect();
        written.sort();
        // A new check module must be added to `sources` too, or its checks go unseen here.
        let mut modules: Vec<&str> = include_str!("mod.rs")
            .lines()
            .filter_map(|l| l.strip_prefix("pub mod "))
            .map(|rest| rest.trim_end_matches(';'))
            .collect();
        modules.sort();
        let read: Vec<&str> = sources.iter().map(|(module, _)| *module).collect();
        assert_eq!(modules, read, "a check module is not read by this test");
        let mut listed: Vec<String> = super::CHECKS.iter().map(|s| s.to_string()).collect();
        listed.sort();
        assert_eq!(
            written, listed,
            "a conformance check is written but not listed"
        );
    }
}
