package com.darbilling.contract;

import java.util.Arrays;
import java.util.List;

/** Values of messages.sender_role, matched exactly, case included. */
public enum SenderRole {
    CONSUMER, AGENT, BOT, SYSTEM;

    /** Roles whose messages create a DAR (R1): everything but platform notices. */
    public static final List<String> COUNTABLE = List.of(CONSUMER.name(), AGENT.name(), BOT.name());
    /** Roles whose sender_id is a platform user (R7). */
    public static final List<String> PLATFORM_USERS = List.of(AGENT.name(), BOT.name());

    public static List<String> names() {
        return Arrays.stream(values()).map(Enum::name).toList();
    }
}
