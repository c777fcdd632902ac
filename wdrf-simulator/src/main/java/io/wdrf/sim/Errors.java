package io.wdrf.sim;

import java.util.ArrayList;
import java.util.List;

/** Collects skipped-row messages ({@code file:line: reason}), keeping the first {@link Trace#MAX_ERRORS}. */
final class Errors {
    final List<String> messages = new ArrayList<>();
    long count;

    void add(String where, String reason) {
        count++;
        if (messages.size() < Trace.MAX_ERRORS) {
            messages.add(where + ": " + reason);
        }
    }
}
