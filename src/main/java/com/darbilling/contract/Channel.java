package com.darbilling.contract;

import java.util.Arrays;
import java.util.List;

/** Values of messages.channel, matched exactly, case included. */
public enum Channel {
    WEB, SMS, EMAIL, FACEBOOK;

    public static List<String> names() {
        return Arrays.stream(values()).map(Enum::name).toList();
    }
}
