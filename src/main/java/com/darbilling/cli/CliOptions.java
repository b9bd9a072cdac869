package com.darbilling.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The command line as scopt fills it in: the command with its options, and the options every command
 * takes. {@code command} is empty until a command name is read.
 */
record CliOptions(Optional<Command> command, Optional<String> master, List<String> conf, boolean verbose) {
    static final CliOptions NONE = new CliOptions(Optional.empty(), Optional.empty(), List.of(), false);

    CliOptions withCommand(Command c) {
        return new CliOptions(Optional.of(c), master, conf, verbose);
    }

    /** Sets an option of the command being read; scopt only calls it under that command. */
    <T extends Command> CliOptions with(Class<T> type, UnaryOperator<T> change) {
        return withCommand(change.apply(type.cast(command.orElseThrow())));
    }

    CliOptions withMaster(String url) {
        return new CliOptions(command, Optional.of(url), conf, verbose);
    }

    /** Raw --conf values, checked after parsing so a bad one gets a one-line error. */
    CliOptions withConf(String keyValue) {
        List<String> all = new ArrayList<>(conf);
        all.add(keyValue);
        return new CliOptions(command, master, List.copyOf(all), verbose);
    }

    CliOptions verbosely() {
        return new CliOptions(command, master, conf, true);
    }
}
