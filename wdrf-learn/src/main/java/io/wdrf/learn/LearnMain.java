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
            default -> {
                err.println("wdrf-learn: unknown command '" + args[0].replaceAll("[^A-Za-z0-9_.-]", "?") + "'\n" + usage());
                yield 2;
            }
        };
    }

    static String usage() {
        return "usage: wdrf train|record|bench|env-bench [options]   (--help after a command for its options)";
    }
}
