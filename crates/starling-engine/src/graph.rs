//! Profiles and the social graph: who follows whom (with requests for protected
//! accounts), blocks and mutes. The store decides each change atomically with core's
//! rules; here are who may see what, and the caches a change makes stale.

use crate::*;
use starling_core::{Bio, DisplayName, GraphAction, Relationship};

/// A user named in a path: `123` (an id) or `@ada` (a username; usernames may be all
/// digits, so the `@` keeps the two apart).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserRef {
    Id(UserId),
    Username(String),
}

impl UserRef {
    /// `None` for anything that is neither a decimal id nor `@` and a username.
    pub fn parse(raw: &str) -> Option<UserRef> {
        match raw.strip_prefix('@') {
            Some(name) if !name.is_empty() && name.len() <= 64 => {
                Some(UserRef::Username(name.to_string()))
            }
            Some(_) => None,
            None => raw.parse().ok().map(UserRef::Id),
        }
    }
}

/// A profile as one viewer sees it.
#[derive(Debug, Clone)]
pub struct ProfileView {
    pub profile: Profile,
    /// How the viewer stands towards the user: with a viewer, for anyone but oneself.
    pub relationship: Option<Relationship>,
}

/// A page of users, with the position of the last for the next page.
#[derive(Debug, Clone)]
pub struct UserPage {
    pub items: Vec<Listed>,
    pub next: Option<(i64, UserId)>,
}

/// What a profile change asks for; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct ProfileEdit {
    pub display_name: Option<DisplayName>,
    pub bio: Option<Bio>,
    pub protected: Option<bool>,
}

impl Engine {
    pub async fn resolve_user(&self, who: &UserRef) -> Result<User> {
        let found = match who {
            UserRef::Id(id) => self.account_store().user(*id).await?,
            UserRef::Username(name) => self.account_store().user_by_username(name).await?,
        };
        found.ok_or(EngineError::Refused(Refusal::NotFound))
    }

    pub async fn profile(&self, viewer: Option<&User>, who: &UserRef) -> Result<ProfileView> {
        let user = self.resolve_user(who).await?;
        let profile = self
            .graph_store()
            .profile(user.id)
            .await?
            .ok_or(EngineError::Refused(Refusal::NotFound))?;
        let relationship = match viewer {
            Some(v) if v.id != user.id => {
                Some(self.graph_store().relationship(v.id, user.id).await?)
            }
            _ => None,
        };
        Ok(ProfileView {
            profile,
            relationship,
        })
    }

    pub async fn update_profile(&self, user: &User, edit: ProfileEdit) -> Result<ProfileView> {
        let renamed = edit.display_name.is_some();
        // Opening an account accepts its pending requests: new follows.
        let opened = edit.protected == Some(false);
        let profile = self
            .graph_store()
            .update_profile(ProfileChange {
                user: user.id,
                display_name: edit.display_name.map(|d| d.as_str().to_string()),
                bio: edit.bio.map(|b| b.as_str().to_string()),
                protected: edit.protected,
                now: self.clock.now(),
            })
            .await?;
        if opened {
            self.forget_viewers();
            self.wake_deliveries();
        }
        if renamed {
            // Cached tweets and sessions carry the author's old name; renames are rare.
            self.cache.clear();
            self.forget_user(user.id);
        }
        Ok(ProfileView {
            profile,
            relationship: None,
        })
    }

    /// `actor` follows, unfollows, blocks, … `who`; answers how the actor now stands.
    pub async fn act(
        &self,
        actor: &User,
        who: &UserRef,
        action: GraphAction,
    ) -> Result<Relationship> {
        let other = self.resolve_user(who).await?;
        self.act_on(actor, other.id, action).await
    }

    pub async fn act_on(
        &self,
        actor: &User,
        other: UserId,
        action: GraphAction,
    ) -> Result<Relationship> {
        let relationship = self
            .graph_store()
            .change_graph(GraphChange {
                actor: actor.id,
                other,
                action,
                now: self.clock.now(),
            })
            .await?;
        self.graph_changed(&[actor.id, other]);
        self.emit(Event::Graph(actor.id, other));
        match action {
            GraphAction::Follow | GraphAction::Accept => self.wake_deliveries(),
            // A mute only hides (reads leave them out), so an unmute shows them again.
            GraphAction::Unfollow => self.forget_author(actor.id, other).await,
            GraphAction::Block => {
                self.forget_author(actor.id, other).await;
                self.forget_author(other, actor.id).await;
            }
            _ => {}
        }
        Ok(relationship)
    }

    /// Accounts `viewer` might follow (the most followed they do not follow yet), for an
    /// empty home timeline.
    pub async fn suggestions(&self, viewer: &User, limit: usize) -> Result<Vec<Profile>> {
        Ok(self
            .graph_store()
            .suggestions(viewer.id, limit.clamp(1, 50))
            .await?)
    }

    /// The users whose tweets `user` is never sent live: those they block, those who
    /// block them, those they mute.
    pub async fn hidden_authors(&self, user: UserId) -> Result<Vec<UserId>> {
        let hidden = self.graph_store().hidden_authors(user).await?;
        Ok(hidden.blocked.into_iter().chain(hidden.muted).collect())
    }

    /// Followers or following of `who`. A protected account's lists are for itself and
    /// its followers; a user who blocks the viewer shows the viewer neither.
    pub async fn graph_list(
        &self,
        viewer: Option<&User>,
        who: &UserRef,
        list: UserList,
        before: Option<(i64, UserId)>,
        limit: usize,
    ) -> Result<UserPage> {
        let owner = self.resolve_user(who).await?;
        let own = viewer.is_some_and(|v| v.id == owner.id);
        if !own {
            let protected = self
                .graph_store()
                .profile(owner.id)
                .await?
                .is_some_and(|p| p.protected);
            let rel = match viewer {
                Some(v) => self.graph_store().relationship(v.id, owner.id).await?,
                None => Relationship::default(),
            };
            if rel.blocked_by || (protected && !rel.following) {
                return Err(Refusal::Hidden.into());
            }
        }
        self.own_list(owner.id, list, before, limit).await
    }

    /// One of `owner`'s own lists (requests, blocks, mutes: only they see these).
    pub async fn own_list(
        &self,
        owner: UserId,
        list: UserList,
        before: Option<(i64, UserId)>,
        limit: usize,
    ) -> Result<UserPage> {
        let mut items = self
            .graph_store()
            .list_users(UserListQuery {
                list,
                user: owner,
                before,
                limit: limit + 1,
            })
            .await?;
        let next = if items.len() > limit {
            items.truncate(limit);
            items.last().map(|l| (l.since, l.user.id))
        } else {
            None
        };
        Ok(UserPage { items, next })
    }

    /// Up to 10 users whose username or display name starts with `prefix`, for `@`
    /// completion; users the viewer blocks or is blocked by are left out.
    pub async fn search_users(&self, viewer: Option<&User>, prefix: &str) -> Result<Vec<User>> {
        Ok(self
            .graph_store()
            .search_users(prefix, viewer.map(|v| v.id), 10)
            .await?)
    }
}
