package io.wdrf.learn;

import io.wdrf.sim.Trace;
import io.wdrf.sim.Traces;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code wdrf record}: records a simulated replay (the in-memory backend) into SQLite; {@code wdrf record export
 * --db F --csv DIR}; {@code wdrf record replay --db F --policies …} replays a recorded history as a trace.
 */
final class RecordCommand {

    private RecordCommand() {
    }

    static int run(String[] argv, PrintStream out, PrintStream err) {
        try {
            if (argv.length > 0 && argv[0].equals("export")) {
                Args a = Args.parse(java.util.Arrays.copyOfRange(argv, 1, argv.length), Set.of("db", "csv"), Set.of());
                List<Path> files = RecordedTrace.exportCsv(db(a), Path.of(a.get("csv", "record-csv")));
                out.println("wrote " + files);
                return 0;
            }
            if (argv.length > 0 && argv[0].equals("replay")) {
                Set<String> keys = new HashSet<>(Set.of("db", "policies", "gpu-resource", "loop-interval", "max-aging",
                        "aging-coefficient", "threads"));
                Args a = Args.parse(java.util.Arrays.copyOfRange(argv, 1, argv.length), keys, Set.of());
                Trace t = RecordedTrace.load(db(a), a.get("gpu-resource", Traces.GPU));
                TrainCommand.Setup s = new TrainCommand.Setup(List.of(t), List.of(t), TrainCommand.Setup.options(a),
                        "recorded " + t.jobs().size() + " jobs (" + t.skipped() + " not completed, skipped)");
                Map<String, List<Outcome>> res = BenchCommand.compare(List.of(t), s,
                        List.of(a.get("policies", "fifo,drf,wdrf").split(",")), Map.of(),
                        RecordCommand.class.getClassLoader(), a.integer("threads", 2, 1, 64));
                out.println(s.describe());
                out.println(TrainCommand.summary(res));
                return 0;
            }
            Set<String> keys = new HashSet<>(IndexedJob.SETUP);
            keys.addAll(Set.of("db", "retention", "policy"));
            Args a = Args.parse(argv, keys, Set.of("help"));
            if (a.flag("help")) {
                out.println("wdrf record --db wdrf.db [--retention 7d] [--policy wdrf] [train options for the windows]\n"
                        + "wdrf record export --db wdrf.db --csv DIR\n"
                        + "wdrf record replay --db wdrf.db [--policies fifo,drf,wdrf]");
                return 0;
            }
            TrainCommand.Setup s = TrainCommand.Setup.of(a);
            Path db = Path.of(a.get("db", "wdrf-record.db"));
            try (Recorder r = new Recorder(db, a.duration("retention", "7d"))) {
                for (Trace w : s.train()) {
                    Outcome o = SimRecording.record(w, s.options(), a.get("policy", "wdrf"), Map.of(), r);
                    out.println("recorded " + w.name() + ": " + o.line());
                }
            }
            out.println("wrote " + db);
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("wdrf record: " + Args.clean(e.getMessage()));
            return 2;
        } catch (SQLException | java.io.IOException e) {
            err.println("wdrf record: " + Args.clean(String.valueOf(e.getMessage())));
            return 1;
        }
    }

    private static Path db(Args a) {
        String d = a.get("db", null);
        if (d == null) {
            throw new IllegalArgumentException("--db is required");
        }
        return Path.of(d);
    }
}
