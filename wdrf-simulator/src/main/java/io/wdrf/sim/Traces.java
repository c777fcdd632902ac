package io.wdrf.sim;

import io.wdrf.api.Node;
import io.wdrf.api.Quantity;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Trace loaders: Microsoft Philly (Pollux/adaptdl job list), Alibaba GPU 2023 ("openb"), our YAML scenarios and a
 * seeded synthetic trace. Malformed rows are skipped and counted with {@code file:line: reason}; a missing file or a
 * missing column is an {@link IllegalArgumentException} (nothing can be replayed).
 *
 * <h2>Philly</h2>
 * {@code philly.csv}: {@code timestamp,duration,num_gpus,gpu_time,cluster}. Arrival = timestamp (UTC) − earliest
 * timestamp; team = {@code vc-<cluster>}; request {@code nvidia.com/gpu: num_gpus}. Cluster: one ClusterQueue of
 * {@code --gpus} GPUs (default {@value #PHILLY_DEFAULT_GPUS}: the trace keeps on average 374 GPUs busy, so a
 * 768-GPU cluster runs at ~49% mean load and forms queues (hours at p99) at the trace's peaks; at 640 GPUs the
 * backlog reaches thousands of jobs for weeks and a replay takes several times longer).
 * Jobs needing more GPUs than the cluster has are skipped (counted). Team weights ({@code --team-weights trace}):
 * {@code philly_vc.csv} node counts divided by the smallest one (VCs not listed get 1).
 *
 * <h2>Alibaba</h2>
 * Pod list {@code openb_pod_list_*.csv}; arrival = creation_time; duration = deletion − scheduled when scheduled &gt;
 * 0, else deletion − creation. Requests: {@code cpu} (milli), {@code memory} (MiB), {@code nvidia.com/gpu: num_gpu},
 * {@code nvidia.com/gpucores} and, when {@code gpu_milli < 1000}, {@code nvidia.com/gpumem-percentage} =
 * gpu_milli / 10 (HAMi semantics: a fraction of each card; 1000 = exclusive cards), and
 * {@code nvidia.com/total-gpucores} = num_gpu × gpucores, the value Kueue's HAMi resource transformation charges
 * (the in-memory admission model has no transformations, so the loader precomputes it). Kueue's admission ignores
 * {@code nvidia.com/gpu*} (excludeResourcePrefixes) and charges cpu, memory and total-gpucores; the engine uses
 * HAMi's GPU fraction ({@code hami.io/gpu}). Nodes: {@code --nodes} (default {@value #ALIBABA_DEFAULT_NODES})
 * evenly spaced rows of {@code openb_node_list_gpu_node.csv} (row ⌊i·total/N⌋, keeping the model mix), each with a
 * HAMi register annotation listing its cards. Team rule: {@code <qos>-<b>} with qos lower-cased and
 * {@code b = FNV-1a-32(pod name) mod --team-buckets} (default 2). The default pod list never uses more than ~65
 * GPUs at a time, so queues only form on a very small slice of the 1,213 GPU nodes: 9 nodes (42 GPUs, 850 cores)
 * give queues of hours (a FIFO estimate: mean wait 1.6 h, backlog up to ~200 pods); 8 nodes (30 GPUs) a backlog of
 * over a thousand pods for weeks; 10 nodes (56 GPUs) almost no queueing.
 */
public final class Traces {

    /** Default Philly cluster size in GPUs. */
    public static final int PHILLY_DEFAULT_GPUS = 768;
    /** Default number of Alibaba GPU nodes. */
    public static final int ALIBABA_DEFAULT_NODES = 9;
    /** GPU resource of plain (non-HAMi) traces. */
    public static final String GPU = "nvidia.com/gpu";
    /** GPU-fraction resource used for Alibaba metrics (HAMi's default fraction resource name). */
    public static final String GPU_FRACTION = "hami.io/gpu";

    private static final DateTimeFormatter PHILLY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    private Traces() {
    }

    // ------------------------------------------------------------------------------------------ Philly

    /** Loads {@code philly.csv}; {@code philly_vc.csv} next to it supplies team weights when present. */
    public static Trace philly(Path file, LoadOptions options) {
        List<String[]> rows = new ArrayList<>();
        Errors errors = new Errors();
        Map<String, Integer> col = readCsv(file, List.of("timestamp", "duration", "num_gpus", "cluster"), rows, errors);
        int gpus = options.gpus() == null ? PHILLY_DEFAULT_GPUS : options.gpus();
        record Row(long ts, long line, long durationMillis, int gpus, String vc) {
        }
        List<Row> parsed = new ArrayList<>();
        String name = file.getFileName().toString();
        int tsCol = col.get("timestamp");
        int durCol = col.get("duration");
        int gpusCol = col.get("num_gpus");
        int vcCol = col.get("cluster");
        for (String[] r : rows) {
            try {
                long ts = phillyTime(r[tsCol].trim());
                long dur = seconds("duration", r[durCol]);
                int n = positiveInt("num_gpus", r[gpusCol]);
                String vc = r[vcCol].trim();
                if (!virtualClusterId(vc)) {
                    throw new IllegalArgumentException("cluster: '" + vc + "' is not a virtual-cluster id");
                }
                if (n > gpus) {
                    throw new IllegalArgumentException("num_gpus: job needs " + n + " GPUs, the cluster has " + gpus
                            + " (--gpus)");
                }
                parsed.add(new Row(ts, Long.parseLong(r[r.length - 1]), dur, n, vc));
            } catch (DateTimeParseException e) {
                errors.add(name + ":" + r[r.length - 1], "timestamp: '" + r[tsCol] + "' is not yyyy-MM-dd HH:mm:ss");
            } catch (IllegalArgumentException e) {
                errors.add(name + ":" + r[r.length - 1], e.getMessage());
            }
        }
        parsed.sort(Comparator.comparingLong(Row::ts).thenComparingLong(Row::line));
        if (options.limit() > 0 && parsed.size() > options.limit()) {
            parsed = new ArrayList<>(parsed.subList(0, options.limit()));
        }
        long t0 = parsed.isEmpty() ? 0 : parsed.get(0).ts();
        List<SimJob> jobs = new ArrayList<>(parsed.size());
        for (Row r : parsed) {
            String team = "vc-" + r.vc().toLowerCase(Locale.ROOT);
            long arrival = Math.round((r.ts() - t0) * 1000.0 / options.compress());
            jobs.add(new SimJob(zeroPadded("job-", r.line(), 6), team, arrival, r.durationMillis(),
                    Map.of(GPU, Integer.toString(r.gpus())), Map.of(GPU, (double) r.gpus()), "normal"));
        }
        Map<String, Double> weights = new TreeMap<>();
        Path vcFile = file.resolveSibling("philly_vc.csv");
        if ("trace".equals(options.teamWeights()) && Files.isRegularFile(vcFile)) {
            weights = phillyWeights(vcFile, errors);
        }
        SimCluster cluster = new SimCluster(Map.of(GPU, Integer.toString(gpus)), Map.of(GPU, (double) gpus), GPU,
                List.of(), false, List.of(), weights, "Philly: one ClusterQueue of " + gpus + " GPUs");
        return new Trace("philly", cluster, sorted(jobs), errors.messages, errors.count);
    }

    /**
     * {@code LocalDateTime.parse(text, yyyy-MM-dd HH:mm:ss)} as UTC epoch seconds. Text of exactly that shape with a
     * valid date and time (year 1..9999) is read directly, which is what the formatter returns for it; anything else
     * goes to the formatter, whose answer (including its SMART resolution and its errors) is the rule.
     *
     * @throws DateTimeParseException as the formatter does
     */
    static long phillyTime(String text) {
        if (text.length() == 19 && text.charAt(4) == '-' && text.charAt(7) == '-' && text.charAt(10) == ' '
                && text.charAt(13) == ':' && text.charAt(16) == ':') {
            int year = digits(text, 0, 4);
            int month = digits(text, 5, 2);
            int day = digits(text, 8, 2);
            int hour = digits(text, 11, 2);
            int minute = digits(text, 14, 2);
            int second = digits(text, 17, 2);
            if (year >= 1 && month >= 1 && month <= 12 && day >= 1 && hour <= 23 && minute <= 59 && second <= 59
                    && day <= java.time.YearMonth.of(year, month).lengthOfMonth()) {
                return java.time.LocalDate.of(year, month, day).toEpochDay() * 86_400L + hour * 3600L + minute * 60L
                        + second;
            }
        }
        return LocalDateTime.parse(text, PHILLY_TIME).toEpochSecond(ZoneOffset.UTC);
    }

    /** The non-negative decimal number of ASCII digits {@code text[from, from + n)}, or -1 when one is not a digit. */
    private static int digits(String text, int from, int n) {
        int v = 0;
        for (int i = from; i < from + n; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** {@code vc.matches("[A-Za-z0-9_.-]{1,40}")}, without a regular expression per row. */
    static boolean virtualClusterId(String vc) {
        if (vc.isEmpty() || vc.length() > 40) {
            return false;
        }
        for (int i = 0; i < vc.length(); i++) {
            char c = vc.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.'
                    || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** {@code String.format(Locale.ROOT, prefix + "%0<width>d", n)} for {@code n >= 0}. */
    static String zeroPadded(String prefix, long n, int width) {
        String digits = Long.toString(n);
        StringBuilder b = new StringBuilder(prefix.length() + Math.max(width, digits.length())).append(prefix);
        for (int i = digits.length(); i < width; i++) {
            b.append('0');
        }
        return b.append(digits).toString();
    }

    private static Map<String, Double> phillyWeights(Path vcFile, Errors errors) {
        List<String[]> rows = new ArrayList<>();
        Map<String, Integer> col = readCsv(vcFile, List.of("vc", "node num"), rows, errors);
        TreeMap<String, Double> nodes = new TreeMap<>();
        for (String[] r : rows) {
            String where = vcFile.getFileName() + ":" + r[r.length - 1];
            try {
                int n = positiveInt("node num", r[col.get("node num")]);
                nodes.put("vc-" + r[col.get("vc")].trim().toLowerCase(Locale.ROOT), (double) n);
            } catch (IllegalArgumentException e) {
                errors.add(where, e.getMessage());
            }
        }
        double min = nodes.values().stream().mapToDouble(Double::doubleValue).min().orElse(1.0);
        TreeMap<String, Double> w = new TreeMap<>();
        nodes.forEach((k, v) -> w.put(k, v / min));
        return w;
    }

    // ------------------------------------------------------------------------------------------ Alibaba

    /** Loads an {@code openb_pod_list_*.csv}; the node list {@code openb_node_list_gpu_node.csv} must sit next to it. */
    public static Trace alibaba(Path podFile, LoadOptions options) {
        Errors errors = new Errors();
        Path nodeFile = podFile.resolveSibling("openb_node_list_gpu_node.csv");
        List<String[]> nodeRows = new ArrayList<>();
        Map<String, Integer> nc = readCsv(nodeFile, List.of("sn", "cpu_milli", "memory_mib", "gpu", "model"), nodeRows, errors);
        record NodeRow(String sn, long cpuMilli, long memMiB, int gpus, String model) {
        }
        List<NodeRow> allNodes = new ArrayList<>();
        for (String[] r : nodeRows) {
            String where = nodeFile.getFileName() + ":" + r[r.length - 1];
            try {
                String sn = r[nc.get("sn")].trim();
                if (sn.isEmpty()) {
                    throw new IllegalArgumentException("sn: empty node name");
                }
                allNodes.add(new NodeRow(sn, nonNegativeLong("cpu_milli", r[nc.get("cpu_milli")]),
                        nonNegativeLong("memory_mib", r[nc.get("memory_mib")]),
                        (int) nonNegativeLong("gpu", r[nc.get("gpu")]), r[nc.get("model")].trim()));
            } catch (IllegalArgumentException e) {
                errors.add(where, e.getMessage());
            }
        }
        if (allNodes.isEmpty()) {
            throw new IllegalArgumentException(nodeFile + ": no valid node rows");
        }
        int n = Math.min(options.nodes() == null ? ALIBABA_DEFAULT_NODES : options.nodes(), allNodes.size());
        List<Node> nodes = new ArrayList<>();
        double cpu = 0;
        double mem = 0;
        double cards = 0;
        for (int i = 0; i < n; i++) {
            NodeRow r = allNodes.get((int) ((long) i * allNodes.size() / n));
            cpu += r.cpuMilli() / 1000.0;
            mem += r.memMiB();
            cards += r.gpus();
            nodes.add(hamiNode(r.sn(), r.cpuMilli(), r.memMiB(), r.gpus(), r.model()));
        }
        if (cards <= 0) {
            throw new IllegalArgumentException(nodeFile + ": the " + n + " selected nodes have no GPU; use more --nodes");
        }

        List<String[]> rows = new ArrayList<>();
        Map<String, Integer> col = readCsv(podFile, List.of("name", "cpu_milli", "memory_mib", "num_gpu", "gpu_milli",
                "qos", "creation_time", "deletion_time", "scheduled_time"), rows, errors);
        record PodRow(long created, long line, SimJob job) {
        }
        List<PodRow> pods = new ArrayList<>();
        String file = podFile.getFileName().toString();
        for (String[] r : rows) {
            String where = file + ":" + r[r.length - 1];
            try {
                String name = r[col.get("name")].trim();
                if (!name.matches("[a-z0-9]([-a-z0-9.]{0,200}[a-z0-9])?")) {
                    throw new IllegalArgumentException("name: '" + name + "' is not a valid object name");
                }
                long cpuMilli = nonNegativeLong("cpu_milli", r[col.get("cpu_milli")]);
                long memMiB = nonNegativeLong("memory_mib", r[col.get("memory_mib")]);
                int gpu = (int) nonNegativeLong("num_gpu", r[col.get("num_gpu")]);
                String gm = r[col.get("gpu_milli")].trim();
                long gpuMilli = gm.isEmpty() ? 0 : nonNegativeLong("gpu_milli", gm);
                if (gpu > 0 && (gpuMilli < 1 || gpuMilli > 1000)) {
                    throw new IllegalArgumentException("gpu_milli: " + gm + " must be in 1..1000 when num_gpu is " + gpu);
                }
                long created = nonNegativeLong("creation_time", r[col.get("creation_time")]);
                long deleted = nonNegativeLong("deletion_time", r[col.get("deletion_time")]);
                String st = r[col.get("scheduled_time")].trim();
                long scheduled = st.isEmpty() ? 0 : nonNegativeLong("scheduled_time", st);
                long duration = deleted - (scheduled > 0 ? scheduled : created);
                if (duration <= 0) {
                    throw new IllegalArgumentException("duration: deletion_time " + deleted + " is not after "
                            + (scheduled > 0 ? "scheduled_time " + scheduled : "creation_time " + created));
                }
                String qos = r[col.get("qos")].trim().toLowerCase(Locale.ROOT);
                if (!qos.matches("[a-z0-9]{1,30}")) {
                    throw new IllegalArgumentException("qos: '" + r[col.get("qos")] + "' is not a QoS class name");
                }
                long pct = gpu > 0 ? Math.max(1, Math.round(gpuMilli / 10.0)) : 0;
                double gpuFraction = gpu * pct / 100.0; // what HAMi books (and Kueue charges as total-gpucores / 100)
                if (cpuMilli / 1000.0 > cpu || memMiB > mem || gpuFraction > cards + 1e-9) {
                    throw new IllegalArgumentException("pod needs more than the whole simulated cluster (cpu " + cpuMilli
                            + "m, memory " + memMiB + "Mi, gpu " + gpuFraction + "; cluster of " + n + " nodes)");
                }
                Map<String, String> req = new TreeMap<>();
                req.put("cpu", cpuMilli + "m");
                req.put("memory", memMiB + "Mi");
                if (gpu > 0) {
                    req.put(GPU, Integer.toString(gpu));
                    req.put("nvidia.com/gpucores", Long.toString(pct));
                    if (gpuMilli < 1000) {
                        req.put("nvidia.com/gpumem-percentage", Long.toString(pct));
                    }
                    req.put("nvidia.com/total-gpucores", Long.toString(gpu * pct));
                }
                Map<String, Double> usage = new TreeMap<>();
                usage.put("cpu", cpuMilli / 1000.0);
                usage.put("memory", (double) memMiB);
                usage.put(GPU_FRACTION, gpuFraction);
                String team = qos + "-" + Integer.remainderUnsigned(fnv1a(name), options.teamBuckets());
                pods.add(new PodRow(created, Long.parseLong(r[r.length - 1]),
                        new SimJob(name, team, 0, duration * 1000, req, usage, "normal")));
            } catch (IllegalArgumentException e) {
                errors.add(where, e.getMessage());
            }
        }
        pods.sort(Comparator.comparingLong(PodRow::created).thenComparingLong(PodRow::line));
        if (options.limit() > 0 && pods.size() > options.limit()) {
            pods = new ArrayList<>(pods.subList(0, options.limit()));
        }
        long t0 = pods.isEmpty() ? 0 : pods.get(0).created();
        List<SimJob> jobs = new ArrayList<>(pods.size());
        for (PodRow p : pods) {
            SimJob j = p.job();
            jobs.add(new SimJob(j.name(), j.team(), Math.round((p.created() - t0) * 1000.0 / options.compress()),
                    j.durationMillis(), j.requests(), j.usage(), j.workloadClass()));
        }
        Map<String, String> quota = new TreeMap<>();
        quota.put("cpu", fmt(cpu));
        quota.put("memory", fmt(mem) + "Mi");
        quota.put("nvidia.com/total-gpucores", fmt(cards * 100));
        Map<String, Double> capacity = Map.of("cpu", cpu, "memory", mem, GPU_FRACTION, cards);
        SimCluster cluster = new SimCluster(quota, capacity, GPU_FRACTION, nodes, true, List.of("nvidia.com/gpu"),
                Map.of(), "Alibaba openb: " + n + " of " + allNodes.size() + " GPU nodes (" + fmt(cards) + " GPUs, "
                + fmt(cpu) + " cores), HAMi GPU fractions");
        return new Trace("alibaba", cluster, sorted(jobs), errors.messages, errors.count);
    }

    private static Node hamiNode(String sn, long cpuMilli, long memMiB, int gpus, String model) {
        int devmem = model.contains("32") ? 32768 : model.startsWith("A10") ? 24576 : 16384;
        StringBuilder reg = new StringBuilder("[");
        for (int g = 0; g < gpus; g++) {
            if (g > 0) {
                reg.append(',');
            }
            reg.append("{\"id\":\"GPU-").append(sn).append('-').append(g).append("\",\"index\":").append(g)
                    .append(",\"count\":10,\"devmem\":").append(devmem).append(",\"devcore\":100,\"type\":\"NVIDIA-")
                    .append(model).append("\",\"health\":true}");
        }
        reg.append(']');
        Map<String, String> alloc = new TreeMap<>();
        alloc.put("cpu", cpuMilli + "m");
        alloc.put("memory", memMiB + "Mi");
        alloc.put(GPU, Integer.toString(gpus * 10));
        return new Node(sn, Map.of("gpu-model", model), Map.of("hami.io/node-nvidia-register", reg.toString()), alloc,
                true, false);
    }

    /** FNV-1a 32-bit hash of the UTF-8 bytes: the stable team-bucket hash. */
    static int fnv1a(String s) {
        int h = 0x811c9dc5;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x01000193;
        }
        return h;
    }

    // ------------------------------------------------------------------------------------------ scenario

    /** Loads one of our YAML scenarios (format on {@code ScenarioLoader}; see the module README). */
    public static Trace scenario(Path file, LoadOptions options) {
        return ScenarioLoader.load(file, options);
    }

    // ------------------------------------------------------------------------------------------ synthetic

    /**
     * A seeded synthetic trace: {@code jobs} jobs of {@code teams} teams on {@code gpus} GPUs, Poisson arrivals at
     * ~{@code load} × capacity, sizes 1/1/1/2/4/8 GPUs, exponential durations with mean 1 h (at least 1 min).
     */
    public static Trace synthetic(long seed, int jobs, int teams, int gpus, double load) {
        return synthetic(seed, jobs, teams, gpus, load, Arrivals.POISSON);
    }

    /** {@link #synthetic(long, int, int, int, double)} with the given arrival process ({@link Arrivals}). */
    static Trace synthetic(long seed, int jobs, int teams, int gpus, double load, Arrivals arrivals) {
        Random rnd = new Random(seed);
        int[] sizes = {1, 1, 1, 2, 4, 8};
        double meanSize = 17.0 / 6.0;
        double meanDur = 3600.0;
        double rate = load * gpus / (meanSize * meanDur); // jobs per second
        List<SimJob> out = new ArrayList<>(jobs);
        double t = 0;
        for (int i = 0; i < jobs; i++) {
            t = arrivals.next(rnd, t, rate);
            int g = Math.min(gpus, sizes[rnd.nextInt(sizes.length)]);
            long dur = Math.max(60_000, Math.round(-Math.log(1 - rnd.nextDouble()) * meanDur * 1000));
            String team = "team-" + (char) ('a' + rnd.nextInt(Math.max(1, Math.min(teams, 26))));
            out.add(new SimJob(zeroPadded("job-", i, 6), team, Math.round(t * 1000), dur,
                    Map.of(GPU, Integer.toString(g)), Map.of(GPU, (double) g), "normal"));
        }
        SimCluster cluster = new SimCluster(Map.of(GPU, Integer.toString(gpus)), Map.of(GPU, (double) gpus), GPU,
                List.of(), false, List.of(), Map.of(), "synthetic: " + gpus + " GPUs, seed " + seed
                + (arrivals == Arrivals.DIURNAL ? ", diurnal arrivals" : ""));
        return new Trace("synthetic", cluster, sorted(out), List.of(), 0);
    }

    // ------------------------------------------------------------------------------------------ helpers

    static List<SimJob> sorted(List<SimJob> jobs) {
        List<SimJob> s = new ArrayList<>(jobs);
        s.sort(Comparator.comparingLong(SimJob::arrivalMillis).thenComparing(SimJob::team).thenComparing(SimJob::name));
        return s;
    }

    /**
     * Reads a headered CSV. Each returned row has the fields plus, as last element, its 1-based line number. Rows with
     * the wrong number of fields are skipped into {@code errors}.
     *
     * @return header name → column index
     */
    static Map<String, Integer> readCsv(Path file, List<String> required, List<String[]> rows, Errors errors) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": file not found");
        }
        String name = file.getFileName().toString();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null) {
                throw new IllegalArgumentException(file + ": empty file, expected a header with " + required);
            }
            if (header.startsWith("\uFEFF")) {
                header = header.substring(1);
            }
            String[] h = header.split(",", -1);
            Map<String, Integer> col = new LinkedHashMap<>();
            for (int i = 0; i < h.length; i++) {
                col.putIfAbsent(h[i].trim().toLowerCase(Locale.ROOT), i);
            }
            for (String r : required) {
                if (!col.containsKey(r)) {
                    throw new IllegalArgumentException(file + ":1: missing column '" + r + "' (header: " + header + ")");
                }
            }
            String line;
            long no = 1;
            while ((line = in.readLine()) != null) {
                no++;
                if (line.isBlank()) {
                    continue;
                }
                // line.split(",", -1) into an array one longer, for the line number (no second copy per row)
                int fields = 1;
                for (int c = line.indexOf(','); c >= 0; c = line.indexOf(',', c + 1)) {
                    fields++;
                }
                if (fields != h.length) {
                    errors.add(name + ":" + no, "expected " + h.length + " fields, found " + fields);
                    continue;
                }
                String[] withLine = new String[fields + 1];
                int start = 0;
                for (int i = 0; i < fields - 1; i++) {
                    int c = line.indexOf(',', start);
                    withLine[i] = line.substring(start, c);
                    start = c + 1;
                }
                withLine[fields - 1] = line.substring(start);
                withLine[fields] = Long.toString(no);
                rows.add(withLine);
            }
            return col;
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    static long seconds(String field, String raw) {
        double v;
        try {
            v = Double.parseDouble(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + ": '" + raw + "' is not a number of seconds");
        }
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(field + ": '" + raw + "' must be a positive number of seconds");
        }
        return Math.max(1, Math.round(v * 1000));
    }

    static int positiveInt(String field, String raw) {
        long v = nonNegativeLong(field, raw);
        if (v < 1 || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(field + ": '" + raw.trim() + "' must be a positive integer");
        }
        return (int) v;
    }

    static long nonNegativeLong(String field, String raw) {
        String s = raw.trim();
        long v;
        try {
            v = Long.parseLong(s);
        } catch (NumberFormatException e) {
            try {
                double d = Double.parseDouble(s);
                if (d != Math.rint(d) || Double.isInfinite(d)) {
                    throw new IllegalArgumentException(field + ": '" + s + "' is not an integer");
                }
                v = (long) d;
            } catch (NumberFormatException e2) {
                throw new IllegalArgumentException(field + ": '" + s + "' is not an integer");
            }
        }
        if (v < 0) {
            throw new IllegalArgumentException(field + ": '" + s + "' must not be negative");
        }
        return v;
    }

    static String fmt(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** Quantity → double, with the field named in the error. */
    static double quantity(String field, Object raw) {
        try {
            return Quantity.parse(String.valueOf(raw).trim()).doubleValue();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": '" + raw + "' is not a quantity (" + e.getMessage() + ")");
        }
    }

    static Map<String, Double> toDoubles(Map<String, String> m) {
        Map<String, Double> out = new HashMap<>();
        m.forEach((k, v) -> out.put(k, quantity(k, v)));
        return out;
    }
}
