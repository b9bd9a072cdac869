package com.darbilling.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads the first table under a heading of a Markdown file: documented examples as test data. */
public final class MarkdownTables {
    private MarkdownTables() {
    }

    /** Rows of the table under {@code heading}, header and separator excluded; cells trimmed. */
    public static List<List<String>> table(Path file, String heading) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int start = lines.indexOf(heading);
        if (start < 0) {
            throw new IllegalArgumentException(file + " has no heading '" + heading + "'");
        }
        List<List<String>> rows = new ArrayList<>();
        boolean inTable = false;
        for (int i = start + 1; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.startsWith("|")) {
                inTable = true;
                List<String> cells = Arrays.stream(line.substring(1, line.length() - 1).split("\\|")).map(String::trim).toList();
                rows.add(cells);
            } else if (inTable || line.startsWith("#")) {
                break;
            }
        }
        if (rows.size() < 2) {
            throw new IllegalArgumentException(file + ": no table under '" + heading + "'");
        }
        return rows.subList(2, rows.size());
    }
}
