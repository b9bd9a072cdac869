package com.darbilling.contract;

/** Names of the input Parquet directories and their columns (spec section 3). */
public final class Inputs {
    public static final String MESSAGES = "messages";
    public static final String SITES = "sites";
    public static final String SITE_PLANS = "site_plans";
    public static final String COBROWSE_SESSIONS = "cobrowse_sessions";
    public static final String FUNCTION_INVOCATIONS = "function_invocations";

    /** Partition column of messages and function_invocations: the UTC date of the event. */
    public static final String EVENT_DATE = "event_date";

    public static final String MESSAGE_ID = "message_id";
    public static final String SITE_ID = Columns.SITE_ID;
    public static final String CONVERSATION_ID = "conversation_id";
    public static final String CONSUMER_ID = Columns.CONSUMER_ID;
    public static final String SENDER_ROLE = "sender_role";
    public static final String SENDER_ID = "sender_id";
    public static final String CHANNEL = "channel";
    public static final String SENT_AT = "sent_at";

    public static final String TIME_ZONE = "time_zone";
    public static final String EFFECTIVE_FROM = "effective_from";
    public static final String EFFECTIVE_TO = "effective_to";
    public static final String PLAN_ID = "plan_id";
    public static final String INTENT_MANAGER = "intent_manager";

    public static final String SESSION_ID = "session_id";
    public static final String STARTED_AT = "started_at";
    public static final String INTERACTIVE = "interactive";

    public static final String INVOCATION_ID = "invocation_id";
    public static final String FUNCTION_ID = "function_id";
    public static final String INVOKED_AT = "invoked_at";

    private Inputs() {
    }
}
