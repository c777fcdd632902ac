package io.wdrf.sim.placement;

import io.wdrf.api.Node;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The static-fill experiment of the FGD paper (Weng et al., "Beware of Fragmentation", USENIX ATC '23, Fig. 9(a)),
 * with HAMi's placement policies instead of theirs: the whole Alibaba openb cluster
 * ({@code openb_node_list_all_node.csv}: 1,523 nodes, 6,212 GPUs) starts empty; pods of a pod list arrive one by one
 * in a seeded random order (after the list is used up, further pods are drawn from it with replacement) and never
 * leave; each is placed by {@link GpuNodes} under the policy or fails. When the GPUs requested by the arrived pods
 * reach a percentage of the cluster's GPUs, it records the GPU allocation rate (placed GPU fractions / GPUs) and the
 * fragmentation rate ({@link GpuNodes#fragmentedGpus()} / GPUs, target workload = the pod list's shapes by count).
 * No Kueue, no quota, no time: placement alone, as in the paper's experiment.
 *
 * <pre>
 * java -cp wdrf-standalone/target/wdrf-standalone.jar io.wdrf.sim.placement.FgdFill \
 *     --csv-dir ../shared/traces/alibaba-cluster-trace-gpu-v2023/csv [--pods openb_pod_list_default.csv]
 *     [--policies binpack,spread] [--seeds 42-51] [--at 90,95,100] [--slots 10]
 * </pre>
 * Prints a Markdown table: per policy and arrival percentage, the median over the seeds (and min–max).
 */
public final class FgdFill {

    private FgdFill() {
    }

    /** Result of one fill: arrival percentage → {allocation %, fragmentation %}. */
    record Fill(Map<Integer, double[]> at) {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> o = new TreeMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --key value, got '" + args[i] + "'");
            }
            o.put(args[i].substring(2), args[i + 1]);
        }
        Path dir = Path.of(o.getOrDefault("csv-dir", "."));
        String podFile = o.getOrDefault("pods", "openb_pod_list_default.csv");
        int slots = Integer.parseInt(o.getOrDefault("slots", "10"));
        List<Node> nodes = nodes(dir.resolve("openb_node_list_all_node.csv"), slots);
        List<Map<String, String>> pods = pods(dir.resolve(podFile));
        List<PlacementPolicy> policies = new ArrayList<>();
        for (String p : o.getOrDefault("policies", "binpack,spread").split(",")) {
            policies.add(PlacementPolicy.parse(p.trim()));
        }
        String[] seedRange = o.getOrDefault("seeds", "42-51").split("-");
        int from = Integer.parseInt(seedRange[0]);
        int to = seedRange.length > 1 ? Integer.parseInt(seedRange[1]) : from;
        int[] at = Arrays.stream(o.getOrDefault("at", "90,95,100").split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        print(System.out, podFile, nodes, pods, policies, from, to, at);
    }

    static void print(PrintStream out, String podFile, List<Node> nodes, List<Map<String, String>> pods,
                      List<PlacementPolicy> policies, int fromSeed, int toSeed, int[] at) {
        GpuNodes probe = GpuNodes.of(nodes);
        out.printf(Locale.ROOT, "%s on %d nodes (%d GPUs), seeds %d-%d; median (min-max) over the seeds%n%n", podFile,
                nodes.size(), (long) probe.totalGpus(), fromSeed, toSeed);
        out.println("| policy | arrived (% of GPUs) | GPU allocation | fragmentation |");
        out.println("|---|---|---|---|");
        for (PlacementPolicy p : policies) {
            List<Fill> fills = new ArrayList<>();
            for (int s = fromSeed; s <= toSeed; s++) {
                fills.add(fill(nodes, pods, p, s, at));
            }
            for (int a : at) {
                double[] alloc = fills.stream().mapToDouble(f -> f.at().get(a)[0]).sorted().toArray();
                double[] frag = fills.stream().mapToDouble(f -> f.at().get(a)[1]).sorted().toArray();
                out.printf(Locale.ROOT, "| %s | %d | %.2f %% (%.2f-%.2f) | %.2f %% (%.2f-%.2f) |%n", p.flagName(), a,
                        median(alloc), alloc[0], alloc[alloc.length - 1], median(frag), frag[0], frag[frag.length - 1]);
            }
        }
    }

    /** One fill under {@code policy} with pods in the order of {@code seed}. */
    static Fill fill(List<Node> nodeList, List<Map<String, String>> pods, PlacementPolicy policy, long seed, int[] at) {
        GpuNodes g = GpuNodes.of(nodeList);
        Map<PodShape, Long> counts = new LinkedHashMap<>();
        List<PodShape> shapes = new ArrayList<>(pods.size());
        List<Double> gpus = new ArrayList<>(pods.size());
        for (Map<String, String> r : pods) {
            PodShape s = PodShape.of(r);
            shapes.add(s);
            counts.merge(s, 1L, Long::sum);
            gpus.add(s.cards() * (s.memPercent() > 0 ? s.memPercent() : 100) / 100.0);
        }
        g.targetWorkload(counts);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < pods.size(); i++) {
            order.add(i);
        }
        Random rnd = new Random(seed);
        Collections.shuffle(order, rnd);
        int[] targets = at.clone();
        Arrays.sort(targets);
        Map<Integer, double[]> out = new TreeMap<>();
        double arrived = 0;
        int next = 0;
        int k = 0;
        while (next < targets.length) {
            int i = k < order.size() ? order.get(k) : rnd.nextInt(pods.size());
            k++;
            g.place(shapes.get(i), policy); // a pod that fits no node fails (it is still counted as arrived)
            arrived += gpus.get(i);
            while (next < targets.length && arrived >= targets[next] / 100.0 * g.totalGpus()) {
                out.put(targets[next++], new double[] {100 * g.allocatedGpus() / g.totalGpus(),
                        100 * g.fragmentedGpus() / g.totalGpus()});
            }
        }
        return new Fill(out);
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The node list as HAMi nodes: every card registered with {@code slots} slots (HAMi's deviceSplitCount). */
    static List<Node> nodes(Path file, int slots) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<String> header = List.of(lines.get(0).split(",", -1));
        int sn = header.indexOf("sn");
        int cpu = header.indexOf("cpu_milli");
        int mem = header.indexOf("memory_mib");
        int gpu = header.indexOf("gpu");
        int model = header.indexOf("model");
        List<Node> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",", -1);
            int cards = Integer.parseInt(f[gpu].trim());
            String m = f[model].trim();
            int devmem = m.contains("32") ? 32768 : m.startsWith("A10") ? 24576 : 16384;
            Map<String, String> annotations = new TreeMap<>();
            if (cards > 0) {
                StringBuilder reg = new StringBuilder("[");
                for (int c = 0; c < cards; c++) {
                    reg.append(c > 0 ? "," : "").append("{\"id\":\"GPU-").append(f[sn]).append('-').append(c)
                            .append("\",\"index\":").append(c).append(",\"count\":").append(slots).append(",\"devmem\":")
                            .append(devmem).append(",\"devcore\":100,\"type\":\"NVIDIA-").append(m)
                            .append("\",\"health\":true}");
                }
                annotations.put("hami.io/node-nvidia-register", reg.append(']').toString());
            }
            out.add(new Node(f[sn].trim(), Map.of(), annotations, Map.of("cpu", f[cpu].trim() + "m", "memory",
                    f[mem].trim() + "Mi"), true, false));
        }
        return out;
    }

    /** The pod list's requests, decoded as the simulator's Alibaba loader does (HAMi percentages of a card). */
    static List<Map<String, String>> pods(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<String> header = List.of(lines.get(0).split(",", -1));
        int cpu = header.indexOf("cpu_milli");
        int mem = header.indexOf("memory_mib");
        int num = header.indexOf("num_gpu");
        int milli = header.indexOf("gpu_milli");
        List<Map<String, String>> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",", -1);
            Map<String, String> r = new TreeMap<>();
            r.put("cpu", f[cpu].trim() + "m");
            r.put("memory", f[mem].trim() + "Mi");
            int g = Integer.parseInt(f[num].trim());
            if (g > 0) {
                long m = f[milli].isBlank() ? 1000 : Long.parseLong(f[milli].trim());
                long pct = Math.max(1, Math.round(m / 10.0));
                r.put("nvidia.com/gpu", Integer.toString(g));
                r.put("nvidia.com/gpucores", Long.toString(pct));
                if (m < 1000) {
                    r.put("nvidia.com/gpumem-percentage", Long.toString(pct));
                }
            }
            out.add(r);
        }
        return out;
    }
}
