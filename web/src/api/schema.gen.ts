/**
 * GENERATED FILE: do not edit. openapi-typescript's rendering of docs/openapi.json, the
 * server's OpenAPI document. Regenerate with `npm --prefix web run gen:api` (web/scripts/gen-api.mjs)
 * after the document changes; test/apiSchema.test.ts fails while this file is stale.
 */

export interface paths {
    "/api/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/logout-all": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["logout_all"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["register"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["me"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch: operations["update_me"];
        trace?: never;
    };
    "/api/me/blocks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["blocks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/follow-requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["follow_requests"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/follow-requests/{userId}/accept": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["accept"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/follow-requests/{userId}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["reject"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/mutes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["mutes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["list_sessions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/sessions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: operations["revoke"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/tweets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["own_tweets"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/media": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["upload_media"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/media/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get_media"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch: operations["describe_media"];
        trace?: never;
    };
    "/api/notifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["list_notifications"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/notifications/read": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["mark_read"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/notifications/unread-count": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["unread_count"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["openapi"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["stream"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/timelines/home": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["home"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/timelines/public": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["public"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/trends/tweets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["tweets"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tweets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["list"];
        put?: never;
        post: operations["create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tweets/lookup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["lookup"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tweets/system/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["stats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tweets/views": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["views"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tweets/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["get"];
        put: operations["edit"];
        post?: never;
        delete: operations["delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tweets/{id}/archive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["archive"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tweets/{id}/engagement": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["engage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tweets/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["events"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tweets/{id}/publish": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["publish"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tweets/{id}/quotes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["quotes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tweets/{id}/restore": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["restore"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tweets/{id}/retweet": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["retweet"];
        delete: operations["unretweet"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tweets/{id}/thread": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["thread"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tweets/{id}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["versions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["search"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/users/suggestions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["suggestions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/users/{user}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["profile"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/users/{user}/block": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["block"];
        delete: operations["unblock"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/users/{user}/follow": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["follow"];
        delete: operations["unfollow"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/users/{user}/followers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["followers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/users/{user}/following": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["following"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/users/{user}/mute": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["mute"];
        delete: operations["unmute"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/users/{user}/tweets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["user_tweets"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["metrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        AncestorDto: components["schemas"]["TweetDto"] | components["schemas"]["UnavailableDto"];
        AuthResponse: {
            /** @description Bearer token for `Authorization: Bearer <token>`. */
            token: string;
            user: components["schemas"]["UserDto"];
        };
        AuthorDto: {
            displayName: string;
            id: string;
            username: string;
        };
        CashtagEntity: {
            cashtag: string;
            indices: number[];
        };
        CountsDto: {
            /** Format: int64 */
            followers: number;
            /** Format: int64 */
            following: number;
            /**
             * Format: int64
             * @description Tweets in public view (published or edited).
             */
            tweets: number;
        };
        /** @description `POST /api/tweets` as a form: the text and its files in one request. */
        CreateTweetForm: {
            /** @description One description per file, in the files' order. */
            altText: string[];
            /** @description As in the JSON form; may be empty with files. */
            content?: string | null;
            /** @description `true` or `false`. */
            draft?: boolean | null;
            /** @description Up to 4 images, or 1 GIF, or 1 video (the same types and limits as `POST /api/media`). */
            media: string[];
            quoteOfId?: string | null;
            replyToId?: string | null;
            visibility?: components["schemas"]["Visibility"] | null;
        };
        CreateTweetRequest: {
            /**
             * @description Weighted length 1-280 (Twitter's configuration v3), with a visible character; no
             *     control characters other than tab and line breaks, no bidirectional overrides
             *     or isolates. May be empty when the tweet carries media.
             */
            content: string;
            draft?: boolean;
            /**
             * @description Uploaded media to attach, in order: up to 4 images, or 1 GIF, or 1 video, each
             *     the caller's, ready, and on no other tweet. With media, `content` may be empty.
             */
            mediaIds?: string[];
            /** @description The tweet to quote: one the caller may see and engage with, `public` or `unlisted`. */
            quoteOfId?: string | null;
            /** @description A public (published or edited) tweet's id. */
            replyToId?: string | null;
            visibility?: components["schemas"]["Visibility"] | null;
        };
        DeliveryLatency: {
            /** Format: int64 */
            p50: number;
            /** Format: int64 */
            p99: number;
        };
        DescribeRequest: {
            /** @description At most 1,500 characters (may be empty). */
            altText: string;
        };
        EditTweetRequest: {
            /**
             * @description Weighted length 1-280 (Twitter's configuration v3), with a visible character; no
             *     control characters other than tab and line breaks, no bidirectional overrides
             *     or isolates. May be empty when the tweet carries media.
             */
            content: string;
            /**
             * Format: int64
             * @description The version the edit is based on: `409 version_conflict` when stale.
             */
            expectedVersion?: number | null;
            /** @description The new version's media, in order (absent: the current version's, unchanged). */
            mediaIds?: string[] | null;
        };
        /**
         * @description An engagement action.
         * @enum {string}
         */
        EngagementAction: "like" | "unlike" | "retweet" | "unretweet" | "view";
        EngagementDto: {
            likedByCurrentUser: boolean;
            /** Format: int64 */
            likes: number;
            /** Format: int64 */
            quotes: number;
            /** Format: int64 */
            replies: number;
            retweetedByCurrentUser: boolean;
            /** Format: int64 */
            retweets: number;
            velocity: components["schemas"]["VelocityDto"];
            /** Format: int64 */
            views: number;
        };
        EngagementRequest: {
            action: components["schemas"]["EngagementAction"];
        };
        EngagementTotals: {
            /** Format: int64 */
            likes: number;
            /** Format: int64 */
            replies: number;
            /** Format: int64 */
            retweets: number;
            /** Format: int64 */
            views: number;
        };
        /** @description Entities extracted from the current content (stored as JSON with the body). */
        EntitiesDto: {
            cashtags: components["schemas"]["CashtagEntity"][];
            hashtags: components["schemas"]["HashtagEntity"][];
            mentions: components["schemas"]["MentionEntity"][];
            urls: components["schemas"]["UrlEntity"][];
        };
        ErrorBody: {
            error: components["schemas"]["ErrorDetail"];
        };
        /**
         * @description Every error code the API answers with, in one place. Each variant's doc names its
         *     status; on the wire it is the snake_case name (`"not_found"`), listed as an enum in
         *     the OpenAPI document, so a client can match on it exhaustively.
         * @enum {string}
         */
        ErrorCode: "malformed_json" | "malformed_body" | "invalid_id" | "invalid_cursor" | "unauthorized" | "invalid_credentials" | "forbidden" | "not_found" | "method_not_allowed" | "request_timeout" | "version_conflict" | "illegal_transition" | "username_taken" | "read_only" | "blocked" | "payload_too_large" | "unsupported_media_type" | "validation_failed" | "rate_limited" | "too_many_attempts" | "overloaded" | "media_not_found" | "media_not_ready" | "media_in_use" | "media_attached" | "invalid_media_set" | "invalid_media" | "internal";
        ErrorDetail: {
            /** @description Stable, machine-readable code (see docs/API.md). */
            code: components["schemas"]["ErrorCode"];
            /** @description The request field at fault, for validation errors. */
            field?: string | null;
            message: string;
        };
        EventDto: {
            actorId: string;
            contentHash: string;
            createdAt: string;
            /** Format: int64 */
            seq: number;
            type: components["schemas"]["EventType"];
            /** Format: int64 */
            version: number;
        };
        EventList: {
            items: components["schemas"]["EventDto"][];
        };
        /**
         * @description What happened to a tweet, in its audit trail.
         * @enum {string}
         */
        EventType: "created" | "edited" | "published" | "archived" | "deleted" | "restored";
        /** @description An entity's position: `[start, end)` in Unicode code points. */
        HashtagEntity: {
            indices: number[];
            tag: string;
        };
        Health: {
            status: string;
            /** Format: int64 */
            uptimeSeconds: number;
            version: string;
        };
        HomeClusterStats: {
            /** Format: int64 */
            deliveries: number;
            /** Format: int64 */
            rebuilds: number;
        };
        /** @description A page of the home timeline. */
        HomePageDto: {
            items: components["schemas"]["TweetDto"][];
            /** @description Pass as `cursor` for the next page; null at the end. */
            nextCursor: string | null;
            /**
             * @description The stored timeline could not be rebuilt in time: this page may miss tweets
             *     (asking again later gives the whole page).
             */
            partial: boolean;
        };
        /** @description Home-timeline delivery: how far behind it is and how fast it goes. */
        HomeStatsDto: {
            /**
             * Format: int64
             * @description Deliveries waiting in the outbox (every node's).
             */
            backlog: number;
            /**
             * Format: int64
             * @description Age of the oldest waiting delivery, ms (0 when none waits).
             */
            backlogAgeMs: number;
            cluster: components["schemas"]["HomeClusterStats"] | null;
            /**
             * Format: int64
             * @description Posts and follows this node delivered since start.
             */
            delivered: number;
            /**
             * Format: int64
             * @description Timeline deliveries this node made since start (one per follower reached).
             */
            deliveries: number;
            /** Format: int64 */
            entries: number | null;
            /** @description Write → delivered into follower timelines, over this node's last 4,096, ms. */
            latencyMs: components["schemas"]["DeliveryLatency"];
            /**
             * Format: int64
             * @description Heap bytes the stored timelines hold in this process (entries, rings and map
             *     slots, the allocator's overhead aside); null when stored in Redis.
             */
            memoryBytes: number | null;
            /**
             * Format: int64
             * @description Authors with more followers than this are merged into timelines when read,
             *     not fanned out to (`engine.home.merge-threshold`).
             */
            mergeThreshold: number;
            /**
             * Format: int64
             * @description Timelines rebuilt from the store since start.
             */
            rebuilds: number;
            /**
             * Format: int64
             * @description Stored in this process's memory; null when stored in Redis.
             */
            timelines: number | null;
        };
        LatencyStats: {
            /** Format: double */
            p50: number;
            /** Format: double */
            p95: number;
            /** Format: double */
            p99: number;
        };
        /** @description A user in a list: who, and since when they are in it. */
        ListedUserDto: {
            displayName: string;
            /** @example 7254916781490176 */
            id: string;
            /** @description When they followed, asked, were blocked or muted. */
            since: string;
            username: string;
        };
        LoginRequest: {
            password: string;
            username: string;
        };
        /** @description The tweets among the asked ids the caller may read, as they are now. */
        LookupDto: {
            /** @description In the order asked. */
            items: components["schemas"]["TweetDto"][];
            /**
             * @description Ids with no tweet the caller may read (deleted, archived or hidden: one answer
             *     for all, as `GET /api/tweets/{id}` gives `not_found` for each).
             */
            missing: string[];
        };
        MarkRead: {
            /** @description A notification (or group) id: it and every older one are read. Absent: all. */
            upTo?: string | null;
        };
        MatchedUserDto: {
            displayName: string;
            /** @example 7254916781490176 */
            id: string;
            username: string;
        };
        /** @description A media item: an upload being processed, or what a tweet version carries. */
        MediaDto: {
            altText: string;
            blurhash: string | null;
            /**
             * Format: int64
             * @description GIF and video.
             */
            durationMs: number | null;
            /** @description Why processing failed, for the uploader. */
            error?: string | null;
            /** Format: int32 */
            height: number | null;
            id: string;
            /** @description Image: a small WebP; GIF and video: the poster frame (JPEG). */
            previewUrl: string | null;
            /** @description `processing`, `ready` or `failed`. */
            state: components["schemas"]["MediaStateName"];
            /** @description `image`, `gif` (shown as a looping video) or `video`. */
            type: components["schemas"]["MediaTypeName"];
            /** @description Image: the full-size file (metadata stripped); GIF and video: the MP4. */
            url: string | null;
            /**
             * @description Every stored file: images `w150`…`w1200` in WebP and JPEG (PNG with
             *     transparency), narrower than the original only; GIF and video `mp4` and `poster`.
             */
            variants: components["schemas"]["MediaVariantDto"][];
            /** Format: int32 */
            width: number | null;
        };
        /** @enum {string} */
        MediaStateName: "processing" | "ready" | "failed";
        /** @enum {string} */
        MediaTypeName: "image" | "gif" | "video";
        MediaVariantDto: {
            contentType: string;
            /** Format: int32 */
            height: number;
            name: string;
            url: string;
            /** Format: int32 */
            width: number;
        };
        MemoryStats: {
            /** Format: int64 */
            rssBytes: number;
        };
        MentionEntity: {
            indices: number[];
            /**
             * @description The account the mention named when the version was written; null when none
             *     had that username.
             */
            userId: string | null;
            username: string;
        };
        NodeStats: {
            /**
             * Format: int64
             * @description Live events that reached this node's clients only (the link was down).
             */
            eventsDropped: number;
            /** Format: int32 */
            id: number;
            /** @description Whether other nodes' live events reach this node; null on a single process. */
            linked: boolean | null;
        };
        /** @description One notification. */
        NotificationDto: {
            actor: components["schemas"]["UserDto"];
            createdAt: string;
            id: string;
            tweet: components["schemas"]["TweetDto"] | null;
            /** @description `follow`, `follow_request`, `mention`, `reply`, `like`, `retweet` or `quote`. */
            type: components["schemas"]["NotificationKind"];
            unread: boolean;
        };
        /** @description The notifications of one kind about one tweet (all follows; all follow requests). */
        NotificationGroupDto: {
            /** @description The newest actors, newest first, at most three. */
            actors: components["schemas"]["UserDto"][];
            /**
             * Format: int64
             * @description Notifications in the group (actors in all).
             */
            count: number;
            /** @description The newest notification's id (what `POST /api/notifications/read` takes). */
            id: string;
            latestAt: string;
            tweet: components["schemas"]["TweetDto"] | null;
            type: components["schemas"]["NotificationKind"];
            unread: boolean;
        };
        /**
         * @description A group (`grouped`, the default) or a single notification. One per item rather than
         *     one array type or the other: an empty array would match both, which `oneOf` forbids.
         */
        NotificationItem: components["schemas"]["NotificationGroupDto"] | components["schemas"]["NotificationDto"];
        /**
         * @description What a notification is about.
         * @enum {string}
         */
        NotificationKind: "follow" | "follow_request" | "mention" | "reply" | "like" | "retweet" | "quote";
        /** @description A page of notifications. */
        NotificationPageDto: {
            grouped: boolean;
            /** @description All groups or all single notifications, as `grouped` says. */
            items: components["schemas"]["NotificationItem"][];
            /** @description Pass as `cursor` for the next page; null at the end. */
            nextCursor: string | null;
        };
        ProfileDto: {
            bio: string;
            counts: components["schemas"]["CountsDto"];
            createdAt: string;
            displayName: string;
            /** @example 7254916781490176 */
            id: string;
            /** @description Followers must be approved: following asks first. */
            protected: boolean;
            relationship?: components["schemas"]["RelationshipDto"] | null;
            username: string;
        };
        ProfilePatch: {
            /** @description At most 160 characters counted as tweets are; empty clears it. */
            bio?: string | null;
            /** @description 1-50 characters. */
            displayName?: string | null;
            /** @description Protected accounts approve their followers; unprotecting accepts every waiting request. */
            protected?: boolean | null;
        };
        ReadMark: {
            /** @description The newest notification id read (0: none). */
            readUpTo: string;
            /** Format: int64 */
            unreadCount: number;
        };
        RegisterRequest: {
            /**
             * @description 1-50 characters once trimmed, with a visible character; no control characters,
             *     no bidirectional overrides or isolates. Defaults to the username.
             */
            displayName?: string | null;
            /** @description 8-128 characters; not the username, not one of the most common passwords. */
            password: string;
            /** @description 1-15 letters, digits or underscores; unique case-insensitively. */
            username: string;
        };
        /** @description How the caller stands towards the user. */
        RelationshipDto: {
            blockedBy: boolean;
            blocking: boolean;
            followedBy: boolean;
            following: boolean;
            muting: boolean;
            /** @description The caller asked to follow (a protected account) and waits. */
            requested: boolean;
        };
        RequestStats: {
            /** @description Over the last minute. */
            latencyMs: components["schemas"]["LatencyStats"];
            /**
             * Format: double
             * @description Over the last 10 seconds.
             */
            perSecond: number;
            /** Format: int64 */
            total: number;
        };
        RestoreRequest: {
            /**
             * Format: int64
             * @description The version whose content becomes the new version's.
             */
            version: number;
        };
        SessionDto: {
            createdAt: string;
            /** @description Whether this is the session making the request. */
            current: boolean;
            /** @description When the token stops working unless used again before. */
            expiresAt: string;
            /** @description Opaque id, for `DELETE /api/me/sessions/{id}`. */
            id: string;
            /** @description When the session was last seen (updated at most once a day). */
            lastUsedAt: string;
        };
        Stats: {
            engagement: components["schemas"]["EngagementTotals"];
            home: components["schemas"]["HomeStatsDto"];
            memory: components["schemas"]["MemoryStats"];
            /**
             * @description Which node answered: `requests`, `memory`, `websockets` and `uptimeSeconds` are
             *     this node's own; `tweets` and `engagement` totals are the whole cluster's.
             */
            node: components["schemas"]["NodeStats"];
            requests: components["schemas"]["RequestStats"];
            tweets: components["schemas"]["TweetStats"];
            /** Format: int64 */
            uptimeSeconds: number;
            websockets: components["schemas"]["WebsocketStats"];
        };
        /** @description Accounts to follow. */
        Suggestions: {
            items: components["schemas"]["ProfileDto"][];
        };
        ThreadDto: {
            /** @description From the root of the conversation down to the tweet's parent. */
            ancestors: components["schemas"]["AncestorDto"][];
            /**
             * @description Depth first: under each tweet its author's own replies first (oldest first), then
             *     the others by engagement, then oldest first.
             */
            descendants: components["schemas"]["ThreadRepliesDto"];
            tweet: components["schemas"]["TweetDto"];
        };
        ThreadRepliesDto: {
            items: components["schemas"]["ThreadReplyDto"][];
            /** @description Pass as `cursor` for the next page; null at the end. */
            nextCursor: string | null;
        };
        /** @description A reply beneath a thread's tweet, with its depth (1: a direct reply). */
        ThreadReplyDto: components["schemas"]["TweetDto"] & {
            /** Format: int32 */
            depth: number;
        };
        TweetDto: {
            author: components["schemas"]["AuthorDto"];
            content: string;
            /** @description SHA-256 (hex) of the NFC-normalized content. */
            contentHash: string;
            /** @description The root of the reply chain: the tweet's own id when it is not a reply. */
            conversationId: string;
            /**
             * @description When the tweet was put in view: posted, or for a draft, published (lists are newest
             *     first by this moment; the draft's own time stays in its versions and events).
             */
            createdAt: string;
            engagement: components["schemas"]["EngagementDto"];
            entities: components["schemas"]["EntitiesDto"];
            /** @example 7254916810850304 */
            id: string;
            /** @description `tweet`, `reply`, `quote` or `retweet`. */
            kind: components["schemas"]["TweetKind"];
            /** @description The current version's media, in order (empty for none). */
            media: components["schemas"]["MediaDto"][];
            quoteOf?: components["schemas"]["AncestorDto"] | null;
            /** @description Always present; null when the tweet is not a reply. */
            replyToId: string | null;
            /** @description The author of the tweet replied to; null when the tweet is not a reply. */
            replyToUserId: string | null;
            retweetOf?: components["schemas"]["TweetDto"] | null;
            state: components["schemas"]["TweetState"];
            updatedAt: string;
            /** Format: int64 */
            version: number;
            visibility: components["schemas"]["Visibility"];
        };
        /**
         * @description What a tweet is: `tweet`, `reply`, `quote` or `retweet`.
         * @enum {string}
         */
        TweetKind: "tweet" | "reply" | "quote" | "retweet";
        TweetList: {
            items: components["schemas"]["TweetDto"][];
        };
        TweetPage: {
            items: components["schemas"]["TweetDto"][];
            /** @description Pass as `cursor` for the next page; null at the end. */
            nextCursor: string | null;
        };
        /**
         * @description A tweet's state as a reader sees it (deleted tweets are never shown).
         * @enum {string}
         */
        TweetState: "draft" | "published" | "edited" | "archived";
        TweetStats: {
            /** Format: double */
            createdPerSecond: number;
            /** Format: int64 */
            total: number;
            /** Format: int64 */
            uniqueBodies: number;
            /** Format: int64 */
            versions: number;
        };
        /**
         * @description A tweet in the chain above a thread's tweet that the caller may not see (hidden or
         *     deleted): only its id, so the chain keeps its shape.
         */
        UnavailableDto: {
            id: string;
            /** @description Always true. */
            unavailable: boolean;
        };
        UnreadCount: {
            /**
             * Format: int64
             * @description Notifications newer than the read mark.
             */
            count: number;
        };
        /** @description The form of `POST /api/media`. */
        UploadForm: {
            /** @description A description for people who cannot see it: at most 1,500 characters. */
            alt_text?: string | null;
            /**
             * Format: binary
             * @description The file: JPEG, PNG, GIF or WebP (at most 16 MiB), MP4, MOV or WebM (at most
             *     100 MiB). The type is read from the bytes; the name and declared type are ignored.
             */
            file: string;
        };
        UrlEntity: {
            indices: number[];
            url: string;
        };
        UserDto: {
            createdAt: string;
            displayName: string;
            /** @example 7254916781490176 */
            id: string;
            username: string;
        };
        UserMatches: {
            items: components["schemas"]["MatchedUserDto"][];
        };
        UserPageDto: {
            items: components["schemas"]["ListedUserDto"][];
            /** @description Pass as `cursor` for the next page; null at the end. */
            nextCursor: string | null;
        };
        VelocityDto: {
            /** Format: double */
            fiveMinutes: number;
            /**
             * Format: double
             * @description Likes, retweets and replies per minute over the last minute.
             */
            oneMinute: number;
            /** Format: double */
            sixtyMinutes: number;
        };
        VersionDto: {
            content: string;
            contentHash: string;
            createdAt: string;
            /** @description The media this version carried. */
            media: components["schemas"]["MediaDto"][];
            /** Format: int64 */
            version: number;
        };
        VersionList: {
            items: components["schemas"]["VersionDto"][];
        };
        /**
         * @description How many of the views were counted: a view repeated within 30 minutes is not, nor one
         *     of a tweet the caller may not read (or that is gone, or archived).
         */
        ViewsCounted: {
            counted: number;
        };
        /** @description Tweets a client showed its user, for their view counts. */
        ViewsRequest: {
            /** @description 1-100 tweet ids (a retweet entry counts for its original). */
            ids: string[];
        };
        /**
         * @description Who may read a tweet: `public` (everyone, everywhere), `unlisted` (anyone with the link, the author's profile and followers, never public lists, hashtags, trends or the public stream), `followers` (the author, approved followers and mentioned users).
         * @enum {string}
         */
        Visibility: "public" | "unlisted" | "followers";
        WebsocketStats: {
            /** Format: int64 */
            open: number;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthResponse"];
                };
            };
            /** @description `malformed_json`: the body is not JSON (or not UTF-8); `malformed_body`: the body could not be read */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `invalid_credentials`: wrong username or password */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `payload_too_large`: the body is over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unsupported_media_type`: the body was sent without `Content-Type: application/json` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `validation_failed`: the body is JSON of the wrong shape, or a field breaks a rule; `field` names it */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `too_many_attempts`: too many failed logins for the account or from the address; `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The token no longer works */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    logout_all: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every token of the user no longer works */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    register: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RegisterRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthResponse"];
                };
            };
            /** @description `malformed_json`: the body is not JSON (or not UTF-8); `malformed_body`: the body could not be read */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `username_taken`: the username exists (case-insensitively) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `payload_too_large`: the body is over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unsupported_media_type`: the body was sent without `Content-Type: application/json` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `validation_failed`: `username`, `password` or `displayName` breaks its rule; `validation_failed`: the body is JSON of the wrong shape, or a field breaks a rule; `field` names it */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    me: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserDto"];
                };
            };
            /** @description `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    update_me: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ProfilePatch"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProfileDto"];
                };
            };
            /** @description `malformed_json`: the body is not JSON (or not UTF-8); `malformed_body`: the body could not be read */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `payload_too_large`: the body is over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unsupported_media_type`: the body was sent without `Content-Type: application/json` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `validation_failed`: `displayName` or `bio` breaks its rule; `validation_failed`: the body is JSON of the wrong shape, or a field breaks a rule; `field` names it */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    blocks: {
        parameters: {
            query?: {
                /** @description Opaque cursor from a previous page's `nextCursor`. */
                cursor?: string;
                /** @description 1-100, default 20. */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserPageDto"];
                };
            };
            /** @description `invalid_cursor`: a cursor the server did not produce */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `validation_failed`: a query parameter is malformed or out of range; `field` names it */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    follow_requests: {
        parameters: {
            query?: {
                /** @description Opaque cursor from a previous page's `nextCursor`. */
                cursor?: string;
                /** @description 1-100, default 20. */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Who waits for an answer, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserPageDto"];
                };
            };
            /** @description `invalid_cursor`: a cursor the server did not produce */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `validation_failed`: a query parameter is malformed or out of range; `field` names it */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    accept: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The requester's id */
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description They follow you now (`followedBy`) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RelationshipDto"];
                };
            };
            /** @description `invalid_id`: the user id is not a decimal 64-bit number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `blocked`: a block stands between the accounts */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `not_found`: no such request */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    reject: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The requester's id */
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RelationshipDto"];
                };
            };
            /** @description `invalid_id`: the user id is not a decimal 64-bit number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `not_found`: no such request */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    mutes: {
        parameters: {
            query?: {
                /** @description Opaque cursor from a previous page's `nextCursor`. */
                cursor?: string;
                /** @description 1-100, default 20. */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserPageDto"];
                };
            };
            /** @description `invalid_cursor`: a cursor the server did not produce */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `validation_failed`: a query parameter is malformed or out of range; `field` names it */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_sessions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionDto"][];
                };
            };
            /** @description `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    revoke: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A session id from the list */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The session's token no longer works */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `invalid_id`: the path id is not a decimal 64-bit number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    own_tweets: {
        parameters: {
            query?: {
                /** @description `draft`, `published`, `edited` or `archived`; all of them when absent or empty. */
                state?: string;
                /** @description Opaque cursor from a previous page's `nextCursor`. */
                cursor?: string;
                /** @description 1-100, default 20. */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TweetPage"];
                };
            };
            /** @description `invalid_cursor`: a cursor the server did not produce */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `validation_failed`: a query parameter is malformed or out of range; `field` names it */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    upload_media: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": components["schemas"]["UploadForm"];
            };
        };
        responses: {
            /** @description Processed: an image, ready to attach */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MediaDto"];
                };
            };
            /** @description Processing (video, animated GIF): poll `GET /api/media/{id}` */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MediaDto"];
                };
            };
            /** @description `malformed_json`: the body is not JSON (or not UTF-8); `malformed_body`: the body could not be read */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `payload_too_large`: over the size limit for its type; `payload_too_large`: the body is over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unsupported_media_type`: not multipart, or a file type not accepted (SVG included); `unsupported_media_type`: the body was sent without `Content-Type: application/json` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `invalid_media`: corrupt, truncated, too many pixels or too long; `validation_failed`: no `file`, or `altText` too long; `validation_failed`: the body is JSON of the wrong shape, or a field breaks a rule; `field` names it */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: processing is busy; `Retry-After`; `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_media: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A decimal 64-bit id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MediaDto"];
                };
            };
            /** @description `invalid_id`: the path id is not a decimal 64-bit number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `media_not_found`: no such item, or not the caller's */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    describe_media: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A decimal 64-bit id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DescribeRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MediaDto"];
                };
            };
            /** @description `invalid_id`: the path id is not a decimal 64-bit number; `malformed_json`: the body is not JSON (or not UTF-8); `malformed_body`: the body could not be read */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `media_not_found`: no such item, or not the caller's */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `media_attached`: attached to a tweet, its description is fixed */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `payload_too_large`: the body is over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unsupported_media_type`: the body was sent without `Content-Type: application/json` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `validation_failed`: `altText` too long; `validation_failed`: the body is JSON of the wrong shape, or a field breaks a rule; `field` names it */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_notifications: {
        parameters: {
            query?: {
                /** @description Opaque cursor from a previous page's `nextCursor`. */
                cursor?: string;
                /** @description 1-100, default 20. */
                limit?: number;
                /**
                 * @description Comma-separated kinds to keep (`follow`, `follow_request`, `mention`, `reply`,
                 *     `like`, `retweet`, `quote`); all when absent.
                 */
                types?: string;
                /**
                 * @description `true` (default): one entry per kind and tweet ("Ada and 12 others liked your
                 *     tweet"); `false`: one entry per notification.
                 */
                grouped?: boolean;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Newest first; none from accounts the caller blocks, is blocked by or mutes, none about tweets they may not see */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotificationPageDto"];
                };
            };
            /** @description `invalid_cursor`: a cursor the server did not produce */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthorized`: no valid bearer token; `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `validation_failed`: `limit` out of range or an unknown kind in `types`; `validation_failed`: a query parameter is malformed or out of range; `field` names it */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    mark_read: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description May be left out: everything is read */
        requestBody: {
            content: {
                "application/json": components["schemas"]["MarkRead"];
            };
        };
        responses: {
            /** @description The mark moves forward only */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReadMark"];
                };
            };
            /** @description `malformed_json`: the body is not JSON (or not UTF-8); `malformed_body`: the body could not be read */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthorized`: no valid bearer token; `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `payload_too_large`: the body is over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unsupported_media_type`: the body was sent without `Content-Type: application/json` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `validation_failed`: `upTo` is not a notification id; `validation_failed`: the body is JSON of the wrong shape, or a field breaks a rule; `field` names it */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    unread_count: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UnreadCount"];
                };
            };
            /** @description `unauthorized`: no valid bearer token; `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    openapi: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description This document */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    stream: {
        parameters: {
            query?: {
                /** @description Optional bearer token (browsers cannot set headers on a WebSocket). */
                token?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Switching to the WebSocket protocol; see docs/API.md */
            101: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not a WebSocket upgrade request (plain text, from axum's upgrade extractor) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": unknown;
                };
            };
            /** @description `unauthorized`: the `token` is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `validation_failed`: a query parameter is malformed or out of range; `field` names it */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many open sockets from this address; `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many open sockets; `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    home: {
        parameters: {
            query?: {
                /** @description Opaque cursor from a previous page's `nextCursor`. */
                cursor?: string;
                /** @description 1-100, default 20. */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The tweets and retweets of the accounts the caller follows and their own, newest first, each as the caller may see it; none by accounts they block, are blocked by or mute */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HomePageDto"];
                };
            };
            /** @description `invalid_cursor`: a cursor the server did not produce */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthorized`: no valid bearer token; `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `validation_failed`: a query parameter is malformed or out of range; `field` names it */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    public: {
        parameters: {
            query?: {
                /** @description Opaque cursor from a previous page's `nextCursor`. */
                cursor?: string;
                /** @description 1-100, default 20. */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The latest public tweets (as `GET /api/tweets` without filters) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TweetPage"];
                };
            };
            /** @description `invalid_cursor`: a cursor the server did not produce */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `validation_failed`: a query parameter is malformed or out of range; `field` names it */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    tweets: {
        parameters: {
            query?: {
                /** @description 1-100, default 10. */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TweetList"];
                };
            };
            /** @description `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `validation_failed`: a query parameter is malformed or out of range; `field` names it */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list: {
        parameters: {
            query?: {
                /** @description A username or a user id. */
                author?: string;
                /** @description A hashtag, with or without `#`; matched case-insensitively. */
                hashtag?: string;
                /** @description Opaque cursor from a previous page's `nextCursor`. */
                cursor?: string;
                /** @description 1-100, default 20. */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TweetPage"];
                };
            };
            /** @description `invalid_cursor`: a cursor the server did not produce */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `validation_failed`: a query parameter is malformed or out of range; `field` names it */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    create: {
        parameters: {
            query?: never;
            header?: {
                /** @description 1-128 printable ASCII characters. A retry with the same key and body by the same user answers 201 with the original tweet and creates nothing; the same key with another body answers 422 */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateTweetRequest"];
                "multipart/form-data": components["schemas"]["CreateTweetForm"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TweetDto"];
                };
            };
            /** @description `malformed_json`: the body is not JSON (or not UTF-8); `malformed_body`: the body could not be read */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `not_found`: an `Idempotency-Key` whose tweet has since been deleted */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `media_not_ready`, `media_in_use`: a media item not ready, or on another tweet */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `payload_too_large`: a file of the form over its limit; `payload_too_large`: the body is over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unsupported_media_type`: neither JSON nor a form; a file type not accepted; `unsupported_media_type`: the body was sent without `Content-Type: application/json` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `validation_failed`: `content`, `replyToId`, `quoteOfId`, `visibility` (unknown, or wider than the parent's), `mediaIds` or `Idempotency-Key` breaks its rule; `invalid_media_set`: media a tweet may not carry; `invalid_media`: a file of the form is corrupt or too long; `validation_failed`: the body is JSON of the wrong shape, or a field breaks a rule; `field` names it */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    lookup: {
        parameters: {
            query: {
                /**
                 * @description Comma-separated tweet ids, 1-100; repeats are answered once.
                 * @example 7398012817563648,7398012817563649
                 */
                ids: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description What changed among tweets a client shows: the web app asks this after its live stream reconnects, or when its tab is shown again after a while */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LookupDto"];
                };
            };
            /** @description `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `validation_failed`: `ids` empty, over 100, or not decimal ids; `validation_failed`: a query parameter is malformed or out of range; `field` names it */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    stats: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Stats"];
                };
            };
            /** @description `forbidden`: not an operator. With an operator token configured, present it as the bearer token; without one, only loopback clients are operators */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    views: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ViewsRequest"];
            };
        };
        responses: {
            /** @description Views of tweets the caller was shown: each counts once per viewer per 30 minutes; tweets the caller may not read are passed over silently */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ViewsCounted"];
                };
            };
            /** @description `malformed_json`: the body is not JSON (or not UTF-8); `malformed_body`: the body could not be read */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `payload_too_large`: the body is over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unsupported_media_type`: the body was sent without `Content-Type: application/json` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `validation_failed`: `ids` empty or over 100; `validation_failed`: the body is JSON of the wrong shape, or a field breaks a rule; `field` names it */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A decimal 64-bit id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TweetDto"];
                };
            };
            /** @description `invalid_id`: the path id is not a decimal 64-bit number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `not_found`: no such tweet, or one the caller may not see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    edit: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A decimal 64-bit id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EditTweetRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TweetDto"];
                };
            };
            /** @description `invalid_id`: the path id is not a decimal 64-bit number; `malformed_json`: the body is not JSON (or not UTF-8); `malformed_body`: the body could not be read */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `forbidden`: the tweet is someone else's */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `not_found`: no such tweet, or one the caller may not see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `version_conflict`: `expectedVersion` is stale; `illegal_transition`: the tweet is archived */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `payload_too_large`: the body is over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unsupported_media_type`: the body was sent without `Content-Type: application/json` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `validation_failed`: the body is JSON of the wrong shape, or a field breaks a rule; `field` names it */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A decimal 64-bit id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `invalid_id`: the path id is not a decimal 64-bit number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `forbidden`: the tweet is someone else's */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `not_found`: no such tweet, or one the caller may not see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    archive: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A decimal 64-bit id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TweetDto"];
                };
            };
            /** @description `invalid_id`: the path id is not a decimal 64-bit number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `forbidden`: the tweet is someone else's */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `not_found`: no such tweet, or one the caller may not see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `illegal_transition`: the tweet is not published or edited */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `validation_failed`: the tweet is a retweet, which is only undone */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    engage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A decimal 64-bit id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EngagementRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EngagementDto"];
                };
            };
            /** @description `invalid_id`: the path id is not a decimal 64-bit number; `malformed_json`: the body is not JSON (or not UTF-8); `malformed_body`: the body could not be read */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `not_found`: no such tweet, or one the caller may not see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `read_only`: the tweet is archived */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `payload_too_large`: the body is over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unsupported_media_type`: the body was sent without `Content-Type: application/json` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `validation_failed`: unknown `action`, or `retweet` of a followers-only tweet; `validation_failed`: the body is JSON of the wrong shape, or a field breaks a rule; `field` names it */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    events: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A decimal 64-bit id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventList"];
                };
            };
            /** @description `invalid_id`: the path id is not a decimal 64-bit number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `forbidden`: the caller is not the author (or sent no token) but may see the tweet */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `not_found`: no such tweet, or one the caller may not see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    publish: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A decimal 64-bit id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TweetDto"];
                };
            };
            /** @description `invalid_id`: the path id is not a decimal 64-bit number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `forbidden`: the tweet is someone else's */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `not_found`: no such tweet, or one the caller may not see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `illegal_transition`: the tweet is not a draft */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `validation_failed`: the tweet is a retweet, which is only undone */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    quotes: {
        parameters: {
            query?: {
                /** @description Opaque cursor from a previous page's `nextCursor`. */
                cursor?: string;
                /** @description 1-100, default 20. */
                limit?: number;
            };
            header?: never;
            path: {
                /** @description A decimal 64-bit id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Quotes of the tweet the caller may see, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TweetPage"];
                };
            };
            /** @description `invalid_cursor`: a cursor the server did not produce; `invalid_id`: the path id is not a decimal 64-bit number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `not_found`: no such tweet, or one the caller may not see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `validation_failed`: `limit` out of range; `validation_failed`: a query parameter is malformed or out of range; `field` names it */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    restore: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A decimal 64-bit id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RestoreRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TweetDto"];
                };
            };
            /** @description `invalid_id`: the path id is not a decimal 64-bit number; `malformed_json`: the body is not JSON (or not UTF-8); `malformed_body`: the body could not be read */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `forbidden`: the tweet is someone else's */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `not_found`: no such tweet, or one the caller may not see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `illegal_transition`: the tweet is archived */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `payload_too_large`: the body is over 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unsupported_media_type`: the body was sent without `Content-Type: application/json` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `validation_failed`: no such `version`, or the tweet is a retweet, which is only undone; `validation_failed`: the body is JSON of the wrong shape, or a field breaks a rule; `field` names it */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    retweet: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The tweet, or a retweet of it (retweeting a retweet retweets the original) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Already retweeted: the same retweet */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TweetDto"];
                };
            };
            /** @description The retweet: `kind: retweet`, the original as `retweetOf` */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TweetDto"];
                };
            };
            /** @description `invalid_id`: the path id is not a decimal 64-bit number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `not_found`: no such tweet, or one the caller may not see (or a retweet made before retweets were entries) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `read_only`: the tweet is archived or a draft */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `validation_failed`: a followers-only tweet */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    unretweet: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The tweet, or a retweet of it */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Not retweeted (any more) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `invalid_id`: the path id is not a decimal 64-bit number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `not_found`: no such tweet, or one the caller may not see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `read_only`: the tweet is archived or a draft */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    thread: {
        parameters: {
            query?: {
                /** @description Opaque cursor from a previous page's `nextCursor`. */
                cursor?: string;
                /** @description 1-100, default 20. */
                limit?: number;
            };
            header?: never;
            path: {
                /** @description A decimal 64-bit id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The chain above (hidden or deleted tweets as `{id, unavailable: true}`), the tweet, and a page of the replies beneath, depth first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ThreadDto"];
                };
            };
            /** @description `invalid_cursor`: a cursor the server did not produce; `invalid_id`: the path id is not a decimal 64-bit number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `not_found`: no such tweet, or one the caller may not see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `validation_failed`: `limit` out of range; `validation_failed`: a query parameter is malformed or out of range; `field` names it */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    versions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A decimal 64-bit id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VersionList"];
                };
            };
            /** @description `invalid_id`: the path id is not a decimal 64-bit number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `not_found`: no such tweet, or one the caller may not see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    search: {
        parameters: {
            query: {
                /** @description 1-50 characters: the start of a username or display name (case-insensitive). */
                prefix: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Up to 10 users, by username */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserMatches"];
                };
            };
            /** @description `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `validation_failed`: `prefix` missing, empty or too long; `validation_failed`: a query parameter is malformed or out of range; `field` names it */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    suggestions: {
        parameters: {
            query?: {
                /** @description 1-50, default 10. */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The most followed accounts the caller does not follow, has not asked to, and neither blocks, is blocked by nor mutes */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Suggestions"];
                };
            };
            /** @description `unauthorized`: no valid bearer token; `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `validation_failed`: `limit` out of range; `validation_failed`: a query parameter is malformed or out of range; `field` names it */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    profile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A user id, or `@` and a username */
                user: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProfileDto"];
                };
            };
            /** @description `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    block: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A user id, or `@` and a username */
                user: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Blocked: follows and requests both ways are gone */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RelationshipDto"];
                };
            };
            /** @description `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    unblock: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A user id, or `@` and a username */
                user: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RelationshipDto"];
                };
            };
            /** @description `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `validation_failed`: oneself */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    follow: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A user id, or `@` and a username */
                user: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Following, or (a protected account) `requested` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RelationshipDto"];
                };
            };
            /** @description `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `blocked`: a block stands between the accounts */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `validation_failed`: following oneself */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    unfollow: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A user id, or `@` and a username */
                user: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Unfollowed, or the request withdrawn */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RelationshipDto"];
                };
            };
            /** @description `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `validation_failed`: oneself */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    followers: {
        parameters: {
            query?: {
                /** @description Opaque cursor from a previous page's `nextCursor`. */
                cursor?: string;
                /** @description 1-100, default 20. */
                limit?: number;
            };
            header?: never;
            path: {
                /** @description A user id, or `@` and a username */
                user: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Newest follower first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserPageDto"];
                };
            };
            /** @description `invalid_cursor`: a cursor the server did not produce */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `forbidden`: a protected account's lists are for its followers, and a user who blocks the caller shows neither list */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `validation_failed`: a query parameter is malformed or out of range; `field` names it */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    following: {
        parameters: {
            query?: {
                /** @description Opaque cursor from a previous page's `nextCursor`. */
                cursor?: string;
                /** @description 1-100, default 20. */
                limit?: number;
            };
            header?: never;
            path: {
                /** @description A user id, or `@` and a username */
                user: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserPageDto"];
                };
            };
            /** @description `invalid_cursor`: a cursor the server did not produce */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `forbidden`: as for followers */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `validation_failed`: a query parameter is malformed or out of range; `field` names it */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    mute: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A user id, or `@` and a username */
                user: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RelationshipDto"];
                };
            };
            /** @description `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    unmute: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A user id, or `@` and a username */
                user: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RelationshipDto"];
                };
            };
            /** @description `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `validation_failed`: oneself */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    user_tweets: {
        parameters: {
            query?: {
                /** @description Opaque cursor from a previous page's `nextCursor`. */
                cursor?: string;
                /** @description 1-100, default 20. */
                limit?: number;
                /** @description Include the user's replies (default false). */
                replies?: boolean;
            };
            header?: never;
            path: {
                /** @description A user id, or `@` and a username */
                user: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Newest first: the user's public and unlisted tweets, and followers-only ones for their followers and the users they mention. A page may hold fewer than `limit` tweets (some hidden from the caller) and still have a `nextCursor` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TweetPage"];
                };
            };
            /** @description `invalid_cursor`: a cursor the server did not produce */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthorized`: no bearer token where one is required, or a token that is unknown or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `validation_failed`: `limit` out of range; `validation_failed`: a query parameter is malformed or out of range; `field` names it */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    metrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Prometheus text exposition format */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": unknown;
                };
            };
            /** @description `forbidden`: not an operator. With an operator token configured, present it as the bearer token; without one, only loopback clients are operators */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: the body did not arrive, or the answer was not ready, within the server's deadline */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `rate_limited`: too many requests from this address or token; retry after `Retry-After` seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `overloaded`: too many requests in flight, or a full queue (writes, password hashing); retry after `Retry-After` seconds */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
}
