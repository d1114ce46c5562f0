//! Users and sessions.

use super::*;

pub async fn users_are_unique_case_insensitively(store: S) {
    let ada = user(&store, "Ada").await;
    assert_eq!(ada.username, "Ada");
    let dup = store
        .create_user(NewUser {
            username: "ADA".into(),
            display_name: "x".into(),
            password_hash: "h".into(),
            now: 1,
        })
        .await;
    assert_eq!(dup.unwrap_err(), Refusal::UsernameTaken);
    let (found, hash) = store.credentials("aDa").await.unwrap().expect("found");
    assert_eq!(found, ada);
    assert_eq!(hash, "hash-of-Ada");
    assert_eq!(
        store.user_by_username("ada").await.unwrap(),
        Some(ada.clone())
    );
    assert_eq!(store.user(ada.id).await.unwrap(), Some(ada));
    assert!(store.credentials("nobody").await.unwrap().is_none());
}

pub async fn sessions_resolve_until_revoked(store: S) {
    let ada = user(&store, "ada").await;
    let bob = user(&store, "bob").await;
    let open = |hash: u8, user: UserId| {
        let store = store.clone();
        async move {
            store
                .create_session(NewSession {
                    token_hash: [hash; 32],
                    user,
                    now: 10,
                    expires_at: 1_000,
                })
                .await
                .unwrap()
        }
    };
    let first = open(1, ada.id).await;
    let second = open(2, ada.id).await;
    let bobs = open(3, bob.id).await;
    let (found, session) = store.session_by_token([1; 32]).await.unwrap().unwrap();
    assert_eq!((found, session.clone()), (ada.clone(), first.clone()));
    assert_eq!(store.session_by_token([9; 32]).await.unwrap(), None);
    store.renew_session(first.id, 50, 2_000).await.unwrap();
    let (_, renewed) = store.session_by_token([1; 32]).await.unwrap().unwrap();
    assert_eq!((renewed.last_used_at, renewed.expires_at), (50, 2_000));
    let listed: Vec<SessionId> = store
        .sessions(ada.id)
        .await
        .unwrap()
        .iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(listed, [second.id, first.id], "newest first, own only");
    // Another user's session cannot be revoked by id.
    assert_eq!(
        store
            .delete_sessions(RevokeSessions::One {
                user: ada.id,
                id: bobs.id
            })
            .await
            .unwrap_err(),
        Refusal::NotFound
    );
    let gone = store
        .delete_sessions(RevokeSessions::Token([1; 32]))
        .await
        .unwrap();
    assert_eq!(gone.len(), 1);
    assert_eq!(store.session_by_token([1; 32]).await.unwrap(), None);
    open(4, ada.id).await;
    let gone = store
        .delete_sessions(RevokeSessions::AllOf(ada.id))
        .await
        .unwrap();
    assert_eq!(gone.len(), 2);
    assert!(store.sessions(ada.id).await.unwrap().is_empty());
    assert!(store.session_by_token([3; 32]).await.unwrap().is_some());
}
