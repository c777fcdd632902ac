package io.wdrf.learn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Batch evaluation through a shared directory (the Indexed Job's volume): the driver writes {@code batch-N.tsv}
 * (one candidate per line, exact decimal doubles), each worker {@code i} of {@code K} evaluates its share with
 * {@link Candidates#evaluateShare} and writes {@code result-N-i.tsv}; the driver merges by pair number. Files are
 * written to a temporary name and moved, so a reader never sees half a file; a restarted worker redoes only the
 * batches it has no result for. {@code done} tells the workers to exit.
 */
final class VolumeBatch implements Candidates.Batch {

    private final Path dir;
    private final int workers;
    private final int windows;
    private final Duration timeout;
    private int next;

    VolumeBatch(Path dir, int workers, int windows, Duration timeout) throws IOException {
        this.dir = dir;
        this.workers = workers;
        this.windows = windows;
        this.timeout = timeout;
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve("done"));
        int n = 0;
        while (Files.exists(batchFile(dir, n))) {
            n++;
        }
        this.next = n;
    }

    static Path batchFile(Path dir, int n) {
        return dir.resolve(String.format(Locale.ROOT, "batch-%05d.tsv", n));
    }

    static Path resultFile(Path dir, int n, int index) {
        return dir.resolve(String.format(Locale.ROOT, "result-%05d-%d.tsv", n, index));
    }

    static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public Outcome[] evaluate(List<double[]> batch) {
        int n = next++;
        try {
            StringBuilder b = new StringBuilder();
            for (double[] x : batch) {
                for (int i = 0; i < x.length; i++) {
                    b.append(i > 0 ? "\t" : "").append(Double.toString(x[i]));
                }
                b.append('\n');
            }
            writeAtomically(batchFile(dir, n), b.toString());
            Outcome[] out = new Outcome[batch.size() * windows];
            long deadline = System.nanoTime() + timeout.toNanos();
            for (int i = 0; i < workers; i++) {
                Path r = resultFile(dir, n, i);
                while (!Files.exists(r)) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("no result from worker " + i + " for " + batchFile(dir, n)
                                + " within " + timeout);
                    }
                    Thread.sleep(100);
                }
                for (String line : Files.readAllLines(r, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        String[] f = line.split("\t", 2);
                        out[Integer.parseInt(f[0])] = decode(f[1]);
                    }
                }
            }
            for (int p = 0; p < out.length; p++) {
                if (out[p] == null) {
                    throw new IllegalStateException(batchFile(dir, n) + ": no worker evaluated pair " + p);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Tells the workers to stop. */
    void finish() throws IOException {
        writeAtomically(dir.resolve("done"), "");
    }

    static List<double[]> readBatch(Path file) throws IOException {
        List<double[]> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            double[] x = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                x[i] = Double.parseDouble(f[i]);
            }
            out.add(x);
        }
        return out;
    }

    static String encode(Outcome o) {
        return String.join("\t", o.window(), Integer.toString(o.jobs()), Integer.toString(o.finished()),
                Integer.toString(o.unstarted()), Double.toString(o.meanWait()), Double.toString(o.p99Wait()),
                Integer.toString(o.starved()), Double.toString(o.allocation()), Double.toString(o.deficit()),
                Double.toString(o.withinShareWaitHours()), Long.toString(o.preemptions()), Long.toString(o.cycles()),
                Double.toString(o.makespan()), Double.toString(o.fairnessReward()));
    }

    static Outcome decode(String s) {
        String[] f = s.split("\t");
        return new Outcome(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]),
                Double.parseDouble(f[4]), Double.parseDouble(f[5]), Integer.parseInt(f[6]), Double.parseDouble(f[7]),
                Double.parseDouble(f[8]), Double.parseDouble(f[9]), Long.parseLong(f[10]), Long.parseLong(f[11]),
                Double.parseDouble(f[12]), Double.parseDouble(f[13]));
    }

    /**
     * A worker: evaluates share {@code index} of {@code count} of every batch in {@code dir} that has no result from
     * it yet, until {@code done} appears (or, with {@code once}, until no batch is waiting).
     */
    static int work(Path dir, Candidates c, int index, int count, int threads, boolean once, Duration idleLimit)
            throws IOException, InterruptedException {
        int done = 0;
        long idleSince = System.nanoTime();
        while (true) {
            boolean did = false;
            for (int n = 0; Files.exists(batchFile(dir, n)); n++) {
                Path r = resultFile(dir, n, index);
                if (Files.exists(r)) {
                    continue;
                }
                List<double[]> batch = readBatch(batchFile(dir, n));
                Outcome[] out = c.evaluateShare(batch, index, count, threads);
                StringBuilder b = new StringBuilder();
                for (int p : c.share(batch.size(), index, count)) {
                    b.append(p).append('\t').append(encode(out[p])).append('\n');
                }
                writeAtomically(r, b.toString());
                done++;
                did = true;
            }
            if (Files.exists(dir.resolve("done")) || (once && !did)) {
                return done;
            }
            if (did) {
                idleSince = System.nanoTime();
            } else if (System.nanoTime() - idleSince > idleLimit.toNanos()) {
                throw new IllegalStateException("worker " + index + ": no new batch in " + dir + " for " + idleLimit);
            }
            Thread.sleep(100);
        }
    }
}
