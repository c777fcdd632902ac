package io.wdrf.standalone;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.wdrf.api.SettingException;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.TenantInputs;
import io.wdrf.api.PriorityTarget;
import io.wdrf.engine.PriorityBase;
import io.wdrf.engine.ReconcilerSettings;
import io.wdrf.hami.HamiConfig;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Loads and validates the configuration.
 *
 * <p>Precedence, highest first: command-line flags, the seed environment variables ({@code LOG_LEVEL},
 * {@code LOOP_INTERVAL}, {@code AGING_COEFFICIENT}, {@code MAX_AGING_TIME}, {@code KUBECONFIG_PATH}), JVM system
 * properties ({@code -Dwdrf.x=y}), the {@code --config} file (HOCON, or the seed's YAML shape), command defaults
 * (e.g. the demo's), and {@code reference.conf}. Every problem is reported as an {@link InvalidConfigException}
 * naming the HOCON key path.
 */
final class ConfigLoader {

    static final String ROOT = "wdrf";

    /** Sections whose keys are user data (resource, tenant, class names), not settings. */
    private static final Set<String> MAP_SECTIONS = Set.of("priority-weights", "resource-weights", "tenant-weights",
            "class-namespaces", "priority-class-mapping", "policy-options");

    static final List<String> BACKENDS = List.of("fabric8", "official", "memory");
    static final List<String> LOG_LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

    /**
     * Seed keys (environment and YAML) and where they go: seed 000's variables and {@code config.yaml} keys, seed
     * 001's variables ({@code SCHEDULING_INTERVAL}, {@code KUEUE_ENABLED}) and ConfigMap keys ({@code aging_alpha},
     * {@code max_aging_hours}, {@code priority_weights}). Keys that cannot be mapped exactly are refused with the
     * migration (docs/migrating.md).
     */
    private enum SeedKey {
        LOG_LEVEL("LOG_LEVEL", "wdrf.log-level", Kind.STRING),
        LOOP_INTERVAL("LOOP_INTERVAL", "wdrf.loop-interval", Kind.SECONDS),
        SCHEDULING_INTERVAL("SCHEDULING_INTERVAL", "wdrf.loop-interval", Kind.SECONDS),
        AGING_COEFFICIENT("AGING_COEFFICIENT", "wdrf.aging.coefficient", Kind.NUMBER),
        MAX_AGING_TIME("MAX_AGING_TIME", "wdrf.aging.max-time", Kind.SECONDS),
        KUBECONFIG_PATH("KUBECONFIG_PATH", "wdrf.kube.kubeconfig", Kind.STRING),
        KUEUE_ENABLED("KUEUE_ENABLED", null, Kind.KUEUE_ENABLED),
        PRIORITY_WEIGHTS("PRIORITY_WEIGHTS", "wdrf.priority-weights", Kind.MAP),
        RESOURCE_WEIGHTS("RESOURCE_WEIGHTS", "wdrf.resource-weights", Kind.MAP),
        TENANT_WEIGHTS("TENANT_WEIGHTS", "wdrf.tenant-weights", Kind.MAP),
        AGING_ALPHA("aging_alpha", "wdrf.aging.coefficient", Kind.AGING_ALPHA),
        MAX_AGING_HOURS("max_aging_hours", "wdrf.aging.max-time", Kind.HOURS),
        LOWER_IS_BETTER_WEIGHTS("priority_weights", "wdrf.priority-weights", Kind.LOWER_IS_BETTER),
        // WDRF's own variables (not the seeds'): the settings an operator flips per deployment
        WDRF_WRITE_ORDER("WDRF_WRITE_ORDER", "wdrf.write.order", Kind.STRING),
        WDRF_OPEN_PRIORITY_CLASS_MAPPING("WDRF_OPEN_PRIORITY_CLASS_MAPPING",
                "wdrf.tenant-inputs.open-priority-class-mapping", Kind.STRING),
        WDRF_NAMESPACE_WEIGHTS("WDRF_NAMESPACE_WEIGHTS", "wdrf.tenant-inputs.namespace-weights", Kind.STRING),
        WDRF_LABEL_TENANTS("WDRF_LABEL_TENANTS", "wdrf.tenant-inputs.label-tenants", Kind.STRING);

        enum Kind { STRING, NUMBER, SECONDS, HOURS, MAP, KUEUE_ENABLED, AGING_ALPHA, LOWER_IS_BETTER }

        final String key;
        final String path;
        final Kind kind;

        SeedKey(String key, String path, Kind kind) {
            this.key = key;
            this.path = path;
            this.kind = kind;
        }

        /** Read from the environment (scalars named in upper case). */
        boolean fromEnv() {
            return key.equals(key.toUpperCase(Locale.ROOT)) && kind != Kind.MAP;
        }

        static SeedKey of(String key) {
            for (SeedKey k : values()) {
                if (k.key.equals(key)) {
                    return k;
                }
            }
            return null;
        }
    }

    private ConfigLoader() {
    }

    /**
     * Merges all sources (see the class comment) and resolves substitutions.
     *
     * @param file          the {@code --config} file, or null
     * @param env           environment variables
     * @param cli           HOCON path → value from command-line flags
     * @param commandDefaults defaults of the command (e.g. the demo scenario), or null
     * @param loader        class loader whose {@code reference.conf} files are merged
     */
    static Config load(Path file, Map<String, String> env, Map<String, Object> cli, Config commandDefaults,
                       ClassLoader loader) {
        Config reference = ConfigFactory.defaultReference(loader);
        Config stack = reference;
        if (commandDefaults != null) {
            stack = commandDefaults.withFallback(stack);
        }
        if (file != null) {
            stack = parseFile(file).withFallback(stack);
        }
        stack = systemProperties(reference).withFallback(stack);
        stack = fromEnv(env).withFallback(stack);
        stack = fromPaths(cli).withFallback(stack);
        Config resolved;
        try {
            resolved = stack.resolve();
        } catch (ConfigException e) {
            throw new InvalidConfigException(e.origin() == null ? ROOT : e.origin().description(), e.getMessage(), e);
        }
        checkUnknownKeys(resolved, reference);
        return resolved;
    }

    // ------------------------------------------------------------------------------------------ sources

    /**
     * The {@code -Dwdrf.<setting>} system properties; other {@code wdrf.*} properties (e.g. the simulator's
     * {@code -Dwdrf.traces}) are not settings of the controller and are ignored.
     */
    static Config systemProperties(Config reference) {
        Config sys = ConfigFactory.systemProperties();
        Config out = ConfigFactory.empty();
        if (!sys.hasPath(ROOT) || sys.getValue(ROOT).valueType() != ConfigValueType.OBJECT) {
            return out;
        }
        for (String key : reference.getConfig(ROOT).root().keySet()) {
            String path = ConfigUtil.joinPath(ROOT, key);
            if (sys.hasPath(path)) {
                out = out.withValue(path, sys.getValue(path));
            }
        }
        return out;
    }

    static Config parseFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidConfigException("--config", "file " + file + " does not exist or is not a regular file");
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return parseYaml(file);
        }
        try {
            return ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (ConfigException e) {
            throw new InvalidConfigException("--config", file + ": " + e.getMessage(), e);
        }
    }

    /** The seed's {@code config.yaml}: upper-case seed keys and/or a {@code wdrf:} tree with the HOCON keys. */
    static Config parseYaml(Path file) {
        Object doc;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
        } catch (IOException | RuntimeException e) {
            throw new InvalidConfigException("--config", file + ": not valid YAML: " + e.getMessage(), e);
        }
        if (doc == null) {
            return ConfigFactory.empty();
        }
        if (!(doc instanceof Map<?, ?> top)) {
            throw new InvalidConfigException("--config", file + ": the YAML document must be a mapping");
        }
        if ("ConfigMap".equals(top.get("kind")) && top.get("data") instanceof Map<?, ?> data) {
            top = data; // seed 001 ships its settings as a ConfigMap: read its data
        }
        Config result = ConfigFactory.empty();
        Map<String, Object> seed = new TreeMap<>();
        for (Map.Entry<?, ?> e : top.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (key.equals(ROOT)) {
                if (!(e.getValue() instanceof Map<?, ?>)) {
                    throw new InvalidConfigException(ROOT, "in " + file + " must be a mapping");
                }
                Map<String, Object> tree = new LinkedHashMap<>();
                tree.put(ROOT, e.getValue());
                result = ConfigValueFactory.fromMap(tree, "YAML " + file).toConfig().withFallback(result);
            } else {
                seed.put(key, e.getValue());
            }
        }
        return fromSeed(seed, "YAML " + file + " key ").withFallback(result);
    }

    /** The seed environment variables. */
    static Config fromEnv(Map<String, String> env) {
        Map<String, Object> seed = new TreeMap<>();
        for (SeedKey k : SeedKey.values()) {
            if (k.fromEnv() && env.get(k.key) != null && !env.get(k.key).isBlank()) {
                seed.put(k.key, env.get(k.key).trim());
            }
        }
        return fromSeed(seed, "environment variable ");
    }

    private static Config fromSeed(Map<String, Object> seed, String what) {
        Map<String, Object> paths = new LinkedHashMap<>();
        Map<String, String> pathSource = new LinkedHashMap<>();
        Map<String, Object> maps = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : seed.entrySet()) {
            SeedKey k = SeedKey.of(e.getKey());
            if (k == null) {
                TreeSet<String> known = new TreeSet<>();
                for (SeedKey s : SeedKey.values()) {
                    known.add(s.key);
                }
                known.add(ROOT);
                throw new InvalidConfigException(e.getKey(), "unknown key in " + what.trim() + "s (known: " + known + ")");
            }
            Object v = e.getValue();
            String source = what + k.key;
            Object value = switch (k.kind) {
                case STRING -> String.valueOf(v);
                case NUMBER -> number(v, k.path, source);
                case SECONDS -> Math.round(positiveNumber(v, k.path, source, "seconds") * 1000.0) + "ms";
                case HOURS -> Math.round(positiveNumber(v, k.path, source, "hours") * 3_600_000.0) + "ms";
                case KUEUE_ENABLED -> {
                    String b = String.valueOf(v).trim().toLowerCase(Locale.ROOT);
                    if (List.of("true", "1", "yes").contains(b)) {
                        yield null; // WDRF always works through Kueue: nothing to set
                    }
                    throw new InvalidConfigException(k.key, "'" + v + "' from " + source + ": WDRF only sets Kueue "
                            + "Workload priorities and has no mode without Kueue (there is no WDRF key for it); "
                            + "remove KUEUE_ENABLED or set it to true (docs/migrating.md)");
                }
                case AGING_ALPHA -> throw new InvalidConfigException(k.key, "'" + v + "' from " + source
                        + " (seed 001: score -= wait x alpha, lower is better) has no exact WDRF equivalent. WDRF ages "
                        + "with wdrf.aging.coefficient (AGING_COEFFICIENT: aging points at full age as a multiple of the "
                        + "fairness range, 1.0 = a workload that waited wdrf.aging.max-time ranks with a fresh one of an "
                        + "idle tenant) reached at wdrf.aging.max-time (max_aging_hours / MAX_AGING_TIME). Remove "
                        + "aging_alpha and set e.g. AGING_COEFFICIENT: 1.0 (docs/migrating.md)");
                case LOWER_IS_BETTER -> {
                    Map<String, Long> given = classWeights(v, k.path, source);
                    throw new InvalidConfigException(k.key, source + " " + given + " is lower-is-better (seed 001); "
                            + "wdrf.priority-weights is higher-is-better and needs class normal. Use instead:\n"
                            + correctedBlock(given));
                }
                case MAP -> {
                    if (!(v instanceof Map<?, ?> m)) {
                        throw new InvalidConfigException(k.path, source + " must be a mapping, got " + v);
                    }
                    Map<String, Object> copy = new TreeMap<>();
                    m.forEach((mk, mv) -> copy.put(String.valueOf(mk), mv));
                    maps.put(k.path, copy);
                    yield null;
                }
            };
            if (value == null) {
                continue;
            }
            Object before = paths.get(k.path);
            if (before != null && !before.equals(value)) {
                throw new InvalidConfigException(k.path, "set twice with different values: " + pathSource.get(k.path)
                        + " and " + source + "; keep one");
            }
            paths.put(k.path, value);
            pathSource.put(k.path, source);
        }
        Config c = fromPaths(paths);
        for (Map.Entry<String, Object> e : maps.entrySet()) {
            // fromMap: keys are literal (not paths), so "nvidia.com/gpu" stays one key
            c = ConfigValueFactory.fromMap(castMap(e.getValue()), what.trim()).atPath(e.getKey()).withFallback(c);
        }
        return c;
    }

    private static double positiveNumber(Object v, String key, String source, String unit) {
        double d = number(v, key, source);
        if (!(d > 0) || Double.isInfinite(d)) {
            throw new InvalidConfigException(key, "'" + v + "' from " + source + " must be a positive number of " + unit);
        }
        return d;
    }

    private static Map<String, Long> classWeights(Object v, String key, String source) {
        if (!(v instanceof Map<?, ?> m)) {
            throw new InvalidConfigException(key, source + " must be a mapping of class to weight, got " + v);
        }
        Map<String, Long> out = new TreeMap<>();
        m.forEach((mk, mv) -> out.put(String.valueOf(mk), Math.round(number(mv, key, source))));
        return out;
    }

    /** The default class weights (higher is better), in the order of the seed's classes. */
    private static final Map<String, Long> DEFAULT_CLASS_WEIGHTS = Map.of("urgent", 1000L, "approved", 100L, "normal", 1L);

    /**
     * The higher-is-better block equivalent to lower-is-better class weights: ranks kept, the default values when the
     * classes are the seed's ({@code urgent}, {@code approved}, {@code normal}) in the seed's order, else powers of 10.
     */
    static String correctedBlock(Map<String, Long> lowerIsBetter) {
        List<String> best = new ArrayList<>(lowerIsBetter.keySet());
        best.sort(java.util.Comparator.comparing((String k) -> lowerIsBetter.get(k)).thenComparing(k -> k));
        if (!best.contains("normal")) {
            best.add("normal");
        }
        List<String> seedOrder = new ArrayList<>(List.of("urgent", "approved", "normal"));
        seedOrder.retainAll(best);
        boolean defaults = seedOrder.equals(best);
        Map<String, Long> out = new LinkedHashMap<>();
        long w = 1;
        for (int i = best.size() - 1; i >= 0; i--) {
            out.put(best.get(i), defaults ? DEFAULT_CLASS_WEIGHTS.get(best.get(i)) : w);
            w *= 10;
        }
        List<String> yaml = new ArrayList<>();
        List<String> hocon = new ArrayList<>();
        for (String k : best) {
            yaml.add(k + ": " + out.get(k));
            hocon.add(k + " = " + out.get(k));
        }
        return "  PRIORITY_WEIGHTS: {" + String.join(", ", yaml) + "}        # config.yaml\n"
                + "  wdrf.priority-weights { " + String.join(", ", hocon) + " }   # HOCON";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }

    private static double number(Object v, String key, String source) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw new InvalidConfigException(key, "'" + v + "' from " + source + " is not a number");
        }
    }

    /** HOCON path → value; values are converted as by {@link ConfigValueFactory#fromAnyRef(Object)}. */
    static Config fromPaths(Map<String, Object> values) {
        Config c = ConfigFactory.empty();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            c = c.withValue(e.getKey(), ConfigValueFactory.fromAnyRef(e.getValue(), "command line / environment"));
        }
        return c;
    }

    private static void checkUnknownKeys(Config config, Config reference) {
        if (!config.hasPath(ROOT)) {
            return;
        }
        TreeSet<String> unknown = new TreeSet<>();
        for (Map.Entry<String, ConfigValue> e : config.getConfig(ROOT).entrySet()) {
            List<String> parts = ConfigUtil.splitPath(e.getKey());
            if (MAP_SECTIONS.contains(parts.get(0)) || parts.get(0).equals("hami")) {
                continue; // hami keys are checked against HamiConfig.SETTING_KEYS
            }
            String full = ROOT + "." + e.getKey();
            if (!reference.hasPathOrNull(full)) {
                unknown.add(full);
            }
        }
        if (!unknown.isEmpty()) {
            String first = unknown.first();
            throw new InvalidConfigException(first, "unknown setting" + (unknown.size() > 1 ? " (also unknown: "
                    + String.join(", ", unknown.tailSet(first, false)) + ")" : "") + "; see the Configuration section of the README for the keys");
        }
    }

    // ------------------------------------------------------------------------------------------ validation

    /**
     * Validates everything and builds the typed settings.
     *
     * @param env environment (for the default leader identity)
     * @throws InvalidConfigException naming the key path and the reason
     */
    static Settings settings(Config c, Map<String, String> env) {
        String backend = oneOf(c, "wdrf.backend", BACKENDS);
        String policy = str(c, "wdrf.policy").trim();
        if (policy.isEmpty()) {
            throw new InvalidConfigException("wdrf.policy", "must not be empty");
        }
        String pluginDir = str(c, "wdrf.plugin-path").trim();
        Path pluginPath = null;
        if (!pluginDir.isEmpty()) {
            pluginPath = Path.of(pluginDir);
            if (!Files.isDirectory(pluginPath)) {
                throw new InvalidConfigException("wdrf.plugin-path", "'" + pluginDir + "' is not a directory");
            }
        }
        String logLevel = logLevel(str(c, "wdrf.log-level"));

        PolicyConfig policyConfig = policyConfig(c);
        String targetName = oneOf(c, "wdrf.write.target", List.of("spec-priority", "priority-boost"));
        PriorityTarget target = targetName.equals("spec-priority") ? PriorityTarget.SPEC_PRIORITY : PriorityTarget.PRIORITY_BOOST;
        Duration overrideWindow = duration(c, "wdrf.write.override-window");
        if (overrideWindow.isZero() || overrideWindow.isNegative()) {
            throw new InvalidConfigException("wdrf.write.override-window", overrideWindow + " must be positive");
        }
        String orderName = oneOf(c, "wdrf.write.order", List.of("plan", "admission-first", "order-only"));
        io.wdrf.engine.WriteOrdering order = io.wdrf.engine.WriteOrdering.valueOf(
                orderName.toUpperCase(Locale.ROOT).replace('-', '_'));
        ReconcilerSettings reconciler = mapped(() -> new ReconcilerSettings(positive(c, "wdrf.loop-interval"),
                duration(c, "wdrf.debounce"), bool(c, "wdrf.dry-run"), target, integer(c, "wdrf.write.max-per-cycle"),
                integer(c, "wdrf.write.max-override-rewrites"), overrideWindow,
                bool(c, "wdrf.write.record-explanation"), bool(c, "wdrf.write.events"), integer(c, "wdrf.write.min-delta"),
                order));
        double qps = read(c, "wdrf.write.qps", c::getDouble);
        if (!(qps > 0) || Double.isInfinite(qps)) {
            throw new InvalidConfigException("wdrf.write.qps", qps + " must be a positive number");
        }
        int burst = integer(c, "wdrf.write.burst");
        if (burst < 1) {
            throw new InvalidConfigException("wdrf.write.burst", burst + " must be at least 1");
        }

        String kubeconfig = str(c, "wdrf.kube.kubeconfig").trim();
        Path kubeconfigPath = kubeconfig.isEmpty() ? null : Path.of(kubeconfig);
        if (kubeconfigPath != null && !backend.equals("memory") && !Files.isReadable(kubeconfigPath)) {
            throw new InvalidConfigException("wdrf.kube.kubeconfig", "file '" + kubeconfig + "' is not readable");
        }
        String master = str(c, "wdrf.kube.master-url").trim();
        URI masterUrl = null;
        if (!master.isEmpty()) {
            try {
                masterUrl = new URI(master);
            } catch (URISyntaxException e) {
                throw new InvalidConfigException("wdrf.kube.master-url", "'" + master + "' is not a URL: " + e.getReason());
            }
            if (masterUrl.getScheme() == null || !List.of("http", "https").contains(masterUrl.getScheme())
                    || masterUrl.getHost() == null) {
                throw new InvalidConfigException("wdrf.kube.master-url", "'" + master + "' must be an http(s) URL with a host");
            }
        }
        String kueueVersion = oneOf(c, "wdrf.kube.kueue-api-version", List.of("auto", "v1beta1", "v1beta2"));
        List<String> namespaces = new ArrayList<>();
        for (String ns : str(c, "wdrf.kube.namespace").split(",")) {
            if (!ns.isBlank()) {
                namespaces.add(ns.trim());
            }
        }
        Settings.Kube kube = new Settings.Kube(kubeconfigPath, masterUrl, kueueVersion, List.copyOf(namespaces));

        Settings.Leader leader = leader(c, env);

        String bind = str(c, "wdrf.http.bind").trim();
        if (bind.isEmpty()) {
            throw new InvalidConfigException("wdrf.http.bind", "must not be empty");
        }
        int port = integer(c, "wdrf.http.port");
        if (port < 0 || port > 65535) {
            throw new InvalidConfigException("wdrf.http.port", port + " must be in [0, 65535] (0 = any free port)");
        }

        HamiConfig hami = bool(c, "wdrf.hami.enabled") ? hami(c) : null;
        List<String> notes = new ArrayList<>();
        if (hami != null) {
            HamiConfig.FoldedWeights folded = hami.foldResourceWeights(policyConfig.resourceWeights());
            if (!folded.notes().isEmpty()) {
                PolicyConfig base = policyConfig;
                policyConfig = mapped(() -> base.toBuilder().resourceWeights(folded.effective()).build());
                notes.addAll(folded.notes());
            }
        }
        return new Settings(backend, policy, pluginPath, logLevel, policyConfig, reconciler, qps, burst, kube, leader,
                new Settings.Http(bind, port), hami, List.copyOf(notes), reservations(c));
    }

    /**
     * The {@code wdrf.starvation} block: {@code reserve = auto | on | off} (auto = on until Kueue is seen
     * admitting through the gate, which Kueue older than v0.19 or with {@code AdmissionGatedBy} off does),
     * {@code timeout}, {@code max-gated}.
     */
    private static io.wdrf.engine.ReservationSettings reservations(Config c) {
        io.wdrf.engine.ReservationSettings.Mode mode;
        try {
            mode = io.wdrf.engine.ReservationSettings.Mode.parse(str(c, "wdrf.starvation.reserve"));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException("wdrf.starvation.reserve", e.getMessage());
        }
        return mapped(() -> new io.wdrf.engine.ReservationSettings(mode,
                duration(c, "wdrf.starvation.timeout"), integer(c, "wdrf.starvation.max-gated")));
    }

    /**
     * The {@code wdrf.hami} block: {@code enabled} plus any of {@link HamiConfig#SETTING_KEYS} in kebab case
     * ({@code split-count}, {@code default-memory-mib}, {@code fallback-card-memory-mib}, ...).
     */
    private static HamiConfig hami(Config c) {
        Map<String, String> byNormalized = new TreeMap<>();
        for (String k : HamiConfig.SETTING_KEYS) {
            byNormalized.put(normalize(k), k);
        }
        Map<String, String> settings = new TreeMap<>();
        Map<String, String> userKey = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> e : flat(c, "wdrf.hami").entrySet()) {
            if (e.getKey().equals("enabled")) {
                continue;
            }
            String path = ConfigUtil.joinPath("wdrf", "hami", e.getKey());
            String setting = byNormalized.get(normalize(e.getKey()));
            if (setting == null) {
                TreeSet<String> known = new TreeSet<>();
                HamiConfig.SETTING_KEYS.forEach(k -> known.add(kebab(k)));
                known.add("enabled");
                throw new InvalidConfigException(path, "unknown HAMi setting (known: " + String.join(", ", known) + ")");
            }
            ConfigValue v = e.getValue();
            String value;
            if (v.valueType() == ConfigValueType.LIST) {
                List<String> items = new ArrayList<>();
                for (ConfigValue item : (ConfigList) v) {
                    items.add(String.valueOf(item.unwrapped()));
                }
                value = String.join(",", items);
            } else if (v.valueType() == ConfigValueType.NULL) {
                throw new InvalidConfigException(path, "must not be null");
            } else {
                value = String.valueOf(v.unwrapped());
            }
            settings.put(setting, value);
            userKey.put(setting, path);
        }
        try {
            return HamiConfig.fromSettings(settings);
        } catch (SettingException e) {
            String field = e.setting().startsWith("hami.") ? e.setting().substring("hami.".length()) : e.setting();
            String path = userKey.getOrDefault(field, "wdrf.hami." + kebab(field));
            throw new InvalidConfigException(path, e.reason(), e);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException("wdrf.hami", String.valueOf(e.getMessage()), e);
        }
    }

    private static String normalize(String key) {
        return key.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
    }

    /** {@code fallbackCardMemoryMiB} → {@code fallback-card-memory-mib}. */
    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static Settings.Leader leader(Config c, Map<String, String> env) {
        boolean enabled = bool(c, "wdrf.leader-election.enabled");
        String leaseName = str(c, "wdrf.leader-election.lease-name").trim();
        String leaseNamespace = str(c, "wdrf.leader-election.lease-namespace").trim();
        for (String[] kv : new String[][]{{"lease-name", leaseName}, {"lease-namespace", leaseNamespace}}) {
            if (!kv[1].matches("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?")) {
                throw new InvalidConfigException("wdrf.leader-election." + kv[0], "'" + kv[1]
                        + "' is not a valid Kubernetes name (lower-case alphanumerics, '-' and '.')");
            }
        }
        Duration lease = positive(c, "wdrf.leader-election.lease-duration");
        Duration renew = positive(c, "wdrf.leader-election.renew-deadline");
        Duration retry = positive(c, "wdrf.leader-election.retry-period");
        if (lease.compareTo(renew) <= 0) {
            throw new InvalidConfigException("wdrf.leader-election.lease-duration", lease.toMillis()
                    + "ms must be greater than renew-deadline " + renew.toMillis() + "ms");
        }
        if (renew.compareTo(retry) <= 0) {
            throw new InvalidConfigException("wdrf.leader-election.renew-deadline", renew.toMillis()
                    + "ms must be greater than retry-period " + retry.toMillis() + "ms");
        }
        String identity = str(c, "wdrf.leader-election.identity").trim();
        if (identity.isEmpty()) {
            identity = defaultIdentity(env);
        }
        return new Settings.Leader(enabled, leaseName, leaseNamespace, lease, renew, retry, identity);
    }

    static String defaultIdentity(Map<String, String> env) {
        String host = env.get("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "wdrf";
            }
        }
        return host + "_" + ProcessHandle.current().pid();
    }

    static String logLevel(String raw) {
        String v = raw.trim().toUpperCase(Locale.ROOT);
        switch (v) {
            case "WARNING":
                return "WARN";
            case "CRITICAL":
            case "FATAL":
                return "ERROR";
            default:
                if (!LOG_LEVELS.contains(v)) {
                    throw new InvalidConfigException("wdrf.log-level", "'" + raw + "' is not one of " + LOG_LEVELS
                            + " (WARNING and CRITICAL are accepted as in the seed)");
                }
                return v;
        }
    }

    private static PolicyConfig policyConfig(Config c) {
        Map<String, Double> tenantWeights = doubles(c, "wdrf.tenant-weights");
        Map<String, Double> resourceWeights = doubles(c, "wdrf.resource-weights");
        Map<String, Long> priorityWeights = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> e : flat(c, "wdrf.priority-weights").entrySet()) {
            String key = ConfigUtil.joinPath("wdrf", "priority-weights", e.getKey());
            double d = numberValue(e.getValue(), key);
            if (d != Math.rint(d)) {
                throw new InvalidConfigException(key, d + " must be an integer");
            }
            priorityWeights.put(e.getKey(), (long) d);
        }
        Map<String, Set<String>> classNamespaces = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> e : flat(c, "wdrf.class-namespaces").entrySet()) {
            String key = ConfigUtil.joinPath("wdrf", "class-namespaces", e.getKey());
            TreeSet<String> ns = new TreeSet<>();
            ConfigValue v = e.getValue();
            if (v.valueType() == ConfigValueType.LIST) {
                for (ConfigValue item : (ConfigList) v) {
                    if (item.valueType() != ConfigValueType.STRING) {
                        throw new InvalidConfigException(key, "expected a list of namespace names, found " + item.render());
                    }
                    ns.add(((String) item.unwrapped()).trim());
                }
            } else if (v.valueType() == ConfigValueType.STRING) {
                for (String s : ((String) v.unwrapped()).split(",")) {
                    if (!s.isBlank()) {
                        ns.add(s.trim());
                    }
                }
            } else {
                throw new InvalidConfigException(key, "expected a list of namespace names, found " + v.valueType());
            }
            classNamespaces.put(e.getKey(), ns);
        }
        Map<String, String> mapping = strings(c, "wdrf.priority-class-mapping");
        Map<String, String> options = strings(c, "wdrf.policy-options");
        TenantInputs tenantInputs = mapped(() -> new TenantInputs(
                bool(c, "wdrf.tenant-inputs.open-priority-class-mapping"),
                bool(c, "wdrf.tenant-inputs.namespace-weights"),
                stringList(c, "wdrf.tenant-inputs.label-tenants")));
        PolicyConfig.Builder b = PolicyConfig.builder()
                .tenantKey(str(c, "wdrf.tenant-key").trim())
                .tenantWeights(tenantWeights)
                .resourceWeights(resourceWeights)
                .priorityWeights(priorityWeights)
                .classNamespaces(classNamespaces)
                .priorityClassToClass(mapping)
                .agingCoefficient(read(c, "wdrf.aging.coefficient", c::getDouble))
                .maxAgingTime(duration(c, "wdrf.aging.max-time"))
                .capacitySource(str(c, "wdrf.capacity-source").trim())
                .fairnessResolution(integer(c, "wdrf.fairness-resolution"))
                .agingSteps(integer(c, "wdrf.aging-steps"))
                .priorityBase(autoBase(c) ? 0 : integer(c, "wdrf.priority-base"))
                .preemption(str(c, "wdrf.preemption").trim())
                .fairPreemption(mapped(() -> new io.wdrf.api.FairPreemption(
                        read(c, "wdrf.preemption-fair.margin", c::getDouble),
                        duration(c, "wdrf.preemption-fair.max-runtime"),
                        integer(c, "wdrf.preemption-fair.max-evictions"),
                        integer(c, "wdrf.preemption-fair.budget"),
                        duration(c, "wdrf.preemption-fair.window"))))
                .usageHalfLife(duration(c, "wdrf.usage-half-life"))
                .options(options)
                .tenantInputs(tenantInputs);
        PolicyConfig built = mapped(b::build);
        checkClassOrder(built.priorityWeights());
        if (autoBase(c)) {
            // issue 13.8: 0 (an unprioritised workload) ranks like a fresh normal workload of a tenant at its share
            PolicyConfig b0 = built;
            built = mapped(() -> b0.toBuilder().priorityBase(PriorityBase.auto(str(c, "wdrf.policy").trim(), b0)).build());
        }
        return built;
    }

    /**
     * The seed's classes keep the seed's order: urgent above approved above normal (higher is better). Weights in the
     * other order are seed 001's lower-is-better convention; they are refused with the corrected block.
     */
    private static void checkClassOrder(Map<String, Long> weights) {
        List<String> order = new ArrayList<>(List.of("urgent", "approved", "normal"));
        order.retainAll(weights.keySet());
        for (int i = 0; i + 1 < order.size(); i++) {
            String hi = order.get(i);
            String lo = order.get(i + 1);
            if (weights.get(hi) <= weights.get(lo)) {
                Map<String, Long> lowerIsBetter = new TreeMap<>(weights);
                throw new InvalidConfigException("wdrf.priority-weights", hi + "=" + weights.get(hi) + " is not above "
                        + lo + "=" + weights.get(lo) + ": class weights are higher-is-better here (seed 001's "
                        + "priority_weights were lower-is-better). If that was meant, use:\n"
                        + correctedBlock(lowerIsBetter));
            }
        }
    }

    // ------------------------------------------------------------------------------------------ errors

    /** Runs {@code f}, turning an {@link IllegalArgumentException} that names a setting into the HOCON key path. */
    static <T> T mapped(java.util.function.Supplier<T> f) {
        try {
            return f.get();
        } catch (IllegalArgumentException e) {
            throw toInvalid(e);
        }
    }

    /**
     * Maps a rejected setting to its HOCON key: a {@link SettingException} names its setting; any other message is
     * reported at the root as it is, except the legacy {@code name: reason} form of code that does not throw
     * {@link SettingException} yet (plugins, the engine's int32 band check).
     */
    static InvalidConfigException toInvalid(IllegalArgumentException e) {
        if (e instanceof SettingException s) {
            String key = keyFor(s.setting());
            return new InvalidConfigException(key != null ? key : ROOT, key != null ? s.reason() : s.getMessage(), e);
        }
        String msg = e.getMessage() == null ? e.toString() : e.getMessage();
        int colon = msg.indexOf(": ");
        if (colon > 0) {
            String head = msg.substring(0, colon);
            String rest = msg.substring(colon + 2);
            String key = keyFor(head);
            if (key != null) {
                return new InvalidConfigException(key, rest, e);
            }
        }
        return new InvalidConfigException(ROOT, msg, e);
    }

    private static final Map<String, String> KEYS = Map.ofEntries(
            Map.entry("tenantKey", "wdrf.tenant-key"),
            Map.entry("tenantWeights", "wdrf.tenant-weights"),
            Map.entry("resourceWeights", "wdrf.resource-weights"),
            Map.entry("priorityWeights", "wdrf.priority-weights"),
            Map.entry("classNamespaces", "wdrf.class-namespaces"),
            Map.entry("priorityClassToClass", "wdrf.priority-class-mapping"),
            Map.entry("tenantInputs.labelTenants", "wdrf.tenant-inputs.label-tenants"),
            Map.entry("agingCoefficient", "wdrf.aging.coefficient"),
            Map.entry("maxAgingTime", "wdrf.aging.max-time"),
            Map.entry("capacitySource", "wdrf.capacity-source"),
            Map.entry("fairnessResolution", "wdrf.fairness-resolution"),
            Map.entry("agingSteps", "wdrf.aging-steps"),
            Map.entry("priorityBase", "wdrf.priority-base"),
            Map.entry("preemption", "wdrf.preemption"),
            Map.entry("usageHalfLife", "wdrf.usage-half-life"),
            Map.entry("policy", "wdrf.policy"),
            Map.entry("policy-options", "wdrf.policy-options"),
            Map.entry("loop-interval", "wdrf.loop-interval"),
            Map.entry("debounce", "wdrf.debounce"),
            Map.entry("write.max-per-cycle", "wdrf.write.max-per-cycle"),
            Map.entry("max-override-rewrites", "wdrf.write.max-override-rewrites"),
            Map.entry("write.min-delta", "wdrf.write.min-delta"),
            Map.entry("hami.vendor must be set", "wdrf.hami.vendor"));

    private static String keyFor(String head) {
        String direct = KEYS.get(head);
        if (direct != null) {
            return direct;
        }
        int dot = head.indexOf('.');
        if (dot > 0) {
            String base = KEYS.get(head.substring(0, dot));
            if (base != null && base.startsWith("wdrf.") && !head.startsWith("hami.") && !head.startsWith("write.")) {
                List<String> parts = new ArrayList<>(ConfigUtil.splitPath(base));
                parts.add(head.substring(dot + 1));
                return ConfigUtil.joinPath(parts);
            }
        }
        return null;
    }

    private static <T> T read(Config c, String key, Function<String, T> getter) {
        try {
            return getter.apply(key);
        } catch (ConfigException.Missing e) {
            throw new InvalidConfigException(key, "is missing");
        } catch (ConfigException e) {
            String m = e.getMessage();
            if (e.origin() != null && m.startsWith(e.origin().description() + ": ")) {
                m = m.substring(e.origin().description().length() + 2);
            }
            if (m.startsWith(key + " ")) {
                m = m.substring(key.length() + 1);
            }
            String origin = e.origin() == null ? "" : " (" + e.origin().description() + ")";
            throw new InvalidConfigException(key, m + origin, e);
        }
    }

    private static String str(Config c, String key) {
        return read(c, key, k -> {
            ConfigValue v = c.getValue(k);
            if (v.valueType() == ConfigValueType.OBJECT || v.valueType() == ConfigValueType.LIST) {
                throw new InvalidConfigException(k, "expected a string, found " + v.valueType());
            }
            return c.getString(k);
        });
    }

    private static boolean bool(Config c, String key) {
        return read(c, key, c::getBoolean);
    }

    private static int integer(Config c, String key) {
        return read(c, key, c::getInt);
    }

    private static Duration duration(Config c, String key) {
        return read(c, key, c::getDuration);
    }

    private static Duration positive(Config c, String key) {
        Duration d = duration(c, key);
        if (d.isZero() || d.isNegative()) {
            Object raw = c.getValue(key).unwrapped();
            String origin = c.getValue(key).origin() == null ? "" : " (" + c.getValue(key).origin().description() + ")";
            throw new InvalidConfigException(key, "'" + raw + "'" + origin + " must be positive");
        }
        return d;
    }

    /** True when {@code wdrf.priority-base} is {@code auto} (the default) rather than an integer. */
    private static boolean autoBase(Config c) {
        ConfigValue v = read(c, "wdrf.priority-base", c::getValue);
        return v.valueType() == ConfigValueType.STRING && "auto".equalsIgnoreCase(((String) v.unwrapped()).trim());
    }

    /** A list of strings, or one comma-separated string (as an environment variable gives it). */
    private static Set<String> stringList(Config c, String key) {
        ConfigValue v = read(c, key, c::getValue);
        TreeSet<String> out = new TreeSet<>();
        if (v.valueType() == ConfigValueType.LIST) {
            for (ConfigValue item : (ConfigList) v) {
                if (item.valueType() != ConfigValueType.STRING) {
                    throw new InvalidConfigException(key, "expected a list of strings, found " + item.render());
                }
                out.add(((String) item.unwrapped()).trim());
            }
        } else if (v.valueType() == ConfigValueType.STRING) {
            for (String part : ((String) v.unwrapped()).split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        } else {
            throw new InvalidConfigException(key, "expected a list of strings, found " + v.valueType());
        }
        return out;
    }

    private static String oneOf(Config c, String key, List<String> allowed) {
        String v = str(c, key).trim();
        if (!allowed.contains(v)) {
            throw new InvalidConfigException(key, "'" + v + "' is not one of " + String.join(", ", allowed));
        }
        return v;
    }

    /**
     * The entries of a map section with literal keys. Nested objects are flattened with {@code .}, so an unquoted
     * {@code nvidia.com/gpu = 2} (which HOCON reads as a path) still yields the key {@code nvidia.com/gpu}.
     */
    static Map<String, ConfigValue> flat(Config c, String path) {
        ConfigObject obj = read(c, path, c::getObject);
        TreeMap<String, ConfigValue> out = new TreeMap<>();
        flatten("", obj, out);
        return out;
    }

    private static void flatten(String prefix, ConfigObject obj, Map<String, ConfigValue> out) {
        for (Map.Entry<String, ConfigValue> e : new TreeMap<>(obj).entrySet()) {
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (e.getValue().valueType() == ConfigValueType.OBJECT) {
                flatten(key, (ConfigObject) e.getValue(), out);
            } else {
                out.put(key, e.getValue());
            }
        }
    }

    private static Map<String, Double> doubles(Config c, String path) {
        Map<String, Double> out = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> e : flat(c, path).entrySet()) {
            List<String> parts = new ArrayList<>(ConfigUtil.splitPath(path));
            parts.add(e.getKey());
            out.put(e.getKey(), numberValue(e.getValue(), ConfigUtil.joinPath(parts)));
        }
        return out;
    }

    private static double numberValue(ConfigValue v, String key) {
        if (v.valueType() == ConfigValueType.NUMBER) {
            return ((Number) v.unwrapped()).doubleValue();
        }
        if (v.valueType() == ConfigValueType.STRING) {
            try {
                return Double.parseDouble(((String) v.unwrapped()).trim());
            } catch (NumberFormatException e) {
                throw new InvalidConfigException(key, "'" + v.unwrapped() + "' is not a number");
            }
        }
        throw new InvalidConfigException(key, "expected a number, found " + v.valueType());
    }

    private static Map<String, String> strings(Config c, String path) {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> e : flat(c, path).entrySet()) {
            ConfigValue v = e.getValue();
            if (v.valueType() == ConfigValueType.LIST || v.valueType() == ConfigValueType.NULL) {
                List<String> parts = new ArrayList<>(ConfigUtil.splitPath(path));
                parts.add(e.getKey());
                throw new InvalidConfigException(ConfigUtil.joinPath(parts), "expected a string, found " + v.valueType());
            }
            out.put(e.getKey(), String.valueOf(v.unwrapped()));
        }
        return out;
    }
}
