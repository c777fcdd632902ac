package io.wdrf.learn;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class CliTest {

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = LearnMain.run(args, new PrintStream(out), new PrintStream(err));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void recordExportReplay() throws Exception {
        Path db = dir.resolve("r.db");
        Result rec = run("record", "--db", db.toString(), "--trace", "synthetic", "--jobs", "40", "--train-seeds", "3");
        assertThat(rec.code()).as(rec.err()).isZero();
        assertThat(rec.out()).contains("recorded synthetic-3");
        Result exp = run("record", "export", "--db", db.toString(), "--csv", dir.resolve("csv").toString());
        assertThat(exp.code()).as(exp.err()).isZero();
        assertThat(Files.readAllLines(dir.resolve("csv/jobs.csv"))).hasSize(41);
        Result rep = run("record", "replay", "--db", db.toString(), "--policies", "fifo,wdrf");
        assertThat(rep.code()).as(rep.err()).isZero();
        assertThat(rep.out()).contains("recorded 40 jobs").contains("fifo").contains("wdrf");
    }

    @Test
    void benchComparesLearnedWeightsWithTheBuiltIns() {
        Result r = run("bench", "--trace", "synthetic", "--jobs", "40", "--test-seeds", "5", "--policies",
                "fifo,wdrf,learned", "--weights", "fairness=1,age=3,gpu=-1", "--threads", "2");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("learned").contains("fifo").contains("1 held-out windows");
    }

    @Test
    void badInputIsACleanUsageError() {
        assertThat(run("nope").code()).isEqualTo(2);
        Result r = run("train", "--generations", "x");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--generations").contains("not a whole number");
        assertThat(run("bench", "--trace", "synthetic", "--jobs", "20", "--policies", "missing").err()).contains("no policy named 'missing'");
        assertThat(run("train", "--trace", "philly", "--train-weeks", "3", "--test-weeks", "3", "--file", "/nonexistent")
                .code()).isNotZero();
    }
}
