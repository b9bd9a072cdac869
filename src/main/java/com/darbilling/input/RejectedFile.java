package com.darbilling.input;

import com.darbilling.contract.FileRejection;

/** A raw file a run could not bill, why, and what was wrong with it in one line. */
public record RejectedFile(RawFile file, FileRejection reason, String detail) {
    public String describe() {
        return "input " + file.source().table() + ": file " + file.path() + ": " + reason + " (" + detail + ")";
    }
}
