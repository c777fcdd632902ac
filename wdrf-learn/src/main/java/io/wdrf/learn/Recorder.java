package io.wdrf.learn;

import io.wdrf.api.ContainerSpec;
import io.wdrf.api.PendingWorkload;
import io.wdrf.api.PodSet;
import io.wdrf.api.PolicyContext;
import io.wdrf.api.Quantity;
import io.wdrf.api.TenantState;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * {@code wdrf record}: writes cycle snapshots and job outcomes to an SQLite database.
 *
 * <pre>
 *   jobs(namespace, name, class, requests, arrival_ms, admitted_ms, finished_ms, evictions, running_since_ms)
 *   cycles(at_ms, tenant, weight, pending, admitted, share, dominant, usage)
 *   capacity(at_ms, resource, amount)
 *   meta(key, value)
 * </pre>
 * What is recorded: workload and namespace names, the honoured class, total resource requests (a canonical
 * {@code resource=quantity;…} string), times, eviction counts, tenant weights, usage and shares. Never labels,
 * annotations, environment, images or anything else a workload carries (they can hold secrets).
 *
 * <p>Bounded: {@link #prune} deletes cycles and finished jobs older than the retention before the newest record.
 * Safe on restart: every write is an idempotent upsert inside one transaction per call; WAL journal; reopening an
 * existing database continues it. Times are epoch milliseconds. Not thread-safe.
 */
public final class Recorder implements AutoCloseable {

    /** Schema version in {@code meta}. */
    public static final String SCHEMA_VERSION = "1";

    private final Connection db;
    private final Duration retention;
    private Set<WorkloadId> running = new HashSet<>();
    private Set<WorkloadId> present = new HashSet<>();

    /** Opens (creating if needed) the database at {@code file}. */
    public Recorder(Path file, Duration retention) throws SQLException {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("--retention: " + retention + " must be positive");
        }
        this.retention = retention;
        this.db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement s = db.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=NORMAL");
            s.execute("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS jobs(namespace TEXT NOT NULL, name TEXT NOT NULL, class TEXT NOT NULL,"
                    + " requests TEXT NOT NULL, arrival_ms INTEGER NOT NULL, admitted_ms INTEGER, finished_ms INTEGER,"
                    + " evictions INTEGER NOT NULL DEFAULT 0, running_since_ms INTEGER, PRIMARY KEY(namespace, name))");
            s.execute("CREATE TABLE IF NOT EXISTS cycles(at_ms INTEGER NOT NULL, tenant TEXT NOT NULL, weight REAL NOT NULL,"
                    + " pending INTEGER NOT NULL, admitted INTEGER NOT NULL, share REAL NOT NULL, dominant TEXT NOT NULL,"
                    + " usage TEXT NOT NULL, PRIMARY KEY(at_ms, tenant))");
            s.execute("CREATE TABLE IF NOT EXISTS capacity(at_ms INTEGER NOT NULL, resource TEXT NOT NULL,"
                    + " amount REAL NOT NULL, PRIMARY KEY(at_ms, resource))");
        }
        db.setAutoCommit(false);
        try (PreparedStatement p = db.prepareStatement("INSERT INTO meta(key, value) VALUES('schema', ?) "
                + "ON CONFLICT(key) DO NOTHING")) {
            p.setString(1, SCHEMA_VERSION);
            p.executeUpdate();
        }
        try (Statement s = db.createStatement();
             ResultSet r = s.executeQuery("SELECT value FROM meta WHERE key='schema'")) {
            if (r.next() && !SCHEMA_VERSION.equals(r.getString(1))) {
                throw new SQLException(file + ": schema version " + r.getString(1) + ", this recorder writes "
                        + SCHEMA_VERSION);
            }
        }
        try (Statement s = db.createStatement();
             ResultSet r = s.executeQuery("SELECT namespace, name FROM jobs WHERE running_since_ms IS NOT NULL")) {
            while (r.next()) {
                running.add(new WorkloadId(r.getString(1), r.getString(2)));
            }
        }
        db.commit();
    }

    // ------------------------------------------------------------------ events (exact, e.g. from the simulator)

    /** A job arrived (idempotent: a second call keeps the first arrival). */
    public void arrived(WorkloadId id, Instant at, String workloadClass, Map<String, String> requests) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("INSERT INTO jobs(namespace, name, class, requests, arrival_ms) "
                + "VALUES(?,?,?,?,?) ON CONFLICT(namespace, name) DO NOTHING")) {
            p.setString(1, id.namespace());
            p.setString(2, id.name());
            p.setString(3, workloadClass == null || workloadClass.isEmpty() ? "normal" : workloadClass);
            p.setString(4, canonical(requests));
            p.setLong(5, at.toEpochMilli());
            p.executeUpdate();
        }
    }

    /** A job got quota; the first admission is kept, {@code running_since_ms} is the latest. */
    public void admitted(WorkloadId id, Instant at) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("UPDATE jobs SET admitted_ms = COALESCE(admitted_ms, ?), "
                + "running_since_ms = ? WHERE namespace = ? AND name = ? AND finished_ms IS NULL")) {
            p.setLong(1, at.toEpochMilli());
            p.setLong(2, at.toEpochMilli());
            p.setString(3, id.namespace());
            p.setString(4, id.name());
            p.executeUpdate();
        }
        running.add(id);
    }

    /** A running job was evicted or preempted (it is pending again). */
    public void evicted(WorkloadId id) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("UPDATE jobs SET evictions = evictions + 1, running_since_ms = NULL "
                + "WHERE namespace = ? AND name = ? AND running_since_ms IS NOT NULL")) {
            p.setString(1, id.namespace());
            p.setString(2, id.name());
            p.executeUpdate();
        }
        running.remove(id);
    }

    /** A job finished (idempotent). */
    public void finished(WorkloadId id, Instant at) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("UPDATE jobs SET finished_ms = ? WHERE namespace = ? AND name = ? "
                + "AND finished_ms IS NULL AND running_since_ms IS NOT NULL")) {
            p.setLong(1, at.toEpochMilli());
            p.setString(2, id.namespace());
            p.setString(3, id.name());
            p.executeUpdate();
        }
        running.remove(id);
    }

    // ------------------------------------------------------------------ cycles

    /**
     * Records one controller cycle: tenants (pending, admitted, share, usage), capacity, and, from the snapshot the
     * context was built on, job transitions seen by diffing (arrival, admission, eviction, completion or deletion
     * of an admitted job) for backends without exact events. Commits.
     */
    public void cycle(PolicyContext context) throws SQLException {
        long at = context.now().toEpochMilli();
        try (PreparedStatement p = db.prepareStatement("INSERT INTO cycles(at_ms, tenant, weight, pending, admitted, share, "
                + "dominant, usage) VALUES(?,?,?,?,?,?,?,?) ON CONFLICT(at_ms, tenant) DO UPDATE SET weight=excluded.weight, "
                + "pending=excluded.pending, admitted=excluded.admitted, share=excluded.share, "
                + "dominant=excluded.dominant, usage=excluded.usage")) {
            for (TenantState t : context.tenants().values()) {
                p.setLong(1, at);
                p.setString(2, t.name());
                p.setDouble(3, t.weight());
                p.setInt(4, t.pending());
                p.setInt(5, t.admitted());
                p.setDouble(6, t.weightedDominantShare());
                p.setString(7, t.dominantResource());
                p.setString(8, numbers(t.usage().asMap()));
                p.addBatch();
            }
            p.executeBatch();
        }
        try (PreparedStatement p = db.prepareStatement("INSERT INTO capacity(at_ms, resource, amount) VALUES(?,?,?) "
                + "ON CONFLICT(at_ms, resource) DO UPDATE SET amount=excluded.amount")) {
            for (Map.Entry<String, Double> e : context.capacity().asMap().entrySet()) {
                p.setLong(1, at);
                p.setString(2, e.getKey());
                p.setDouble(3, e.getValue());
                p.addBatch();
            }
            p.executeBatch();
        }
        Map<WorkloadId, String> classes = new TreeMap<>();
        for (PendingWorkload pw : context.pending()) {
            classes.put(pw.id(), pw.workloadClass());
        }
        Set<WorkloadId> seen = new HashSet<>();
        Set<WorkloadId> admittedNow = new HashSet<>();
        for (Workload w : context.snapshot().workloads()) {
            seen.add(w.id());
            arrived(w.id(), w.creationTime(), classes.getOrDefault(w.id(), "normal"), totalRequests(w));
            switch (w.phase()) {
                case FINISHED -> finished(w.id(), context.now());
                case PENDING -> {
                    if (running.contains(w.id())) {
                        evicted(w.id());
                    }
                }
                default -> {
                    admittedNow.add(w.id());
                    if (!running.contains(w.id())) {
                        admitted(w.id(), context.now());
                    }
                }
            }
        }
        for (WorkloadId id : Set.copyOf(running)) {
            if (!seen.contains(id) && present.contains(id)) {
                finished(id, context.now()); // an admitted workload that disappeared: completed and deleted
            }
        }
        present = seen;
        prune(at);
        db.commit();
    }

    /** Deletes cycles and finished jobs older than {@code retention} before {@code nowMillis}. */
    void prune(long nowMillis) throws SQLException {
        long cutoff = nowMillis - retention.toMillis();
        try (PreparedStatement a = db.prepareStatement("DELETE FROM cycles WHERE at_ms < ?");
             PreparedStatement b = db.prepareStatement("DELETE FROM capacity WHERE at_ms < ?");
             PreparedStatement c = db.prepareStatement("DELETE FROM jobs WHERE finished_ms IS NOT NULL AND finished_ms < ?")) {
            for (PreparedStatement p : new PreparedStatement[]{a, b, c}) {
                p.setLong(1, cutoff);
                p.executeUpdate();
            }
        }
    }

    /** Commits pending event writes. */
    public void flush() throws SQLException {
        db.commit();
    }

    @Override
    public void close() throws SQLException {
        try {
            db.commit();
        } finally {
            db.close();
        }
    }

    /** Σ over pod sets of count × Σ containers' effective requests, per resource, as plain decimal quantities. */
    static Map<String, String> totalRequests(Workload w) {
        Map<String, BigDecimal> sum = new TreeMap<>();
        for (PodSet ps : w.podSets()) {
            for (ContainerSpec c : ps.containers()) {
                for (String r : c.resourceNames()) {
                    String q = c.effectiveRequest(r);
                    if (q == null) {
                        continue;
                    }
                    try {
                        sum.merge(r, Quantity.parse(q).multiply(BigDecimal.valueOf(ps.count())), BigDecimal::add);
                    } catch (IllegalArgumentException e) {
                        // a malformed quantity is not recorded (the engine reports it)
                    }
                }
            }
        }
        Map<String, String> out = new TreeMap<>();
        sum.forEach((k, v) -> out.put(k, v.stripTrailingZeros().toPlainString()));
        return out;
    }

    static String canonical(Map<String, String> m) {
        StringJoiner j = new StringJoiner(";");
        new TreeMap<>(m).forEach((k, v) -> j.add(k + "=" + v));
        return j.toString();
    }

    static String numbers(Map<String, Double> m) {
        StringJoiner j = new StringJoiner(";");
        new TreeMap<>(m).forEach((k, v) -> j.add(k + "=" + v));
        return j.toString();
    }

    /** Parses {@link #canonical}. */
    static Map<String, String> parseCanonical(String s) {
        Map<String, String> m = new TreeMap<>();
        if (s == null || s.isEmpty()) {
            return m;
        }
        for (String part : s.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                m.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return m;
    }
}
