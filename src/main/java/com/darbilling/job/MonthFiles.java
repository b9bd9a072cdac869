package com.darbilling.job;

import com.darbilling.contract.FileRejection;
import com.darbilling.input.EventSource;
import com.darbilling.input.InputReader;
import com.darbilling.input.RawFile;
import com.darbilling.input.RejectedFile;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The raw files a month's reprocess (or its dry run) reads. */
final class MonthFiles {
    private MonthFiles() {
    }

    /**
     * The event_date partitions from the day before the month to the day after it (a local date is
     * within a day of the UTC date), every co-browse file, and the files outside the event_date
     * folders (set aside, so that reprocess and nightly bill the same rows).
     */
    static List<RawFile> listed(InputReader reader, YearMonth month) {
        List<RawFile> listed = new ArrayList<>();
        for (EventSource source : EventSource.values()) {
            listed.addAll(reader.listFiles(source, month.atDay(1).minusDays(1), month.atEndOfMonth().plusDays(1)));
            listed.addAll(reader.filesOutsidePartitions(source));
        }
        return listed;
    }

    /** The rejected files a month cannot be billed without: all but the empty ones, which are read past. */
    static List<RejectedFile> unreadable(List<RejectedFile> rejected) {
        return rejected.stream().filter(f -> f.reason() != FileRejection.EMPTY_FILE).toList();
    }

    /** The listed files without the rejected ones, per input. */
    static Map<EventSource, List<RawFile>> byInput(List<RawFile> listed, List<RejectedFile> rejected) {
        List<RawFile> skipped = rejected.stream().map(RejectedFile::file).toList();
        Map<EventSource, List<RawFile>> files = new EnumMap<>(EventSource.class);
        for (RawFile f : listed) {
            if (!skipped.contains(f)) {
                files.computeIfAbsent(f.source(), s -> new ArrayList<>()).add(f);
            }
        }
        return files;
    }
}
