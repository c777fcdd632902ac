package io.wdrf.standalone;

import io.wdrf.api.ClusterView;
import io.wdrf.api.PriorityWriter;
import io.wdrf.backend.common.LeaderElection;

import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A connected backend: the read side, the write side, leader election (null = this replica always writes), and
 * what to close on shutdown.
 */
record Backend(String name, ClusterView view, PriorityWriter writer, LeaderElection election, AutoCloseable resources)
        implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Backend.class.getName());

    Backend {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(writer, "writer");
    }

    /** Closes the view, the writer (when closeable) and the other resources; never throws. */
    @Override
    public void close() {
        quietly("view", view);
        if (writer != view && writer instanceof AutoCloseable c) {
            quietly("writer", c);
        }
        if (resources != null) {
            quietly("client", resources);
        }
    }

    private void quietly(String what, AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "closing the " + name + " backend's " + what + " failed", e);
        }
    }
}
