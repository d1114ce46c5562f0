//! The API tests: one binary, a module per area, every test through real HTTP against
//! the server on the storage backend under test (`STARLING_TEST_BACKEND`, see
//! `support::Backend`).

#[path = "../support/mod.rs"]
mod support;

mod accounts;
mod audience;
mod bad_input;
mod concurrency;
mod connections;
mod hardening;
mod home;
mod media;
mod notifications;
mod retweets;
mod slow_stream;
mod stream;
mod threads;
mod tweets;
mod users;
mod web;
