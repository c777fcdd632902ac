package io.wdrf.learn;

import io.wdrf.sim.SimOptions;
import io.wdrf.sim.Trace;
import io.wdrf.sim.Traces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TrainerTest {

    static final SimOptions OPTIONS = new SimOptions(Duration.ofSeconds(60), 1.0, Duration.ofHours(1), "Never", 1000, 240);

    @TempDir
    Path dir;

    static List<Trace> windows() {
        return List.of(Traces.synthetic(21, 40, 3, 8, 1.3), Traces.synthetic(22, 40, 3, 8, 1.3));
    }

    static Trainer.Result train(Candidates c, Candidates.Batch batch) {
        double[] starved = new double[c.windows().size()];
        for (int w = 0; w < starved.length; w++) {
            starved[w] = Evaluator.run(c.windows().get(w), OPTIONS, "wdrf", Map.of(), false).starved();
        }
        return new Trainer(c, batch, new Trainer.Settings(2, 4, 0.5, 7, 10), starved).run(Trainer.wdrfStart(1.0), n -> {
        });
    }

    @Test
    void theSearchIsDeterministicWhateverTheThreadCountOrTheWorkersAndImprovesOnItsStart() throws Exception {
        Candidates c = new Candidates(windows(), OPTIONS);
        Trainer.Result one = train(c, b -> c.evaluateShare(b, 0, 1, 1));
        Trainer.Result three = train(c, b -> c.evaluateShare(b, 0, 1, 3));
        assertThat(three.best()).isEqualTo(one.best());
        assertThat(three.evaluations()).hasSameSizeAs(one.evaluations());
        for (int i = 0; i < one.evaluations().size(); i++) {
            assertThat(three.evaluations().get(i).weights()).isEqualTo(one.evaluations().get(i).weights());
            assertThat(three.evaluations().get(i).objective()).isEqualTo(one.evaluations().get(i).objective());
        }
        // 1 start point + 2 generations × 4, evaluated one generation per batch
        assertThat(one.evaluations()).hasSize(9);
        assertThat(one.batches()).isEqualTo(2);
        assertThat(one.bestObjective()).isLessThanOrEqualTo(one.evaluations().get(0).objective());

        // the Indexed-Job path: two workers on a shared directory, in process
        Path work = dir.resolve("work");
        VolumeBatch volume = new VolumeBatch(work, 2, c.windows().size(), Duration.ofMinutes(5));
        List<Thread> workers = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int i = 0; i < 2; i++) {
            int index = i;
            Thread t = new Thread(() -> {
                try {
                    VolumeBatch.work(work, new Candidates(windows(), OPTIONS), index, 2, 1, false, Duration.ofMinutes(5));
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            t.start();
            workers.add(t);
        }
        Trainer.Result viaJob = train(c, volume);
        volume.finish();
        for (Thread t : workers) {
            t.join(60_000);
        }
        assertThat(failures).isEmpty();
        assertThat(viaJob.best()).isEqualTo(one.best());
        assertThat(viaJob.bestObjective()).isEqualTo(one.bestObjective());
        assertThat(Files.exists(VolumeBatch.resultFile(work, 1, 1))).isTrue();
    }

    @Test
    void outcomesSurviveTheVolumeEncodingExactly() {
        Outcome o = Evaluator.run(windows().get(0), OPTIONS, "wdrf", Map.of(), false);
        assertThat(VolumeBatch.decode(VolumeBatch.encode(o))).isEqualTo(o);
    }

    @Test
    void emitJobRendersAKueueQueuedIndexedJob() throws Exception {
        Path file = dir.resolve("job.yaml");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = TrainCommand.run(new String[]{"--trace", "synthetic", "--jobs", "40", "--emit-job", file.toString(),
                "--workers", "3", "--queue", "research", "--namespace", "ml", "--pvc", "train-claim",
                "--image", "registry.example/wdrf-learn:0.1"}, new PrintStream(out), System.err);
        assertThat(rc).isZero();
        Map<String, Object> job = new Yaml().load(Files.readString(file));
        assertThat(job).containsEntry("kind", "Job").containsEntry("apiVersion", "batch/v1");
        Map<?, ?> meta = (Map<?, ?>) job.get("metadata");
        assertThat(meta.get("namespace")).isEqualTo("ml");
        assertThat(((Map<?, ?>) meta.get("labels")).get("kueue.x-k8s.io/queue-name")).isEqualTo("research");
        Map<?, ?> spec = (Map<?, ?>) job.get("spec");
        assertThat(spec.get("completionMode")).isEqualTo("Indexed");
        assertThat(spec.get("completions")).isEqualTo(3);
        assertThat(spec.get("parallelism")).isEqualTo(3);
        assertThat(spec.get("suspend")).isEqualTo(true);
        Map<?, ?> pod = (Map<?, ?>) ((Map<?, ?>) spec.get("template")).get("spec");
        Map<?, ?> container = (Map<?, ?>) ((List<?>) pod.get("containers")).get(0);
        assertThat(container.get("image")).isEqualTo("registry.example/wdrf-learn:0.1");
        @SuppressWarnings("unchecked")
        List<String> command = (List<String>) container.get("command");
        assertThat(command).contains("train-worker").containsSequence("--trace", "synthetic")
                .containsSequence("--jobs", "40").containsSequence("--workers", "3").doesNotContain("--emit-job");
        Map<?, ?> volume = (Map<?, ?>) ((List<?>) pod.get("volumes")).get(0);
        assertThat(((Map<?, ?>) volume.get("persistentVolumeClaim")).get("claimName")).isEqualTo("train-claim");
        // the worker entry point accepts the rendered command line (minus the launcher)
        List<String> workerArgs = new ArrayList<>(command.subList(command.indexOf("train-worker") + 1, command.size()));
        workerArgs.set(workerArgs.indexOf("--work-dir") + 1, dir.resolve("w").toString());
        workerArgs.addAll(List.of("--index", "2", "--once"));
        Files.createDirectories(dir.resolve("w"));
        ByteArrayOutputStream wout = new ByteArrayOutputStream();
        assertThat(TrainCommand.worker(workerArgs.toArray(new String[0]), new PrintStream(wout), System.err)).isZero();
        assertThat(wout.toString(StandardCharsets.UTF_8)).contains("worker 2/3: evaluated 0 batches");
    }
}
