package io.wdrf.learn;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code wdrf train --emit-job}: a Kubernetes Indexed Job, queued by Kueue, whose index {@code i} of {@code K} runs
 * {@code train-worker} on the shared volume ({@link VolumeBatch}); the driver runs {@code wdrf train --work-dir}
 * against the same volume and merges.
 */
final class IndexedJob {

    /** Options that define the windows and simulator settings; workers need exactly the driver's. */
    static final Set<String> SETUP = Set.of("trace", "file", "trace-dir", "gpus", "window", "train-weeks", "test-weeks",
            "windows-per-week", "train-seeds", "test-seeds", "jobs", "loop-interval", "max-aging", "aging-coefficient");

    private IndexedJob() {
    }

    static String render(Args a, String[] argv) {
        int workers = a.integer("workers", 4, 1, 1000);
        String image = a.get("image", "wdrf-learn:latest");
        String queue = a.get("queue", "wdrf-train");
        String ns = a.get("namespace", "default");
        String pvc = a.get("pvc", "wdrf-train-work");
        String workDir = a.get("work-dir", "/work");
        for (String v : List.of(image, queue, ns, pvc, workDir)) {
            if (!v.matches("[A-Za-z0-9._:/@-]{1,253}")) {
                throw new IllegalArgumentException("--emit-job: '" + Args.clean(v) + "' is not a valid name or path");
            }
        }
        List<String> cmd = new ArrayList<>(List.of("java", "-jar", "/opt/wdrf/wdrf-learn.jar", "train-worker"));
        a.values.forEach((k, v) -> {
            if (SETUP.contains(k)) {
                cmd.add("--" + k);
                cmd.add(v);
            }
        });
        cmd.addAll(List.of("--work-dir", workDir, "--workers", Integer.toString(workers)));
        StringBuilder c = new StringBuilder();
        for (String s : cmd) {
            c.append("            - ").append(quote(s)).append('\n');
        }
        return "# written by wdrf train --emit-job: " + workers + " indexed workers evaluate the CMA-ES candidates.\n"
                + "# Run the driver with the same options plus --work-dir " + workDir + " --workers " + workers
                + " where it sees the same volume.\n"
                + "apiVersion: batch/v1\n"
                + "kind: Job\n"
                + "metadata:\n"
                + "  name: wdrf-train\n"
                + "  namespace: " + ns + "\n"
                + "  labels:\n"
                + "    kueue.x-k8s.io/queue-name: " + queue + "\n"
                + "spec:\n"
                + "  suspend: true # Kueue un-suspends the Job when it admits it\n"
                + "  completionMode: Indexed\n"
                + "  completions: " + workers + "\n"
                + "  parallelism: " + workers + "\n"
                + "  backoffLimit: " + (2 * workers) + "\n"
                + "  template:\n"
                + "    spec:\n"
                + "      restartPolicy: OnFailure\n"
                + "      containers:\n"
                + "        - name: worker\n"
                + "          image: " + image + "\n"
                + "          # the index comes from JOB_COMPLETION_INDEX (set by Kubernetes for Indexed Jobs)\n"
                + "          command:\n" + c
                + "          resources:\n"
                + "            requests: {cpu: \"1\", memory: 1Gi}\n"
                + "            limits: {memory: 2Gi}\n"
                + "          volumeMounts:\n"
                + "            - name: work\n"
                + "              mountPath: " + workDir + "\n"
                + "      volumes:\n"
                + "        - name: work\n"
                + "          persistentVolumeClaim:\n"
                + "            claimName: " + pvc + "\n";
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
