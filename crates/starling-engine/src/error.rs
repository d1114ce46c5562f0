//! Why an engine call did not do what was asked.

use starling_core::{Refusal, ValidationError};
use starling_store::StoreError;
use std::sync::Arc;

/// Why an engine call did not do what was asked: the domain's [`Refusal`], passed on
/// unchanged from wherever it was decided (the store's transaction or the engine), or a
/// failure of the machinery. The HTTP layer maps each to one status code, in one place.
#[derive(Debug, Clone, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// A bounded queue is full (storage, password hashing); retry later.
    #[error("the server is overloaded")]
    Overloaded,
    /// A bug or an I/O failure, with its source for the logs; never shown to clients.
    #[error("internal error")]
    Internal(#[source] Arc<dyn std::error::Error + Send + Sync>),
}

impl EngineError {
    pub(crate) fn internal(source: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Internal(Arc::new(source))
    }

    /// The refusal, when the domain refused.
    pub fn refusal(&self) -> Option<&Refusal> {
        match self {
            EngineError::Refused(r) => Some(r),
            _ => None,
        }
    }
}

impl From<StoreError> for EngineError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Refused(r) => EngineError::Refused(r),
            StoreError::Overloaded => EngineError::Overloaded,
            internal @ StoreError::Internal(_) => EngineError::Internal(Arc::new(internal)),
        }
    }
}

impl From<ValidationError> for EngineError {
    fn from(e: ValidationError) -> Self {
        EngineError::Refused(Refusal::Invalid(e))
    }
}

/// Tests compare outcomes with the refusal they expect.
impl PartialEq<Refusal> for EngineError {
    fn eq(&self, other: &Refusal) -> bool {
        self.refusal() == Some(other)
    }
}

pub type Result<T, E = EngineError> = std::result::Result<T, E>;
