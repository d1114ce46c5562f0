//! The social graph's rules as pure functions: what one user doing something about
//! another changes (follows, requests, blocks, mutes), decided from how the two stand
//! before. Every backend reads that state inside its transaction (with both users'
//! rows locked where several writers race), calls [`plan`], and applies the effects:
//! the rules are written once.

use crate::{Refusal, UserId, ValidationError};

/// How one user stands towards another, as the first sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Relationship {
    /// The first follows the second.
    pub following: bool,
    /// The second follows the first.
    pub followed_by: bool,
    /// The first asked to follow the second (protected) and waits.
    pub requested: bool,
    /// The second asked to follow the first and waits.
    pub requested_by: bool,
    pub blocking: bool,
    pub blocked_by: bool,
    pub muting: bool,
}

/// Something one user does about another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphAction {
    /// Follow, or ask to (a protected account). Already following or asked: nothing.
    Follow,
    /// Unfollow, or withdraw a request.
    Unfollow,
    /// Removes follows and requests both ways.
    Block,
    Unblock,
    Mute,
    Unmute,
    /// The actor accepts the other's follow request.
    Accept,
    /// The actor turns the other's follow request down.
    Reject,
}

/// A kind of directed edge between two users.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    Follow,
    Request,
    Block,
    Mute,
}

/// One row to add or remove: `edge` from `from` to `to`. Adding or removing a follow
/// moves `from`'s following count and `to`'s follower count with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Add(Edge, UserId, UserId),
    Remove(Edge, UserId, UserId),
}

/// What `actor` doing `action` about `other` changes, given how they stand (`before`,
/// as the actor sees it) and whether `other` is protected. Acting on oneself is invalid;
/// following across a block, either way, is refused.
pub fn plan(
    actor: UserId,
    other: UserId,
    action: GraphAction,
    before: Relationship,
    other_protected: bool,
) -> Result<Vec<Effect>, Refusal> {
    use Edge::*;
    use Effect::*;
    if actor == other {
        // Nobody asks to follow themselves: there is no such request to answer.
        if matches!(action, GraphAction::Accept | GraphAction::Reject) {
            return Err(Refusal::NotFound);
        }
        return Err(ValidationError::new("user", "you cannot do this to yourself").into());
    }
    let (a, o) = (actor, other);
    let mut effects = Vec::new();
    match action {
        GraphAction::Follow => {
            if before.blocking || before.blocked_by {
                return Err(Refusal::Blocked);
            }
            if !before.following && !before.requested {
                effects.push(Add(if other_protected { Request } else { Follow }, a, o));
            }
        }
        GraphAction::Unfollow => {
            if before.following {
                effects.push(Remove(Follow, a, o));
            }
            if before.requested {
                effects.push(Remove(Request, a, o));
            }
        }
        GraphAction::Block => {
            if !before.blocking {
                effects.push(Add(Block, a, o));
            }
            for (present, effect) in [
                (before.following, Remove(Follow, a, o)),
                (before.followed_by, Remove(Follow, o, a)),
                (before.requested, Remove(Request, a, o)),
                (before.requested_by, Remove(Request, o, a)),
            ] {
                if present {
                    effects.push(effect);
                }
            }
        }
        GraphAction::Unblock => {
            if before.blocking {
                effects.push(Remove(Block, a, o));
            }
        }
        GraphAction::Mute => {
            if !before.muting {
                effects.push(Add(Mute, a, o));
            }
        }
        GraphAction::Unmute => {
            if before.muting {
                effects.push(Remove(Mute, a, o));
            }
        }
        GraphAction::Accept => {
            if !before.requested_by {
                return Err(Refusal::NotFound);
            }
            effects.push(Remove(Request, o, a));
            if before.blocking || before.blocked_by {
                return Err(Refusal::Blocked);
            }
            if !before.followed_by {
                effects.push(Add(Follow, o, a));
            }
        }
        GraphAction::Reject => {
            if !before.requested_by {
                return Err(Refusal::NotFound);
            }
            effects.push(Remove(Request, o, a));
        }
    }
    Ok(effects)
}

/// How the actor stands towards the other once `effects` (from [`plan`]) are applied.
pub fn after(actor: UserId, mut rel: Relationship, effects: &[Effect]) -> Relationship {
    for effect in effects {
        let (present, edge, from) = match *effect {
            Effect::Add(edge, from, _) => (true, edge, from),
            Effect::Remove(edge, from, _) => (false, edge, from),
        };
        let mine = from == actor;
        let flag = match (edge, mine) {
            (Edge::Follow, true) => &mut rel.following,
            (Edge::Follow, false) => &mut rel.followed_by,
            (Edge::Request, true) => &mut rel.requested,
            (Edge::Request, false) => &mut rel.requested_by,
            (Edge::Block, true) => &mut rel.blocking,
            (Edge::Block, false) => &mut rel.blocked_by,
            (Edge::Mute, true) => &mut rel.muting,
            // Nobody plans a mute on another's behalf.
            (Edge::Mute, false) => continue,
        };
        *flag = present;
    }
    rel
}

#[cfg(test)]
mod tests {
    use super::*;
    use Edge::*;
    use Effect::*;

    const A: UserId = UserId(1);
    const B: UserId = UserId(2);

    #[test]
    fn follow_asks_a_protected_account_and_is_refused_across_a_block() {
        let none = Relationship::default();
        assert_eq!(
            plan(A, B, GraphAction::Follow, none, false),
            Ok(vec![Add(Follow, A, B)])
        );
        assert_eq!(
            plan(A, B, GraphAction::Follow, none, true),
            Ok(vec![Add(Request, A, B)])
        );
        let following = Relationship {
            following: true,
            ..none
        };
        assert_eq!(plan(A, B, GraphAction::Follow, following, true), Ok(vec![]));
        for blocked in [
            Relationship {
                blocking: true,
                ..none
            },
            Relationship {
                blocked_by: true,
                ..none
            },
        ] {
            assert_eq!(
                plan(A, B, GraphAction::Follow, blocked, false),
                Err(Refusal::Blocked)
            );
        }
        assert!(matches!(
            plan(A, A, GraphAction::Follow, none, false),
            Err(Refusal::Invalid(_))
        ));
    }

    #[test]
    fn a_block_removes_follows_and_requests_both_ways() {
        let all = Relationship {
            following: true,
            followed_by: true,
            requested: true,
            requested_by: true,
            ..Relationship::default()
        };
        let effects = plan(A, B, GraphAction::Block, all, false).unwrap();
        assert_eq!(
            effects,
            vec![
                Add(Block, A, B),
                Remove(Follow, A, B),
                Remove(Follow, B, A),
                Remove(Request, A, B),
                Remove(Request, B, A)
            ]
        );
        let rel = after(A, all, &effects);
        assert_eq!(
            rel,
            Relationship {
                blocking: true,
                ..Relationship::default()
            }
        );
    }

    #[test]
    fn accepting_needs_a_request_and_makes_the_follow() {
        let none = Relationship::default();
        assert_eq!(
            plan(A, B, GraphAction::Accept, none, false),
            Err(Refusal::NotFound)
        );
        let asked = Relationship {
            requested_by: true,
            ..none
        };
        let effects = plan(A, B, GraphAction::Accept, asked, false).unwrap();
        assert_eq!(effects, vec![Remove(Request, B, A), Add(Follow, B, A)]);
        assert_eq!(
            after(A, asked, &effects),
            Relationship {
                followed_by: true,
                ..none
            }
        );
        assert_eq!(
            plan(A, B, GraphAction::Reject, asked, false),
            Ok(vec![Remove(Request, B, A)])
        );
    }
}
