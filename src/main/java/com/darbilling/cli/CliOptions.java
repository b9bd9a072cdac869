package com.darbilling.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/** What the command line asked for, before it is checked. Filled in by scopt's actions. */
final class CliOptions {
    String command;
    String input;
    String warehouse;
    String month;
    String date;
    String asOf;
    String plans;
    String source;
    String keyFile;
    String site;
    String consumer;
    long messages = 2_000_000;
    int sites = 200;
    long seed = 42;
    String out;
    String master;
    boolean verbose;
    final Map<String, String> conf = new LinkedHashMap<>();
    /** Raw --conf values, checked after parsing so a bad one gets a one-line error. */
    final java.util.List<String> rawConf = new java.util.ArrayList<>();
}
