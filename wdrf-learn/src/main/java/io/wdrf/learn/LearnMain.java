package io.wdrf.learn;

import java.io.PrintStream;
import java.util.Arrays;

/** Entry point of wdrf-learn.jar: {@code train}, {@code record}, {@code bench}, {@code env-bench}. */
public final class LearnMain {

    private LearnMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            out.println(usage());
            return args.length == 0 ? 2 : 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        return switch (args[0]) {
            case "train" -> TrainCommand.run(rest, out, err);
            case "train-worker" -> TrainCommand.worker(rest, out, err);
            case "record" -> RecordCommand.run(rest, out, err);
            case "bench" -> BenchCommand.bench(rest, out, err);
            case "env-bench" -> BenchCommand.envBench(rest, out, err);
            default -> {
                err.println("wdrf-learn: unknown command '" + args[0].replaceAll("[^A-Za-z0-9_.-]", "?") + "'\n" + usage());
                yield 2;
            }
        };
    }

    static String usage() {
        return String.join("\n",
                "usage: wdrf-learn.jar COMMAND [options]   (COMMAND --help for its options)",
                "  train        CMA-ES over the learned policy's weights (train-worker: one Indexed-Job index)",
                "  record       record a simulated replay into SQLite; record export --csv; record replay",
                "  bench        policies side by side on held-out windows (plugins via --plugin-path)",
                "  env-bench    steps per second of the Gym-style environment");
    }
}
