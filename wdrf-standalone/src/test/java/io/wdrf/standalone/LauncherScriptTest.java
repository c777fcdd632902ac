package io.wdrf.standalone;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10 item 10: the {@code ./wdrf} launcher's first build must not leave raw ANSI escape codes on stderr (Maven
 * 3.8's jansi writes {@code ESC[0m} even with {@code -B}), and must keep Maven's exit status. Runs the real script with
 * stand-ins for {@code mvn} and {@code java}.
 */
class LauncherScriptTest {

    @TempDir
    Path dir;

    private Path setUp(String mvnBody) throws Exception {
        Path root = dir.resolve("repo");
        Files.createDirectories(root);
        Files.copy(Path.of("..", "wdrf"), root.resolve("wdrf"));
        Path bin = dir.resolve("bin");
        Files.createDirectories(bin);
        Path mvn = bin.resolve("mvn");
        Files.writeString(mvn, "#!/usr/bin/env bash\n" + mvnBody);
        mvn.toFile().setExecutable(true);
        Path javaHome = dir.resolve("jdk");
        Files.createDirectories(javaHome.resolve("bin"));
        Path java = javaHome.resolve("bin").resolve("java");
        Files.writeString(java, "#!/usr/bin/env bash\necho \"java $*\"\n");
        java.toFile().setExecutable(true);
        return root;
    }

    private Process run(Path root, Path err) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("wdrf").toString(), "--version")
                .redirectError(err.toFile()).redirectOutput(dir.resolve("out.txt").toFile());
        pb.environment().put("PATH", dir.resolve("bin") + ":" + System.getenv("PATH"));
        pb.environment().put("JAVA_HOME", dir.resolve("jdk").toString());
        pb.environment().remove("WDRF_REBUILD");
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p;
    }

    @Test
    void firstBuildOutputHasNoRawAnsiCodesAndTheJarThenRuns() throws Exception {
        Path root = setUp("""
                printf '\\033[0m\\033[0m' ; printf '\\033[1;31m[ERROR]\\033[m nothing really\\n' >&2
                mkdir -p wdrf-standalone/target && touch wdrf-standalone/target/wdrf-standalone.jar
                """);
        Path err = dir.resolve("err.txt");
        Process p = run(root, err);
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(stderr).isZero();
        assertThat(stderr).contains("wdrf: building").contains("[ERROR] nothing really").doesNotContain("\u001b");
        assertThat(Files.readString(dir.resolve("out.txt"))).startsWith("java -jar ").contains("--version");
    }

    @Test
    void aFailedBuildStillFails() throws Exception {
        Path root = setUp("printf '\\033[0m'; echo 'BUILD FAILURE' >&2; exit 1\n");
        Path err = dir.resolve("err.txt");
        Process p = run(root, err);
        assertThat(p.exitValue()).isNotZero();
        assertThat(Files.readString(err)).contains("BUILD FAILURE").doesNotContain("\u001b");
    }
}
