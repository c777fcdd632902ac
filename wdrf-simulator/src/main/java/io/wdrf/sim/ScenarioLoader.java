package io.wdrf.sim;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Our scenario format (YAML):
 * <pre>{@code
 * name: fifo-vs-drf
 * cluster:
 *   quota: {nvidia.com/gpu: 4}       # ClusterQueue quota; also the capacity used by metrics
 *   gpuResource: nvidia.com/gpu      # optional; the resource counted as GPUs (default nvidia.com/gpu)
 * teams: {team-a: 1, team-b: 2}      # team (namespace) -> weight
 * jobs:
 *   - {name: a, team: team-a, arrival: 0s, duration: 100s, requests: {nvidia.com/gpu: 4}, count: 10, every: 0s}
 *   - {name: b, team: team-b, arrival: 1s, duration: 100s, requests: {nvidia.com/gpu: 1}, class: urgent}
 * }</pre>
 * Times: a number of seconds or a number with {@code ms}, {@code s}, {@code m}, {@code h}, {@code d}. {@code count}
 * repeats a job (names {@code <name>-1..n}, arrivals {@code every} apart). A malformed job is skipped with
 * {@code file: jobs[i]: reason}; a malformed cluster section is an {@link IllegalArgumentException}.
 */
final class ScenarioLoader {

    private static final Pattern TIME = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)?");
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,200}[a-z0-9])?");

    private ScenarioLoader() {
    }

    static Trace load(Path file, LoadOptions options) {
        Object root;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        } catch (YAMLException e) {
            throw new IllegalArgumentException(file + ": not valid YAML: " + e.getMessage());
        }
        String fileName = file.getFileName().toString();
        if (!(root instanceof Map<?, ?> doc)) {
            throw new IllegalArgumentException(file + ": expected a mapping with cluster, teams, jobs");
        }
        String name = doc.get("name") == null ? fileName.replaceFirst("\\.ya?ml$", "") : String.valueOf(doc.get("name"));
        if (!(doc.get("cluster") instanceof Map<?, ?> cluster) || !(cluster.get("quota") instanceof Map<?, ?> quotaRaw)
                || quotaRaw.isEmpty()) {
            throw new IllegalArgumentException(file + ": cluster.quota: a mapping resource -> quantity is required");
        }
        Map<String, String> quota = new TreeMap<>();
        Map<String, Double> capacity = new TreeMap<>();
        quotaRaw.forEach((k, v) -> {
            String res = String.valueOf(k);
            double q = Traces.quantity(fileName + ": cluster.quota." + res, v);
            if (!(q > 0)) {
                throw new IllegalArgumentException(fileName + ": cluster.quota." + res + ": must be positive");
            }
            quota.put(res, String.valueOf(v).trim());
            capacity.put(res, q);
        });
        String gpuResource = cluster.get("gpuResource") == null ? Traces.GPU : String.valueOf(cluster.get("gpuResource"));
        if (!capacity.containsKey(gpuResource)) {
            throw new IllegalArgumentException(fileName + ": cluster.gpuResource: '" + gpuResource
                    + "' has no quota in cluster.quota " + capacity.keySet());
        }
        Map<String, Double> weights = new TreeMap<>();
        if (doc.get("teams") instanceof Map<?, ?> teams) {
            teams.forEach((k, v) -> {
                double w;
                try {
                    w = Double.parseDouble(String.valueOf(v));
                } catch (NumberFormatException e) {
                    w = Double.NaN;
                }
                if (!(w > 0) || Double.isInfinite(w)) {
                    throw new IllegalArgumentException(fileName + ": teams." + k + ": weight '" + v + "' must be > 0");
                }
                weights.put(String.valueOf(k), w);
            });
        } else if (doc.get("teams") != null) {
            throw new IllegalArgumentException(fileName + ": teams: expected a mapping team -> weight");
        }
        Errors errors = new Errors();
        List<SimJob> jobs = new ArrayList<>();
        Object jobsRaw = doc.get("jobs");
        if (!(jobsRaw instanceof List<?> list)) {
            throw new IllegalArgumentException(fileName + ": jobs: expected a list");
        }
        for (int i = 0; i < list.size(); i++) {
            String where = fileName + ": jobs[" + i + "]";
            try {
                if (!(list.get(i) instanceof Map<?, ?> j)) {
                    throw new IllegalArgumentException("expected a mapping");
                }
                String jobName = required(j, "name");
                String team = required(j, "team");
                for (String n : List.of(jobName, team)) {
                    if (!NAME.matcher(n).matches()) {
                        throw new IllegalArgumentException("'" + n + "' is not a valid lower-case object name");
                    }
                }
                long arrival = millis("arrival", j.get("arrival") == null ? "0" : j.get("arrival"));
                long duration = millis("duration", j.get("duration"));
                if (duration <= 0) {
                    throw new IllegalArgumentException("duration: must be positive");
                }
                if (!(j.get("requests") instanceof Map<?, ?> reqRaw) || reqRaw.isEmpty()) {
                    throw new IllegalArgumentException("requests: a mapping resource -> quantity is required");
                }
                Map<String, String> req = new TreeMap<>();
                Map<String, Double> usage = new TreeMap<>();
                for (Map.Entry<?, ?> e : reqRaw.entrySet()) {
                    String res = String.valueOf(e.getKey());
                    double v = Traces.quantity("requests." + res, e.getValue());
                    if (v < 0) {
                        throw new IllegalArgumentException("requests." + res + ": must not be negative");
                    }
                    if (capacity.containsKey(res) && v > capacity.get(res)) {
                        throw new IllegalArgumentException("requests." + res + ": " + e.getValue()
                                + " exceeds the cluster quota " + quota.get(res));
                    }
                    req.put(res, String.valueOf(e.getValue()).trim());
                    if (capacity.containsKey(res)) {
                        usage.put(res, v);
                    }
                }
                int count = j.get("count") == null ? 1 : Traces.positiveInt("count", String.valueOf(j.get("count")));
                long every = j.get("every") == null ? 0 : millis("every", j.get("every"));
                String cls = j.get("class") == null ? "normal" : String.valueOf(j.get("class"));
                for (int k = 0; k < count; k++) {
                    String n = count == 1 ? jobName : jobName + "-" + (k + 1);
                    jobs.add(new SimJob(n, team, Math.round((arrival + k * every) / options.compress()), duration, req,
                            usage, cls));
                }
            } catch (IllegalArgumentException e) {
                errors.add(where, e.getMessage());
            }
        }
        List<SimJob> sorted = Traces.sorted(jobs);
        if (options.limit() > 0 && sorted.size() > options.limit()) {
            sorted = sorted.subList(0, options.limit());
        }
        SimCluster c = new SimCluster(quota, capacity, gpuResource, List.of(), false, List.of(), weights,
                "scenario " + name + ": quota " + quota);
        return new Trace(name, c, sorted, errors.messages, errors.count);
    }

    private static String required(Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (v == null || String.valueOf(v).isBlank()) {
            throw new IllegalArgumentException(key + ": required");
        }
        return String.valueOf(v).trim();
    }

    /** Parses {@code 90}, {@code 90s}, {@code 1.5h}, {@code 500ms}, {@code 2d} into milliseconds. */
    static long millis(String field, Object raw) {
        if (raw == null) {
            throw new IllegalArgumentException(field + ": required");
        }
        Matcher m = TIME.matcher(String.valueOf(raw).trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(field + ": '" + raw + "' is not a duration (e.g. 90s, 5m, 1.5h)");
        }
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double factor = switch (unit) {
            case "ms" -> 1;
            case "m" -> 60_000;
            case "h" -> 3_600_000;
            case "d" -> 86_400_000;
            default -> 1000;
        };
        return Math.round(v * factor);
    }
}
