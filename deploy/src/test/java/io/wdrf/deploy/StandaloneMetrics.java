package io.wdrf.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Prometheus metric families the controller registers, read from wdrf-standalone's sources (every Micrometer
 * {@code X.builder("wdrf....")} / {@code registry.x("wdrf....")}) and named the way Micrometer's Prometheus registry
 * names them: dots to underscores, counters {@code _total}, timers and {@code baseUnit("seconds")} {@code _seconds}.
 */
final class StandaloneMetrics {

    /**
     * Metrics other work in progress adds to the standalone (issue 15, item 4: fair share, deficit, evictions,
     * reservations, priority caps). The dashboard and alerts may reference them before they are registered;
     * {@link #PENDING} shrinks to nothing as they land - ObservabilityTest prints which are still missing.
     */
    static final Set<String> PENDING = Set.of("wdrf_tenant_fair_share", "wdrf_tenant_fair_share_deficit",
            "wdrf_evictions_caused_total", "wdrf_reservations_held", "wdrf_priority_capped_total");

    private static final Pattern BUILDER = Pattern.compile(
            "\\b(Timer|Counter|Gauge|MultiGauge|DistributionSummary|FunctionCounter|FunctionTimer|TimeGauge|LongTaskTimer)"
                    + "\\s*\\.\\s*builder\\(\\s*\"(wdrf\\.[a-z0-9_.]+)\"");
    private static final Pattern SHORTHAND = Pattern.compile(
            "\\.(counter|gauge|timer|summary|more\\(\\)\\.counter|more\\(\\)\\.timer)\\(\\s*\"(wdrf\\.[a-z0-9_.]+)\"");
    private static final Pattern BASE_UNIT = Pattern.compile("\\.baseUnit\\(\\s*\"([a-z]+)\"");

    private StandaloneMetrics() {
    }

    static Path sources() {
        return DeployFiles.root().resolveSibling("wdrf-standalone").resolve("src").resolve("main").resolve("java");
    }

    /** Registered metric families (Prometheus names), from the sources. */
    static Set<String> registered() {
        Set<String> out = new TreeSet<>();
        try (Stream<Path> walk = Files.walk(sources())) {
            for (Path f : walk.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                out.addAll(namesIn(Files.readString(f)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static Set<String> namesIn(String java) {
        Set<String> out = new TreeSet<>();
        Matcher m = BUILDER.matcher(java);
        while (m.find()) {
            int end = java.indexOf(".register(", m.end());
            String chain = end < 0 ? "" : java.substring(m.end(), end);
            Matcher unit = BASE_UNIT.matcher(chain);
            out.add(prometheusName(m.group(1), m.group(2), unit.find() ? unit.group(1) : null));
        }
        Matcher s = SHORTHAND.matcher(java);
        while (s.find()) {
            String kind = s.group(1).endsWith("counter") ? "Counter" : s.group(1).endsWith("timer") ? "Timer" : "Gauge";
            out.add(prometheusName(kind, s.group(2), null));
        }
        return out;
    }

    static String prometheusName(String meterType, String dotted, String baseUnit) {
        String base = dotted.replace('.', '_');
        String unit = switch (meterType) {
            case "Timer", "FunctionTimer", "LongTaskTimer", "TimeGauge" -> "seconds";
            default -> baseUnit;
        };
        if (unit != null && !base.endsWith("_" + unit)) {
            base = base + "_" + unit;
        }
        if (List.of("Counter", "FunctionCounter").contains(meterType) && !base.endsWith("_total")) {
            base = base + "_total";
        }
        return base;
    }
}
