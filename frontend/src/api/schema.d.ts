// Generated from frontend/openapi.json by `npm run gen:api` (openapi-typescript). Do not edit.
export interface paths {
    "/api/v1/control/halt": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Post Halt
         * @description Halt trading (persisted, announced on the bus); idempotent for the same reason.
         */
        post: operations["post_halt_api_v1_control_halt_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/control/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Post Resume
         * @description Allow trading again.
         */
        post: operations["post_resume_api_v1_control_resume_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/control/state": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get State
         * @description The trading state, why, by whom and since when.
         */
        get: operations["get_state_api_v1_control_state_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/fills": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Fills
         * @description Fills newest first.
         */
        get: operations["list_fills_api_v1_fills_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/fleet": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Fleet
         * @description Service heartbeats, shard assignments and venue circuits.
         */
        get: operations["get_fleet_api_v1_fleet_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/games": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Games
         * @description Games of the catalogue, live first then newest scheduled start, with state, probability and prices.
         */
        get: operations["list_games_api_v1_games_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/games/{game_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Game
         * @description One game's summary.
         */
        get: operations["get_game_api_v1_games__game_id__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/games/{game_id}/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Game History
         * @description States, probabilities, oriented prices and signals of one game over time.
         */
        get: operations["get_game_history_api_v1_games__game_id__history_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Health
         * @description 200 when the database and Redis answer, 503 otherwise.
         */
        get: operations["health_api_v1_health_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/matches": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Matches
         * @description Match verdicts with their confidence and reasons.
         */
        get: operations["list_matches_api_v1_matches_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Orders
         * @description Orders newest first.
         */
        get: operations["list_orders_api_v1_orders_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/pnl/summary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Pnl Summary
         * @description Today's and cumulative P&L, by sport, strategy and venue, and the cumulative series.
         */
        get: operations["get_pnl_summary_api_v1_pnl_summary_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/positions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Positions
         * @description Positions with P&L and, once settled, their settlement.
         */
        get: operations["list_positions_api_v1_positions_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Reports
         * @description The days that have a report.
         */
        get: operations["list_reports_api_v1_reports_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{day}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Report
         * @description The day's report page (self-contained HTML).
         */
        get: operations["get_report_api_v1_reports__day__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{day}/{name}.png": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Plot
         * @description One plot of the day's report.
         */
        get: operations["get_plot_api_v1_reports__day___name__png_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/risk": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Risk
         * @description Trading state, exposure and rate gauges against the published limits, and recent denials.
         */
        get: operations["get_risk_api_v1_risk_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/signals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List Signals
         * @description Signals newest first, each with its legs (intent, verdict, order progress); ``venue``: a leg there.
         */
        get: operations["list_signals_api_v1_signals_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Stream
         * @description Server-Sent Events: first `hello` {server_time}, then `event: <topic>` / `data: <json>` / `id: <id>`, and a `: ping` comment every 10 s. Payloads: game_state = GameStateEvent, probability = ProbabilityEvent, price = PriceEvent, signal = SignalOut, order = OrderOut (or the raw order event when no order is stored), fill = FillOut, position = PositionOut, trading_state = TradingStateOut.
         */
        get: operations["stream_api_v1_stream_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/trading-state": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get Trading State
         * @description The trading state (halted when missing or unreadable).
         */
        get: operations["get_trading_state_api_v1_trading_state_get"];
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
        /**
         * CircuitOut
         * @description A venue's circuit as the execution service last reported it.
         */
        CircuitOut: {
            /** Reason */
            reason: string | null;
            /** Since */
            since: string | null;
            /**
             * State
             * @enum {string}
             */
            state: "closed" | "open" | "half_open";
            /** Venue */
            venue: string;
        };
        /**
         * DenialCount
         * @description How many intents the risk gate denied for one reason (last 24 hours).
         */
        DenialCount: {
            /** Count */
            count: number;
            /** Reason Code */
            reason_code: string;
        };
        /**
         * FillOut
         * @description One fill.
         */
        FillOut: {
            /** Client Order Id */
            client_order_id: string;
            /** Fee */
            fee: string;
            /** Game Id */
            game_id: string;
            /** Liquidity */
            liquidity: string;
            /** Market Id */
            market_id: string;
            /** Outcome Id */
            outcome_id: string;
            /** Paper */
            paper: boolean;
            /** Price */
            price: string;
            /** Quantity */
            quantity: string;
            /** Side */
            side: string;
            /**
             * Ts
             * Format: date-time
             */
            ts: string;
            /** Venue */
            venue: string;
            /** Venue Trade Id */
            venue_trade_id: string;
        };
        /**
         * FleetOut
         * @description Services, shards and circuits.
         */
        FleetOut: {
            /** Circuits */
            circuits: components["schemas"]["CircuitOut"][];
            /** Services */
            services: components["schemas"]["ServiceOut"][];
            /** Shards */
            shards: components["schemas"]["ShardOut"][];
        };
        /**
         * GameHistory
         * @description Everything stored about one game over time, for its chart (downsampled to ``max_points`` per series).
         */
        GameHistory: {
            /** Game Id */
            game_id: string;
            /** Prices */
            prices: components["schemas"]["PriceOut"][];
            /** Probabilities */
            probabilities: components["schemas"]["ProbabilityOut"][];
            /** Signals */
            signals: components["schemas"]["SignalMark"][];
            /** States */
            states: components["schemas"]["GameStateOut"][];
        };
        /**
         * GameStateEvent
         * @description ``game_state``: a game's new state.
         */
        GameStateEvent: {
            /** Away Score */
            away_score: number;
            /** Clock Seconds */
            clock_seconds: number | null;
            /** Game Id */
            game_id: string;
            /** Home Score */
            home_score: number;
            /** Period */
            period: number;
            /** Status */
            status: string;
            /**
             * Ts
             * Format: date-time
             */
            ts: string;
        };
        /**
         * GameStateOut
         * @description One observation of a game (score, period, clock).
         */
        GameStateOut: {
            /** Away Score */
            away_score: number;
            /** Clock Seconds */
            clock_seconds: number | null;
            /** Home Score */
            home_score: number;
            /** Period */
            period: number;
            /** Status */
            status: string;
            /**
             * Ts
             * Format: date-time
             */
            ts: string;
        };
        /**
         * GameSummary
         * @description A game of the catalogue with its shard, latest state, latest probability and latest prices.
         */
        GameSummary: {
            /** Away Name */
            away_name: string;
            /** Away Team */
            away_team: string;
            /** Completed */
            completed: boolean;
            /** Game Id */
            game_id: string;
            /** Home Name */
            home_name: string;
            /** Home Team */
            home_team: string;
            /** League */
            league: string;
            /** Prices */
            prices: components["schemas"]["PriceOut"][];
            probability: components["schemas"]["ProbabilityOut"] | null;
            /**
             * Scheduled Start
             * Format: date-time
             */
            scheduled_start: string;
            /** Shard Id */
            shard_id: string | null;
            /** Sport */
            sport: string;
            state: components["schemas"]["GameStateOut"] | null;
            /** Status */
            status: string;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
        };
        /**
         * GaugeOut
         * @description How much of one limit is used (``limit`` is ``None`` when the limits were not published).
         */
        GaugeOut: {
            /** Label */
            label: string;
            /** Limit */
            limit: string | null;
            /** Name */
            name: string;
            /**
             * Unit
             * @enum {string}
             */
            unit: "usd" | "contracts" | "count";
            /** Used */
            used: string;
        };
        /**
         * HealthOut
         * @description Liveness of the API and its dependencies.
         */
        HealthOut: {
            /** Database */
            database: boolean;
            /** Redis */
            redis: boolean;
            /** Status */
            status: string;
        };
        /**
         * HelloEvent
         * @description The first event of a stream.
         */
        HelloEvent: {
            /**
             * Server Time
             * Format: date-time
             */
            server_time: string;
        };
        /** HTTPValidationError */
        HTTPValidationError: {
            /** Detail */
            detail?: components["schemas"]["ValidationError"][];
        };
        /**
         * MatchOut
         * @description The verdict on one venue market: matched to a game (oriented instruments) or refused with reasons.
         */
        MatchOut: {
            /** Confidence */
            confidence: number;
            /** Event Id */
            event_id: string;
            /** Game Id */
            game_id: string;
            /** Home Outcome */
            home_outcome: string | null;
            /** Instruments */
            instruments: {
                [key: string]: unknown;
            }[];
            /** Market Id */
            market_id: string;
            /** Reason Code */
            reason_code: string | null;
            /** Reasons */
            reasons: string[];
            /** Status */
            status: string;
            /** Title */
            title: string;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
            /** Venue */
            venue: string;
        };
        /**
         * OrderOut
         * @description One order and where it is in its life, with the intent and signal it came from.
         */
        OrderOut: {
            /** Avg Fill Price */
            avg_fill_price: string | null;
            /** Client Order Id */
            client_order_id: string;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Filled Quantity */
            filled_quantity: string;
            /** Game Id */
            game_id: string;
            /** Intent Id */
            intent_id: string | null;
            /** Limit Price */
            limit_price: string;
            /** Market Id */
            market_id: string;
            /** Outcome Id */
            outcome_id: string;
            /** Paper */
            paper: boolean;
            /** Quantity */
            quantity: string;
            /** Reason */
            reason: string | null;
            /** Side */
            side: string;
            /** Signal Id */
            signal_id: string | null;
            /** Status */
            status: string;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
            /** Venue */
            venue: string;
            /** Venue Order Id */
            venue_order_id: string | null;
        };
        /** Page[FillOut] */
        Page_FillOut_: {
            /** Items */
            items: components["schemas"]["FillOut"][];
            /** Next Offset */
            next_offset: number | null;
        };
        /** Page[GameSummary] */
        Page_GameSummary_: {
            /** Items */
            items: components["schemas"]["GameSummary"][];
            /** Next Offset */
            next_offset: number | null;
        };
        /** Page[MatchOut] */
        Page_MatchOut_: {
            /** Items */
            items: components["schemas"]["MatchOut"][];
            /** Next Offset */
            next_offset: number | null;
        };
        /** Page[OrderOut] */
        Page_OrderOut_: {
            /** Items */
            items: components["schemas"]["OrderOut"][];
            /** Next Offset */
            next_offset: number | null;
        };
        /** Page[PositionOut] */
        Page_PositionOut_: {
            /** Items */
            items: components["schemas"]["PositionOut"][];
            /** Next Offset */
            next_offset: number | null;
        };
        /** Page[SignalOut] */
        Page_SignalOut_: {
            /** Items */
            items: components["schemas"]["SignalOut"][];
            /** Next Offset */
            next_offset: number | null;
        };
        /**
         * PnlBreakdown
         * @description The figures of one sport, strategy or venue (``key``).
         */
        PnlBreakdown: {
            /** Fees */
            fees: string;
            /** Key */
            key: string;
            /** Net */
            net: string;
            /** Realized */
            realized: string;
            /** Unrealized */
            unrealized: string;
        };
        /**
         * PnlFigures
         * @description ``net`` = realized + unrealized - fees (dollars).
         */
        PnlFigures: {
            /** Fees */
            fees: string;
            /** Net */
            net: string;
            /** Realized */
            realized: string;
            /** Unrealized */
            unrealized: string;
        };
        /**
         * PnlPoint
         * @description Cumulative figures at ``ts``.
         */
        PnlPoint: {
            /** Fees */
            fees: string;
            /** Net */
            net: string;
            /** Realized */
            realized: string;
            /**
             * Ts
             * Format: date-time
             */
            ts: string;
            /** Unrealized */
            unrealized: string;
        };
        /**
         * PnlSummary
         * @description P&L of the fleet's trading mode (paper or live).
         */
        PnlSummary: {
            /**
             * As Of
             * Format: date-time
             */
            as_of: string;
            /** By Sport */
            by_sport: components["schemas"]["PnlBreakdown"][];
            /** By Strategy */
            by_strategy: components["schemas"]["PnlBreakdown"][];
            /** By Venue */
            by_venue: components["schemas"]["PnlBreakdown"][];
            cumulative: components["schemas"]["PnlFigures"];
            /** Series */
            series: components["schemas"]["PnlPoint"][];
            today: components["schemas"]["PnlFigures"];
        };
        /**
         * PositionOut
         * @description A position with its P&L; ``net_pnl`` = realized + unrealized - fees.
         */
        PositionOut: {
            /** Avg Price */
            avg_price: string | null;
            /** Cost Basis */
            cost_basis: string;
            /** Fees Paid */
            fees_paid: string;
            /** Game Id */
            game_id: string;
            /** Mark Price */
            mark_price: string | null;
            /** Market Id */
            market_id: string;
            /** Net Pnl */
            net_pnl: string;
            /**
             * Opened At
             * Format: date-time
             */
            opened_at: string;
            /** Outcome Id */
            outcome_id: string;
            /** Paper */
            paper: boolean;
            /** Quantity */
            quantity: string;
            /** Realized Pnl */
            realized_pnl: string;
            settlement: components["schemas"]["SettlementOut"] | null;
            /** Status */
            status: string;
            /** Unrealized Pnl */
            unrealized_pnl: string | null;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
            /** Venue */
            venue: string;
        };
        /**
         * PriceEvent
         * @description ``price``: a new top of book, oriented like PriceOut; ``game_id``/``result`` null when not matched.
         */
        PriceEvent: {
            /** Best Ask */
            best_ask: string | null;
            /** Best Bid */
            best_bid: string | null;
            /** Game Id */
            game_id: string | null;
            /** Market Id */
            market_id: string;
            /** Mid */
            mid: string | null;
            /** Outcome Id */
            outcome_id: string;
            /** Result */
            result: ("home" | "away" | "draw") | null;
            /**
             * Ts
             * Format: date-time
             */
            ts: string;
            /**
             * Venue
             * @enum {string}
             */
            venue: "kalshi" | "polymarket";
        };
        /**
         * PriceOut
         * @description The top of book of the contract that pays if ``result`` happens (dollars 0..1).
         *
         *     A negated instrument (pays if ``result`` does *not* happen) is flipped: bid = 1 - its ask,
         *     ask = 1 - its bid; ``outcome_id`` still names the venue's outcome the quote came from.
         */
        PriceOut: {
            /** Best Ask */
            best_ask: string | null;
            /** Best Bid */
            best_bid: string | null;
            /** Market Id */
            market_id: string;
            /** Mid */
            mid: string | null;
            /** Outcome Id */
            outcome_id: string;
            /**
             * Result
             * @enum {string}
             */
            result: "home" | "away" | "draw";
            /**
             * Ts
             * Format: date-time
             */
            ts: string;
            /**
             * Venue
             * @enum {string}
             */
            venue: "kalshi" | "polymarket";
        };
        /**
         * ProbabilityEvent
         * @description ``probability``: a new win-probability estimate.
         */
        ProbabilityEvent: {
            /** Away */
            away: number;
            /** Draw */
            draw: number;
            /** Game Id */
            game_id: string;
            /** Home */
            home: number;
            /** Model */
            model: string;
            /**
             * Ts
             * Format: date-time
             */
            ts: string;
        };
        /**
         * ProbabilityOut
         * @description One win-probability estimate (floats in 0..1).
         */
        ProbabilityOut: {
            /** Away */
            away: number;
            /** Draw */
            draw: number;
            /** Home */
            home: number;
            /** Model */
            model: string;
            /**
             * Ts
             * Format: date-time
             */
            ts: string;
        };
        /**
         * ReportDay
         * @description One day with a report.
         */
        ReportDay: {
            /**
             * Day
             * Format: date
             */
            day: string;
            /** Plots */
            plots: string[];
            /** Url */
            url: string;
        };
        /**
         * ReportList
         * @description The days with a report, newest first.
         */
        ReportList: {
            /** Days */
            days: components["schemas"]["ReportDay"][];
        };
        /**
         * RiskOut
         * @description Trading state, gauges, the published limits (setting name -> value) and recent denials.
         */
        RiskOut: {
            /** Gauges */
            gauges: components["schemas"]["GaugeOut"][];
            /** Limits */
            limits: {
                [key: string]: string;
            };
            /** Recent Denials */
            recent_denials: components["schemas"]["DenialCount"][];
            trading: components["schemas"]["TradingStateOut"];
        };
        /**
         * ServiceOut
         * @description One service instance's latest heartbeat; ``healthy`` = fresh and ``ok``.
         */
        ServiceOut: {
            /** Details */
            details: {
                [key: string]: string | number | boolean;
            };
            /** Healthy */
            healthy: boolean;
            /** Instance Id */
            instance_id: string;
            /**
             * Last Beat
             * Format: date-time
             */
            last_beat: string;
            /** Service */
            service: string;
            /**
             * Started At
             * Format: date-time
             */
            started_at: string;
            /** Status */
            status: string;
        };
        /**
         * SettlementOut
         * @description How a settled position was paid.
         */
        SettlementOut: {
            /** Payout */
            payout: string;
            /** Pnl */
            pnl: string;
            /** Proceeds */
            proceeds: string;
            /**
             * Settled At
             * Format: date-time
             */
            settled_at: string;
        };
        /**
         * ShardOut
         * @description A game shard and the games assigned to it.
         */
        ShardOut: {
            /** Games */
            games: string[];
            /** Shard Id */
            shard_id: string;
        };
        /**
         * SignalLegOut
         * @description One leg of a signal: the risk gate's intent and, once sent, its order's progress.
         */
        SignalLegOut: {
            /** Avg Fill Price */
            avg_fill_price: string | null;
            /** Client Order Id */
            client_order_id: string;
            /** Decision */
            decision: string;
            /** Filled Quantity */
            filled_quantity: string | null;
            /** Intent Id */
            intent_id: string;
            /** Leg Index */
            leg_index: number;
            /** Limit Price */
            limit_price: string;
            /** Market Id */
            market_id: string;
            /** Order Status */
            order_status: string | null;
            /** Outcome Id */
            outcome_id: string;
            /** Quantity */
            quantity: string;
            /** Reason */
            reason: string | null;
            /** Reason Code */
            reason_code: string | null;
            /** Side */
            side: string;
            /** Venue */
            venue: string;
        };
        /**
         * SignalMark
         * @description A signal on a game's timeline: its first leg, and the risk gate's verdict over all legs.
         */
        SignalMark: {
            /** Decision */
            decision: ("approved" | "denied" | "mixed") | null;
            /** Edge Per Contract */
            edge_per_contract: string;
            /**
             * Kind
             * @enum {string}
             */
            kind: "model_edge" | "arbitrage" | "exit";
            /** Limit Price */
            limit_price: string | null;
            /** Market Id */
            market_id: string | null;
            /** Model Probability */
            model_probability: number | null;
            /** Outcome Id */
            outcome_id: string | null;
            /** Reason Code */
            reason_code: string | null;
            /** Result */
            result: ("home" | "away" | "draw") | null;
            /** Side */
            side: string | null;
            /** Signal Id */
            signal_id: string;
            /** Strategy */
            strategy: string;
            /**
             * Ts
             * Format: date-time
             */
            ts: string;
            /** Venue */
            venue: string | null;
        };
        /**
         * SignalOut
         * @description A trading signal and its legs (empty until the risk gate has decided).
         */
        SignalOut: {
            /** Edge Per Contract */
            edge_per_contract: string;
            /** Game Id */
            game_id: string;
            /** Kind */
            kind: string;
            /** Legs */
            legs: components["schemas"]["SignalLegOut"][];
            /** Model Probability */
            model_probability: number | null;
            /** Signal Id */
            signal_id: string;
            /** Strategy */
            strategy: string;
            /**
             * Ts
             * Format: date-time
             */
            ts: string;
        };
        /**
         * StateChangeIn
         * @description Why trading is halted or resumed (stored with the change; blank is refused).
         */
        StateChangeIn: {
            /** Reason */
            reason: string;
        };
        /**
         * TradingStateOut
         * @description The fleet's trading state (kill switch): ``halted`` also when missing or unreadable.
         */
        TradingStateOut: {
            /** Halted */
            halted: boolean;
            /** Reason */
            reason: string;
            /** Since */
            since: string | null;
            /** Source */
            source: string;
            /** State */
            state: string;
        };
        /** ValidationError */
        ValidationError: {
            /** Context */
            ctx?: Record<string, never>;
            /** Input */
            input?: unknown;
            /** Location */
            loc: (string | number)[];
            /** Message */
            msg: string;
            /** Error Type */
            type: string;
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
    post_halt_api_v1_control_halt_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StateChangeIn"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TradingStateOut"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    post_resume_api_v1_control_resume_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StateChangeIn"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TradingStateOut"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    get_state_api_v1_control_state_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TradingStateOut"];
                };
            };
        };
    };
    list_fills_api_v1_fills_get: {
        parameters: {
            query?: {
                client_order_id?: string | null;
                game_id?: string | null;
                /** @description page size (1..1000) */
                limit?: number;
                /** @description rows to skip */
                offset?: number;
                venue?: ("kalshi" | "polymarket") | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_FillOut_"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    get_fleet_api_v1_fleet_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FleetOut"];
                };
            };
        };
    };
    list_games_api_v1_games_get: {
        parameters: {
            query?: {
                league?: string | null;
                /** @description page size (1..1000) */
                limit?: number;
                /** @description rows to skip */
                offset?: number;
                status?: ("pre" | "in" | "post") | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_GameSummary_"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    get_game_api_v1_games__game_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                game_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GameSummary"];
                };
            };
            /** @description unknown game */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    get_game_history_api_v1_games__game_id__history_get: {
        parameters: {
            query?: {
                /** @description points per series at most */
                max_points?: number;
                /** @description ISO-8601; only points at or after it */
                since?: string | null;
            };
            header?: never;
            path: {
                game_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GameHistory"];
                };
            };
            /** @description unknown game */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    health_api_v1_health_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthOut"];
                };
            };
        };
    };
    list_matches_api_v1_matches_get: {
        parameters: {
            query?: {
                game_id?: string | null;
                /** @description page size (1..1000) */
                limit?: number;
                /** @description rows to skip */
                offset?: number;
                status?: ("matched" | "refused") | null;
                venue?: ("kalshi" | "polymarket") | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_MatchOut_"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    list_orders_api_v1_orders_get: {
        parameters: {
            query?: {
                game_id?: string | null;
                /** @description page size (1..1000) */
                limit?: number;
                /** @description rows to skip */
                offset?: number;
                signal_id?: string | null;
                status?: string | null;
                venue?: ("kalshi" | "polymarket") | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_OrderOut_"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    get_pnl_summary_api_v1_pnl_summary_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PnlSummary"];
                };
            };
        };
    };
    list_positions_api_v1_positions_get: {
        parameters: {
            query?: {
                game_id?: string | null;
                /** @description page size (1..1000) */
                limit?: number;
                /** @description rows to skip */
                offset?: number;
                status?: ("open" | "closed" | "settled") | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_PositionOut_"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    list_reports_api_v1_reports_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReportList"];
                };
            };
        };
    };
    get_report_api_v1_reports__day__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                day: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    get_plot_api_v1_reports__day___name__png_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                day: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    get_risk_api_v1_risk_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RiskOut"];
                };
            };
        };
    };
    list_signals_api_v1_signals_get: {
        parameters: {
            query?: {
                decision?: ("approved" | "denied") | null;
                game_id?: string | null;
                kind?: ("model_edge" | "arbitrage" | "exit") | null;
                /** @description page size (1..1000) */
                limit?: number;
                /** @description rows to skip */
                offset?: number;
                strategy?: string | null;
                venue?: ("kalshi" | "polymarket") | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_SignalOut_"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    stream_api_v1_stream_get: {
        parameters: {
            query?: {
                /** @description comma-separated subset of: game_state, price, probability, trading_state, signal, order, fill, position */
                topics?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    get_trading_state_api_v1_trading_state_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TradingStateOut"];
                };
            };
        };
    };
}
