package com.darbilling.run;

/**
 * A command that refuses to run on this warehouse or input root, found before it wrote anything:
 * one line for stderr. Unlike a {@link RunFailure} there is no runs row: nothing was written, and
 * running the same command again gives the same answer until someone acts.
 */
public final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What the scheduler should do about it; the command line maps each to its exit code. */
    public enum Kind {
        /** The command cannot run as given (another key, a mistyped warehouse, empty reference data): exit 2. */
        CANNOT_RUN,
        /** The warehouse needs an operator's command first (an unfinished month): exit 3, alert, do not retry. */
        NEEDS_OPERATOR
    }

    private final Kind kind;

    private Refusal(Kind kind, String oneLine) {
        super(oneLine);
        this.kind = kind;
    }

    public static Refusal cannotRun(String oneLine) {
        return new Refusal(Kind.CANNOT_RUN, oneLine);
    }

    public static Refusal needsOperator(String oneLine) {
        return new Refusal(Kind.NEEDS_OPERATOR, oneLine);
    }

    public Kind kind() {
        return kind;
    }
}
