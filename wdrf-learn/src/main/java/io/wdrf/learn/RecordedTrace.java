package io.wdrf.learn;

import io.wdrf.api.Quantity;
import io.wdrf.sim.SimCluster;
import io.wdrf.sim.SimJob;
import io.wdrf.sim.Trace;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads a {@link Recorder} database back: as a simulator {@link Trace}, or as CSV files. */
public final class RecordedTrace {

    private RecordedTrace() {
    }

    /**
     * The completed jobs of {@code db} as a trace: arrival = recorded arrival − the earliest arrival, duration = the
     * last run (finish − last admission), requests as recorded, team = namespace; the cluster has the latest recorded
     * capacity as its quota and the latest tenant weights. Jobs that never finished are skipped (listed in
     * {@link Trace#errors()}).
     *
     * @param gpuResource the resource counted as GPUs ({@code nvidia.com/gpu} or {@code hami.io/gpu})
     */
    public static Trace load(Path db, String gpuResource) throws SQLException {
        if (!Files.isRegularFile(db)) {
            throw new SQLException(db + ": no such database");
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
             Statement s = c.createStatement()) {
            Map<String, Double> capacity = new TreeMap<>();
            try (ResultSet r = s.executeQuery("SELECT resource, amount FROM capacity WHERE at_ms = (SELECT MAX(at_ms) FROM capacity)")) {
                while (r.next()) {
                    capacity.put(r.getString(1), r.getDouble(2));
                }
            }
            Map<String, Double> weights = new TreeMap<>();
            try (ResultSet r = s.executeQuery("SELECT tenant, weight FROM cycles c WHERE at_ms = "
                    + "(SELECT MAX(at_ms) FROM cycles d WHERE d.tenant = c.tenant) ORDER BY tenant")) {
                while (r.next()) {
                    if (r.getDouble(2) != 1.0) {
                        weights.put(r.getString(1), r.getDouble(2));
                    }
                }
            }
            List<SimJob> jobs = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            long skipped = 0;
            long t0 = 0;
            try (ResultSet r = s.executeQuery("SELECT MIN(arrival_ms) FROM jobs")) {
                if (r.next()) {
                    t0 = r.getLong(1);
                }
            }
            try (ResultSet r = s.executeQuery("SELECT namespace, name, class, requests, arrival_ms, finished_ms, "
                    + "running_since_ms FROM jobs ORDER BY arrival_ms, namespace, name")) {
                while (r.next()) {
                    String ns = r.getString(1);
                    String name = r.getString(2);
                    long fin = r.getLong(6);
                    boolean finished = !r.wasNull();
                    long since = r.getLong(7);
                    boolean ran = !r.wasNull();
                    if (!finished || !ran || fin <= since) {
                        skipped++;
                        if (errors.size() < Trace.MAX_ERRORS) {
                            errors.add(db.getFileName() + ": " + ns + "/" + name + ": not completed, skipped");
                        }
                        continue;
                    }
                    Map<String, String> req = Recorder.parseCanonical(r.getString(4));
                    Map<String, Double> usage = new TreeMap<>();
                    req.forEach((k, v) -> usage.put(k, Quantity.parseDouble(v)));
                    jobs.add(new SimJob(name, ns, r.getLong(5) - t0, fin - since, req, usage, r.getString(3)));
                }
            }
            Map<String, String> quota = new TreeMap<>();
            capacity.forEach((k, v) -> quota.put(k, java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString()));
            SimCluster cluster = new SimCluster(quota, capacity, gpuResource, List.of(), false, List.of(), weights,
                    "recorded: " + db.getFileName());
            return new Trace("recorded", cluster, jobs, errors, skipped);
        }
    }

    /** Writes {@code jobs.csv}, {@code cycles.csv} and {@code capacity.csv} into {@code dir}. */
    public static List<Path> exportCsv(Path db, Path dir) throws SQLException, IOException {
        Files.createDirectories(dir);
        List<Path> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
             Statement s = c.createStatement()) {
            for (String table : List.of("jobs", "cycles", "capacity")) {
                Path f = dir.resolve(table + ".csv");
                try (ResultSet r = s.executeQuery("SELECT * FROM " + table + " ORDER BY 1, 2");
                     Writer w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
                    ResultSetMetaData md = r.getMetaData();
                    int n = md.getColumnCount();
                    for (int i = 1; i <= n; i++) {
                        w.write((i > 1 ? "," : "") + md.getColumnName(i));
                    }
                    w.write("\n");
                    while (r.next()) {
                        for (int i = 1; i <= n; i++) {
                            String v = r.getString(i);
                            w.write((i > 1 ? "," : "") + csv(v));
                        }
                        w.write("\n");
                    }
                }
                out.add(f);
            }
        }
        return out;
    }

    static String csv(String v) {
        if (v == null) {
            return "";
        }
        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            return '"' + v.replace("\"", "\"\"") + '"';
        }
        return v;
    }
}
