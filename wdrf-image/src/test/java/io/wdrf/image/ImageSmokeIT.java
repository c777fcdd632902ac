package io.wdrf.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The OCI tarball Jib built ({@code target/jib-image.tar}), taken apart with the standard tools and run the way a
 * kubelet's runtime would: {@code skopeo} turns the archive into an OCI layout, {@code umoci} unpacks it into a
 * runtime bundle (rootfs + config.json from the image config), {@code runc} runs the image's own entrypoint as the
 * image's user, with a read-only root filesystem and a tmpfs on /tmp (the Deployment's emptyDir), in its own
 * network namespace. Needs root, skopeo, umoci and runc ({@code .ci/run} installs them).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImageSmokeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path TAR = Path.of(System.getProperty("image.tar", "target/jib-image.tar"));
    private static final Path WORK = Path.of(System.getProperty("image.work", "target/smoke")).toAbsolutePath();
    private static final String ID = "wdrf-smoke-" + ProcessHandle.current().pid();

    private static Path bundle;
    private static ObjectNode config;

    @BeforeAll
    static void unpack() throws Exception {
        for (String tool : List.of("skopeo", "umoci", "runc")) {
            assertThat(onPath(tool)).as("%s on PATH (apt-get install skopeo umoci runc; .ci/run does)", tool).isTrue();
        }
        assertThat(TAR).as("Jib's tarball (mvn -Pimage package)").isRegularFile();
        delete(WORK);
        Files.createDirectories(WORK);
        Path layout = WORK.resolve("oci");
        bundle = WORK.resolve("bundle");
        run(60, "skopeo", "copy", "-q", "oci-archive:" + TAR.toAbsolutePath(), "oci:" + layout + ":wdrf");
        run(120, "umoci", "unpack", "--image", layout + ":wdrf", bundle.toString());
        config = (ObjectNode) JSON.readTree(bundle.resolve("config.json").toFile());
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (bundle != null) {
            exec(30, "runc", "delete", "--force", ID);
        }
    }

    @Test
    @Order(1)
    void sameInputsGiveTheSameDigest() throws IOException {
        Path dir = TAR.toAbsolutePath().getParent();
        String first = Files.readString(dir.resolve("jib-image.digest")).trim();
        String again = Files.readString(dir.resolve("jib-image-again.digest")).trim();
        assertThat(first).matches("sha256:[0-9a-f]{64}").isEqualTo(again);
        System.out.printf("image %s digest %s size %d bytes%n", TAR.getFileName(), first, Files.size(TAR));
    }

    @Test
    @Order(2)
    void imageConfigIsNonRootWithTheDockerfilesEntrypoint() throws IOException {
        JsonNode process = config.get("process");
        assertThat(process.at("/user/uid").asInt()).isEqualTo(65532);
        assertThat(process.at("/user/gid").asInt()).isEqualTo(65532);
        assertThat(strings(process.get("args"))).containsExactlyElementsOf(dockerfileCommand());
        assertThat(process.get("cwd").asText()).isEqualTo("/opt/wdrf");
        // FROM scratch: the runtime, its libraries, the jar and three files in /etc - no shell, no package manager
        Path rootfs = bundle.resolve("rootfs");
        assertThat(rootfs.resolve("bin/sh")).doesNotExist();
        assertThat(rootfs.resolve("usr/bin")).doesNotExist();
        assertThat(rootfs.resolve("opt/wdrf/wdrf-standalone.jar")).isRegularFile();
        String release = Files.readString(rootfs.resolve("opt/jre/release"));
        Matcher m = Pattern.compile("MODULES=\"([^\"]*)\"").matcher(release);
        assertThat(m.find()).isTrue();
        assertThat(Arrays.asList(m.group(1).split(" "))).containsAll(dockerfileModules());
    }

    @Test
    @Order(3)
    void versionRunsUnderRunc() throws Exception {
        prepare(List.of("--version"));
        String out = run(120, "runc", "run", "--bundle", bundle.toString(), ID);
        assertThat(out.trim()).isEqualTo("wdrf " + System.getProperty("project.version"));
    }

    @Test
    @Order(4)
    void healthzAnswersInsideTheContainer() throws Exception {
        exec(30, "runc", "delete", "--force", ID);
        Path etc = WORK.resolve("etc");
        Files.createDirectories(etc);
        // the embedded in-memory cluster: no API server needed; port 8080 inside the container's own network
        Files.writeString(etc.resolve("application.conf"),
                "wdrf {\n  backend = memory\n  leader-election.enabled = false\n}\n");
        prepare(List.of("--config", "/etc/wdrf/application.conf"));
        ObjectNode mount = ((ArrayNode) config.get("mounts")).addObject();
        mount.put("destination", "/etc/wdrf").put("type", "bind").put("source", etc.toString());
        mount.putArray("options").add("rbind").add("ro");
        JSON.writeValue(bundle.resolve("config.json").toFile(), config);

        Path log = WORK.resolve("controller.log");
        Process controller = new ProcessBuilder("runc", "run", "--bundle", bundle.toString(), ID)
                .redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            int code = -1;
            while (System.nanoTime() < deadline && controller.isAlive()) {
                // the image's own java and the controller's own health check (GET 127.0.0.1:8080/healthz)
                code = exec(60, "runc", "exec", ID, "/opt/jre/bin/java", "-jar", "/opt/wdrf/wdrf-standalone.jar",
                        "--health-check", "--config", "/etc/wdrf/application.conf").exitValue();
                if (code == 0) {
                    break;
                }
                Thread.sleep(1000);
            }
            assertThat(code).as("--health-check inside the container; controller log:%n%s", read(log)).isZero();
            exec(30, "runc", "kill", ID, "TERM");
            assertThat(controller.waitFor(60, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
            assertThat(read(log)).contains("serving /metrics, /healthz, /readyz").contains("backend=memory")
                    .doesNotContain("Read-only file system");
        } finally {
            controller.destroyForcibly();
        }
    }

    /** Read-only root, tmpfs /tmp, no terminal, the image's entrypoint with the given arguments. */
    private static void prepare(List<String> args) throws IOException {
        ObjectNode process = (ObjectNode) config.get("process");
        process.put("terminal", false);
        List<String> command = strings(process.get("args")).subList(0, 4);
        ArrayNode newArgs = process.putArray("args");
        command.forEach(newArgs::add);
        args.forEach(newArgs::add);
        ((ObjectNode) config.get("root")).put("readonly", true);
        ArrayNode mounts = (ArrayNode) config.get("mounts");
        boolean hasTmp = false;
        for (JsonNode mnt : mounts) {
            hasTmp |= mnt.get("destination").asText().equals("/tmp");
        }
        if (!hasTmp) {
            ObjectNode tmp = mounts.addObject();
            tmp.put("destination", "/tmp").put("type", "tmpfs").put("source", "tmpfs");
            tmp.putArray("options").add("nosuid").add("nodev").add("mode=1777").add("size=64m");
        }
        JSON.writeValue(bundle.resolve("config.json").toFile(), config);
    }

    /** ENTRYPOINT + CMD of deploy/docker/Dockerfile, with java resolved to the image's runtime. */
    private static List<String> dockerfileCommand() throws IOException {
        String dockerfile = dockerfile();
        List<String> out = new ArrayList<>();
        for (String key : List.of("ENTRYPOINT", "CMD")) {
            Matcher m = Pattern.compile("(?m)^" + key + " \\[(.*)]$").matcher(dockerfile);
            assertThat(m.find()).as("%s in the Dockerfile", key).isTrue();
            for (String part : m.group(1).split(",")) {
                out.add(part.trim().replaceAll("^\"|\"$", ""));
            }
        }
        assertThat(out.get(0)).isEqualTo("java");
        out.set(0, "/opt/jre/bin/java");
        return out;
    }

    private static List<String> dockerfileModules() throws IOException {
        Matcher m = Pattern.compile("--add-modules (\\S+)").matcher(dockerfile());
        assertThat(m.find()).isTrue();
        return Arrays.asList(m.group(1).split(","));
    }

    private static String dockerfile() throws IOException {
        return Files.readString(Path.of(System.getProperty("basedir", "."), "..", "deploy", "docker", "Dockerfile"));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Runs a command, fails with its output unless it exits 0; returns stdout+stderr. */
    private static String run(int timeoutSeconds, String... command) throws Exception {
        Result r = exec(timeoutSeconds, command);
        assertThat(r.exitValue()).as("%s exit code; output:%n%s", String.join(" ", command), r.output()).isZero();
        return r.output();
    }

    private record Result(int exitValue, String output) {
    }

    private static Result exec(int timeoutSeconds, String... command) throws Exception {
        Path out = Files.createTempFile(WORK, "cmd", ".out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
        }
        String text = read(out);
        Files.delete(out);
        return new Result(p.exitValue(), text);
    }

    private static String read(Path p) throws IOException {
        return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    }

    private static void delete(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted((a, b) -> b.compareTo(a)).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
