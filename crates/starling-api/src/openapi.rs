//! The OpenAPI document, generated from the router itself: [`crate::routes::api`] lists
//! each route once (utoipa-axum's `routes!`), and that one list both serves the requests
//! and documents them. `docs/openapi.json` is this document, committed; a test fails
//! when it is stale, and the web app's API types are generated from it.
//!
//! The annotations document what is particular to each handler (its success, 403, 404,
//! 409, ...). The answers that come from shared extractors and middleware are added to
//! every operation in one place, [`SharedResponses`], from the operation's shape: its
//! JSON body, its `{id}`, its query string, its bearer security. So a new handler gets
//! them by being annotated like the others, and the list cannot drift per handler.

use crate::{dto, error, routes};
use std::sync::OnceLock;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{Operation, ParameterIn, PathItem};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Required, ResponseBuilder};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "Starling", description = "A Twitter-like platform server. Prose contract: docs/API.md."),
    components(schemas(
        error::ErrorBody, error::ErrorDetail, dto::UserDto, dto::AuthResponse, dto::TweetDto, dto::AuthorDto,
        dto::EngagementDto, dto::VelocityDto, dto::EntitiesDto, dto::HashtagEntity, dto::MentionEntity,
        dto::UrlEntity, dto::CashtagEntity, dto::TweetPage, dto::TweetList, dto::VersionDto, dto::VersionList,
        dto::EventDto, dto::EventList, routes::sessions::SessionDto,
    )),
    tags((name = "accounts"), (name = "users"), (name = "tweets"), (name = "timelines"), (name = "notifications"), (name = "engagement"), (name = "stream"), (name = "operations"))
)]
pub(crate) struct Doc;

struct Bearer;

impl Modify for Bearer {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
        // The operator token, also sent as a bearer token (or none, from loopback).
        components.add_security_scheme(
            "operator",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

/// An id in a path (`{id}`, a tweet's or a session's): what the handlers accept without
/// `400 invalid_id` (a plain decimal number; one above 2^63-1 is still refused).
const ID_PATTERN: &str = "^[0-9]{1,19}$";

/// The error answers every operation may give because of the extractors and middleware
/// it goes through (`extract.rs`, `guard.rs`, `rate_limit.rs`, the global concurrency
/// bound in `lib.rs`), added to each operation by its shape. A status the handler
/// already documents keeps its description, with the shared reason appended.
struct SharedResponses;

impl Modify for SharedResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            let has_id = path.contains("{id}");
            for op in operations(item) {
                if has_id {
                    describe_id(op);
                    add(
                        op,
                        "400",
                        "`invalid_id`: the path id is not a decimal 64-bit number",
                        false,
                    );
                }
                if op.request_body.is_some() {
                    add(
                        op,
                        "400",
                        "`malformed_json`: the body is not JSON (or not UTF-8); \
                        `malformed_body`: the body could not be read",
                        false,
                    );
                    add(
                        op,
                        "413",
                        "`payload_too_large`: the body is over 64 KiB",
                        false,
                    );
                    add(
                        op,
                        "415",
                        "`unsupported_media_type`: the body was sent without \
                        `Content-Type: application/json`",
                        false,
                    );
                    add(
                        op,
                        "422",
                        "`validation_failed`: the body is JSON of the wrong shape, or a \
                        field breaks a rule; `field` names it",
                        false,
                    );
                }
                let has_query = op
                    .parameters
                    .iter()
                    .flatten()
                    .any(|p| matches!(p, RefOr::T(p) if p.parameter_in == ParameterIn::Query));
                if has_query {
                    add(
                        op,
                        "422",
                        "`validation_failed`: a query parameter is malformed or out of \
                        range; `field` names it",
                        false,
                    );
                }
                if uses_bearer(op) {
                    add(
                        op,
                        "401",
                        "`unauthorized`: no bearer token where one is required, or a \
                        token that is unknown or revoked",
                        false,
                    );
                }
                add(
                    op,
                    "408",
                    "`request_timeout`: the body did not arrive, or the answer was \
                    not ready, within the server's deadline",
                    false,
                );
                add(
                    op,
                    "429",
                    "`rate_limited`: too many requests from this address or token; \
                    retry after `Retry-After` seconds",
                    true,
                );
                add(
                    op,
                    "503",
                    "`overloaded`: too many requests in flight, or a full queue \
                    (writes, password hashing); retry after `Retry-After` seconds",
                    true,
                );
            }
        }
    }
}

fn operations(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.patch,
    ]
    .into_iter()
    .filter_map(Option::as_mut)
}

/// Whether the operation takes a bearer token, required or optional: an invalid one is
/// a 401 either way (`extract::Auth`, `extract::MaybeAuth`).
fn uses_bearer(op: &Operation) -> bool {
    // The requirement's map is private; its JSON form is `{"bearer": []}`.
    op.security.iter().flatten().any(|requirement| {
        serde_json::to_value(requirement)
            .ok()
            .and_then(|v| v.get("bearer").map(|_| ()))
            .is_some()
    })
}

fn describe_id(op: &mut Operation) {
    for p in op.parameters.iter_mut().flatten() {
        let RefOr::T(p) = p else { continue };
        if p.name == "id" && p.parameter_in == ParameterIn::Path {
            p.required = Required::True;
            p.description
                .get_or_insert_with(|| "A decimal 64-bit id.".to_string());
            p.schema = Some(RefOr::T(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .pattern(Some(ID_PATTERN))
                    .into(),
            ));
        }
    }
}

/// Document `status` with the JSON error body; `reason` joins the description of a
/// status the operation already has.
fn add(op: &mut Operation, status: &str, reason: &str, retry_after: bool) {
    // The line breaks of the literals above: one space each.
    let reason = reason.split_whitespace().collect::<Vec<_>>().join(" ");
    let responses = &mut op.responses.responses;
    if let Some(RefOr::T(existing)) = responses.get_mut(status) {
        if existing.description.is_empty() {
            existing.description = reason;
        } else if !existing.description.contains(&reason) {
            existing.description = format!("{}; {reason}", existing.description);
        }
        if existing.content.is_empty() {
            existing
                .content
                .insert("application/json".into(), RefOr::T(error_content()));
        }
        if retry_after {
            existing
                .headers
                .entry("Retry-After".into())
                .or_insert_with(|| RefOr::T(retry_after_header()));
        }
        return;
    }
    let mut response = ResponseBuilder::new()
        .description(reason)
        .content("application/json", error_content());
    if retry_after {
        response = response.header("Retry-After", retry_after_header());
    }
    responses.insert(status.to_string(), RefOr::T(response.build()));
}

fn error_content() -> utoipa::openapi::Content {
    ContentBuilder::new()
        .schema(Some(Ref::from_schema_name("ErrorBody")))
        .build()
}

fn retry_after_header() -> utoipa::openapi::header::Header {
    HeaderBuilder::new()
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(1)),
        ))
        .description(Some("Seconds to wait before retrying."))
        .build()
}

/// The document: the paths the router serves, with the shared answers and security
/// schemes added to every operation.
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, mut doc) = routes::api().split_for_parts();
    Bearer.modify(&mut doc);
    SharedResponses.modify(&mut doc);
    doc
}

/// [`document`] as JSON, built once.
pub fn document_json() -> &'static str {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| {
        document()
            .to_pretty_json()
            .expect("the document serializes")
    })
}

#[cfg(test)]
mod tests {
    /// `docs/openapi.json` is the document the router generates. When a route, DTO or
    /// error code changes, regenerate it with
    /// `UPDATE_OPENAPI=1 cargo test -p starling-api committed_document` (and the web
    /// types with `npm --prefix web run gen:api`).
    #[test]
    fn the_committed_document_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/openapi.json");
        let current = format!("{}\n", super::document_json());
        if std::env::var_os("UPDATE_OPENAPI").is_some() {
            std::fs::write(path, &current).expect("write docs/openapi.json");
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == current,
            "docs/openapi.json is stale: run `UPDATE_OPENAPI=1 cargo test -p starling-api \
             committed_document` and `npm --prefix web run gen:api`, and commit both"
        );
    }

    /// Clients generate one function per operation: two operations with one id (utoipa
    /// names each after its handler) break them.
    #[test]
    fn operation_ids_are_unique() {
        let doc: serde_json::Value = serde_json::from_str(super::document_json()).unwrap();
        let mut seen = std::collections::BTreeMap::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                if let Some(id) = op["operationId"].as_str() {
                    let here = format!("{method} {path}");
                    if let Some(first) = seen.insert(id.to_owned(), here.clone()) {
                        panic!("operationId {id:?} is used by {first} and {here}");
                    }
                }
            }
        }
    }
}
