//! The OpenAPI document, generated from the handlers' annotations.

use crate::{dto, error, routes};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "Starling", description = "A Twitter-like platform server. Prose contract: docs/API.md."),
    paths(
        routes::auth::register, routes::auth::login, routes::auth::logout, routes::auth::me,
        routes::me::own_tweets,
        routes::tweets::create, routes::tweets::list, routes::tweets::get, routes::tweets::edit,
        routes::tweets::delete, routes::tweets::publish, routes::tweets::archive, routes::tweets::restore,
        routes::tweets::versions, routes::tweets::events, routes::tweets::engage,
        routes::trends::tweets, routes::stream::stream,
        routes::system::health, routes::system::stats, routes::system::metrics, routes::system::openapi,
    ),
    components(schemas(
        error::ErrorBody, error::ErrorDetail, dto::UserDto, dto::AuthResponse, dto::TweetDto, dto::AuthorDto,
        dto::EngagementDto, dto::VelocityDto, dto::EntitiesDto, dto::HashtagEntity, dto::MentionEntity,
        dto::UrlEntity, dto::CashtagEntity, dto::TweetPage, dto::TweetList, dto::VersionDto, dto::VersionList,
        dto::EventDto, dto::EventList,
    )),
    modifiers(&Bearer),
    tags((name = "accounts"), (name = "tweets"), (name = "engagement"), (name = "stream"), (name = "operations"))
)]
struct Doc;

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

pub fn document() -> utoipa::openapi::OpenApi {
    Doc::openapi()
}
