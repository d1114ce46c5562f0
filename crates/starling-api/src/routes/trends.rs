use crate::AppState;
use crate::dto::{TweetDto, TweetList};
use crate::error::{ApiError, ApiResult};
use crate::extract::{MaybeAuth, QueryParams};
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TrendParams {
    /// 1-100, default 10.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
}

#[utoipa::path(get, path = "/api/trends/tweets", tag = "engagement", security((), ("bearer" = [])),
    params(TrendParams), responses((status = 200, body = TweetList)))]
pub async fn tweets(
    State(state): State<AppState>,
    viewer: MaybeAuth,
    QueryParams(p): QueryParams<TrendParams>,
) -> ApiResult<Response> {
    let limit = match p.limit {
        None => 10,
        Some(n @ 1..=100) => n as usize,
        Some(_) => {
            return Err(ApiError::validation(
                "limit",
                "limit must be between 1 and 100",
            ));
        }
    };
    let items = state.engine.trends(limit, viewer.viewer()).await?;
    Ok(Json(TweetList {
        items: items.iter().map(TweetDto::from).collect(),
    })
    .into_response())
}
