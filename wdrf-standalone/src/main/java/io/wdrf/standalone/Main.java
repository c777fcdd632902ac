package io.wdrf.standalone;

import com.typesafe.config.Config;
import io.wdrf.api.WriteOutcome;
import io.wdrf.engine.CycleReport;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Command-line entry point of the WDRF controller ({@code ./wdrf} or {@code java -jar wdrf-standalone.jar}).
 *
 * <pre>
 * wdrf run [--config FILE] [--backend fabric8|official|memory] [--policy NAME] [--dry-run] [--once] [--log-level L]
 * wdrf demo [--steps N] [--no-color] [--step-delay MS]
 * wdrf explain &lt;namespace&gt;/&lt;workload&gt;
 * wdrf queue [-n NAMESPACE] | wdrf top [-n NAMESPACE]
 * wdrf shares
 * wdrf simulate ...
 * wdrf --health-check | --version | --help
 * </pre>
 *
 * <p>Exit codes: 0 success, 1 runtime failure (or unhealthy), 2 invalid command line or configuration (the message
 * names the configuration key path and the reason).
 */
public final class Main {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private static final String USAGE_TEXT = """
            Usage: wdrf <command> [options]

            Commands:
              run                      run the controller (watch Kueue workloads, write fair priorities)
              demo                     run the controller on an embedded in-memory cluster with a bundled scenario
              explain <ns>/<workload>  evaluate once and print the priority factor breakdown of one workload
              queue [-n NS]            pending workloads in WDRF's order with priorities and why (alias: top)
              shares                   tenants: weight, entitlement, current share, pending, oldest wait
              simulate ...             replay a trace through the engine (see 'wdrf simulate --help')

            Options:
              --config FILE            HOCON (.conf) or the seed's config.yaml (.yaml/.yml)
              --backend NAME           fabric8 | official | memory        (wdrf.backend)
              --policy NAME            wdrf | drf | fifo | multifactor | a plugin's name (wdrf.policy)
              --log-level LEVEL        TRACE | DEBUG | INFO | WARN | ERROR (wdrf.log-level)
              --dry-run                compute and log priorities, write nothing (wdrf.dry-run)
              --once                   run: one reconcile cycle, then exit
              -n, --namespace NS       queue: show only this namespace (ranks stay cluster-wide)
              --steps N                demo: number of simulated steps (default 12)
              --step-delay MS          demo: pause between steps (default 1000 on a terminal, else 0)
              --no-color               demo: plain text output
              --health-check           GET http://127.0.0.1:<wdrf.http.port>/healthz; exit 0 when healthy, else 1
              --version                print the version
              --help                   print this help

            Environment: LOG_LEVEL, LOOP_INTERVAL (s), AGING_COEFFICIENT, MAX_AGING_TIME (s), KUBECONFIG_PATH
            override the file; flags override everything. Keys and defaults: README.md, "Configuration".
            Exit codes: 0 ok, 1 failure, 2 invalid command line or configuration.
            """;

    private Main() {
    }

    /** Runs the command line and exits the JVM with its exit code. */
    public static void main(String[] args) {
        int code = run(args, System.out, System.err, System.getenv(), true);
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    /** Parsed command line. */
    record Cli(String command, List<String> positional, Path config, Map<String, Object> overrides, boolean once,
               Integer steps, Long stepDelay, boolean noColor, boolean help, boolean version, boolean healthCheck,
               String namespace) {
    }

    static Cli parse(String[] args) {
        String command = null;
        List<String> positional = new ArrayList<>();
        Path config = null;
        Map<String, Object> overrides = new LinkedHashMap<>();
        boolean once = false;
        boolean noColor = false;
        boolean help = false;
        boolean version = false;
        boolean health = false;
        Integer steps = null;
        Long delay = null;
        String namespace = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = null;
            if (a.startsWith("--") && a.contains("=")) {
                value = a.substring(a.indexOf('=') + 1);
                a = a.substring(0, a.indexOf('='));
            }
            if (command != null && command.equals("simulate")) {
                positional.add(args[i]);
                continue;
            }
            switch (a) {
                case "--help", "-h" -> help = true;
                case "--version" -> version = true;
                case "--health-check" -> health = true;
                case "--dry-run" -> overrides.put("wdrf.dry-run", true);
                case "--once" -> once = true;
                case "--no-color" -> noColor = true;
                case "--config", "--log-level", "--backend", "--policy", "--steps", "--step-delay", "-n",
                     "--namespace" -> {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new UsageException(a + " needs a value");
                        }
                        value = args[++i];
                    }
                    switch (a) {
                        case "--config" -> config = Path.of(value);
                        case "--log-level" -> overrides.put("wdrf.log-level", value);
                        case "--backend" -> overrides.put("wdrf.backend", value);
                        case "--policy" -> overrides.put("wdrf.policy", value);
                        case "--steps" -> steps = positiveInt(a, value);
                        case "-n", "--namespace" -> namespace = value;
                        default -> delay = (long) nonNegativeInt(a, value);
                    }
                }
                default -> {
                    if (a.startsWith("-")) {
                        throw new UsageException("unknown option " + a);
                    }
                    if (command == null) {
                        command = a;
                    } else {
                        positional.add(a);
                    }
                }
            }
        }
        return new Cli(command, positional, config, overrides, once, steps, delay, noColor, help, version, health,
                namespace);
    }

    private static int positiveInt(String option, String v) {
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // same message below
        }
        throw new UsageException(option + " expects a positive integer (1 or more), got '" + v + "'");
    }

    private static int nonNegativeInt(String option, String v) {
        try {
            int n = Integer.parseInt(v.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(option + " expects a non-negative integer, got '" + v + "'");
        }
    }

    /** A bad command line. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /**
     * Runs a command line.
     *
     * @param installShutdownHook whether {@code run} registers a JVM shutdown hook (false in in-process tests)
     */
    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env,
                   boolean installShutdownHook) {
        Cli cli;
        try {
            cli = parse(args);
        } catch (UsageException e) {
            err.println("wdrf: " + e.getMessage());
            err.println("Run 'wdrf --help' for usage.");
            return USAGE;
        }
        try {
            if (cli.help()) {
                out.print(USAGE_TEXT);
                return OK;
            }
            if (cli.version()) {
                out.println("wdrf " + version());
                return OK;
            }
            if (cli.healthCheck()) {
                return healthCheck(cli, env, err);
            }
            if (cli.command() == null) {
                err.print(USAGE_TEXT);
                return USAGE;
            }
            return switch (cli.command()) {
                case "run" -> runController(cli, env, out, err, installShutdownHook);
                case "demo" -> demo(cli, env, out);
                case "explain" -> explain(cli, env, out, err);
                case "queue", "top" -> queue(cli, env, out, err);
                case "shares" -> shares(cli, env, out, err);
                case "simulate" -> simulate(cli, out, err);
                default -> {
                    err.println("wdrf: unknown command '" + cli.command() + "'");
                    err.println("Run 'wdrf --help' for usage.");
                    yield USAGE;
                }
            };
        } catch (InvalidConfigException e) {
            err.println("wdrf: invalid configuration: " + e.getMessage());
            return USAGE;
        } catch (UsageException e) {
            err.println("wdrf: " + e.getMessage());
            return USAGE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("wdrf: interrupted");
            return FAILED;
        } catch (RuntimeException | IOException e) {
            err.println("wdrf: " + e);
            e.printStackTrace(err);
            return FAILED;
        }
    }

    /** The API server URL the backend uses and where it came from (README, Troubleshooting). */
    private static void logApiServer(Settings s) {
        if (s.backend().equals("memory")) {
            return;
        }
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Main.class);
        try {
            ClusterLoad.ApiServer api = ClusterLoad.apiServer(s);
            log.info("API server {} (from {})", api.url(), api.source());
        } catch (RuntimeException e) {
            log.warn("cannot tell the API server URL from the configuration: {}", e.toString());
        }
    }

    private static void logStartupNotes(Settings s) {
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Main.class);
        for (String n : s.notes()) {
            log.info("{}", n);
        }
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    static Settings settings(Cli cli, Map<String, String> env, Config commandDefaults) {
        Config c = ConfigLoader.load(cli.config(), env, cli.overrides(), commandDefaults, Main.class.getClassLoader());
        return ConfigLoader.settings(c, env);
    }

    private static int runController(Cli cli, Map<String, String> env, PrintStream out, PrintStream err,
                                     boolean hook) throws InterruptedException, IOException {
        if (!cli.positional().isEmpty()) {
            throw new UsageException("run takes no arguments, got " + cli.positional());
        }
        Settings s = settings(cli, env, null);
        LogSetup.apply(s.logLevel());
        logStartupNotes(s);
        logApiServer(s);
        Controller controller = Wiring.injector(s).getInstance(Controller.class);
        if (cli.once()) {
            try {
                CycleReport r = controller.runOnce(Duration.ofSeconds(30));
                long written = r.writeResult() == null ? 0 : r.writeResult().count(WriteOutcome.WRITTEN);
                long failed = r.writeResult() == null ? 0 : r.writeResult().count(WriteOutcome.FAILED);
                out.printf("cycle %s: policy=%s pending=%d admitted=%d changes=%d written=%d failed=%d invalid=%d "
                                + "leader=%s dry-run=%s%n", r.ok() ? "ok" : "failed (" + r.error() + ")", r.policy(),
                        r.pending(), r.admitted(), r.updates().size(), written, failed, r.invalid().size(), r.leader(),
                        r.dryRun());
                return r.ok() && failed == 0 ? OK : FAILED;
            } finally {
                controller.close();
            }
        }
        if (hook) {
            Runtime.getRuntime().addShutdownHook(new Thread(controller::close, "wdrf-shutdown"));
        }
        controller.start(true);
        int code = controller.awaitStop();
        controller.close();
        return code;
    }

    private static int demo(Cli cli, Map<String, String> env, PrintStream out) throws InterruptedException {
        if (!cli.positional().isEmpty()) {
            throw new UsageException("demo takes no arguments, got " + cli.positional());
        }
        Map<String, Object> overrides = new LinkedHashMap<>(cli.overrides());
        overrides.put("wdrf.backend", "memory");
        Cli demoCli = new Cli(cli.command(), cli.positional(), cli.config(), overrides, false, cli.steps(),
                cli.stepDelay(), cli.noColor(), false, false, false, null);
        Settings s = settings(demoCli, env, DemoScenario.defaults());
        LogSetup.apply(s.logLevel());
        boolean tty = System.console() != null && env.get("NO_COLOR") == null && !"dumb".equals(env.get("TERM"));
        Demo.Options o = new Demo.Options(cli.steps() == null ? 12 : cli.steps(), Duration.ofMinutes(10),
                tty && !cli.noColor(), cli.stepDelay() != null ? cli.stepDelay() : tty ? 1000 : 0);
        return new Demo(s, o, out).run();
    }

    private static int explain(Cli cli, Map<String, String> env, PrintStream out, PrintStream err)
            throws InterruptedException {
        if (cli.positional().size() != 1) {
            throw new UsageException("explain needs exactly one <namespace>/<workload>");
        }
        return Explain.run(inspectionSettings(cli, env), cli.positional().get(0), out, err, INSPECT_SYNC_TIMEOUT);
    }

    /** How long the read-only commands wait for the backend's first list. */
    static final Duration INSPECT_SYNC_TIMEOUT = Duration.ofSeconds(30);

    private static int queue(Cli cli, Map<String, String> env, PrintStream out, PrintStream err)
            throws InterruptedException {
        if (!cli.positional().isEmpty()) {
            throw new UsageException(cli.command() + " takes no arguments (use -n NAMESPACE), got " + cli.positional());
        }
        return Inspect.queue(inspectionSettings(cli, env), cli.namespace(), out, err, INSPECT_SYNC_TIMEOUT);
    }

    private static int shares(Cli cli, Map<String, String> env, PrintStream out, PrintStream err)
            throws InterruptedException {
        if (!cli.positional().isEmpty()) {
            throw new UsageException("shares takes no arguments, got " + cli.positional());
        }
        return Inspect.shares(inspectionSettings(cli, env), out, err, INSPECT_SYNC_TIMEOUT);
    }

    /** Settings of the read-only commands: the demo's defaults on backend memory; logs quiet unless asked. */
    private static Settings inspectionSettings(Cli cli, Map<String, String> env) {
        Settings s = settings(cli, env, null);
        if (s.backend().equals("memory")) {
            s = settings(cli, env, DemoScenario.defaults());
        }
        LogSetup.apply(s.logLevel().equals("INFO") ? "WARN" : s.logLevel());
        return s;
    }

    /** Delegates to the simulator module ({@code io.wdrf.sim.SimulateCommand}). */
    private static int simulate(Cli cli, PrintStream out, PrintStream err) {
        return io.wdrf.sim.SimulateCommand.run(cli.positional().toArray(String[]::new), out, err);
    }

    private static int healthCheck(Cli cli, Map<String, String> env, PrintStream err) throws InterruptedException {
        Settings s = settings(cli, env, null);
        int port = s.http().port();
        if (port == 0) {
            err.println("health-check: wdrf.http.port is 0 (random); set a fixed port");
            return USAGE;
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        try {
            HttpResponse<String> resp = client.send(req, HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() == 200) {
                return OK;
            }
            err.println("health-check: /healthz answered " + resp.statusCode() + ": " + resp.body().trim());
            return FAILED;
        } catch (IOException e) {
            err.println("health-check: cannot reach 127.0.0.1:" + port + ": " + e);
            return FAILED;
        }
    }
}
