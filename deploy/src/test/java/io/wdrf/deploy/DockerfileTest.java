package io.wdrf.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.module.ModuleFinder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Textual validation of deploy/docker/Dockerfile (Docker is not available on the build machines). */
class DockerfileTest {

    static final List<String> REQUIRED_MODULES = List.of("java.base", "java.naming", "java.sql", "java.desktop",
            "java.management", "jdk.httpserver", "jdk.management", "jdk.unsupported", "jdk.crypto.ec", "java.net.http");

    /** One instruction: keyword and its arguments, continuation lines joined, comments removed. */
    record Instruction(String keyword, String args) {
    }

    static List<Instruction> parse(String text) {
        List<Instruction> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String raw : text.split("\n", -1)) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && cur.length() == 0)) {
                continue;
            }
            if (line.endsWith("\\")) {
                cur.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            cur.append(line);
            String full = cur.toString().strip();
            cur.setLength(0);
            if (full.isEmpty()) {
                continue;
            }
            int sp = full.indexOf(' ');
            out.add(sp < 0 ? new Instruction(full.toUpperCase(), "")
                    : new Instruction(full.substring(0, sp).toUpperCase(), full.substring(sp + 1).strip()));
        }
        return out;
    }

    static List<Instruction> dockerfile() {
        return parse(DeployFiles.read(DeployFiles.path("docker/Dockerfile")));
    }

    /** Problems of an image reference: no tag/digest, or a floating "latest" tag. */
    static List<String> imageProblems(String image) {
        List<String> out = new ArrayList<>();
        String withoutDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        String lastPart = withoutDigest.substring(withoutDigest.lastIndexOf('/') + 1);
        if (!lastPart.contains(":") && !image.contains("@sha256:")) {
            out.add(image + ": no tag or digest (defaults to latest)");
        }
        if (lastPart.contains(":") && lastPart.substring(lastPart.indexOf(':') + 1).equalsIgnoreCase("latest")) {
            out.add(image + ": uses the latest tag");
        }
        return out;
    }

    /** Resolves ${ARG} references in FROM lines with the ARG defaults declared before the first FROM. */
    static String resolveArgs(String s, Map<String, String> args) {
        Matcher m = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)}?").matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = args.get(m.group(1));
            if (v == null) {
                throw new AssertionError("FROM uses ARG " + m.group(1) + " without a default");
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    @Test
    void imageCheckerCatchesFloatingTags() {
        assertThat(imageProblems("debian:12-slim")).isEmpty();
        assertThat(imageProblems("registry:5000/wdrf:0.1.0")).isEmpty();
        assertThat(imageProblems("debian@sha256:0123")).isEmpty();
        assertThat(imageProblems("debian")).hasSize(1);
        assertThat(imageProblems("registry:5000/debian")).hasSize(1);
        assertThat(imageProblems("eclipse-temurin:latest")).hasSize(1);
    }

    @Test
    void multiStageWithPinnedBaseImages() {
        List<Instruction> ins = dockerfile();
        Map<String, String> globalArgs = new LinkedHashMap<>();
        List<String> images = new ArrayList<>();
        boolean seenFrom = false;
        for (Instruction i : ins) {
            if (i.keyword().equals("ARG") && !seenFrom) {
                String[] kv = i.args().split("=", 2);
                if (kv.length == 2) {
                    globalArgs.put(kv[0].strip(), kv[1].strip());
                }
            }
            if (i.keyword().equals("FROM")) {
                seenFrom = true;
                String image = resolveArgs(i.args().split("\\s+")[0], globalArgs);
                if (!image.startsWith("--")) {
                    images.add(image);
                }
            }
        }
        assertThat(images).hasSizeGreaterThanOrEqualTo(2);
        for (String image : images) {
            assertThat(imageProblems(image)).as(image).isEmpty();
        }
        // no floating tag anywhere outside comments
        for (Instruction i : ins) {
            assertThat(i.args()).as(i.keyword()).doesNotContainPattern(":latest\\b");
        }
    }

    @Test
    void buildStageJlinksTheRequiredModules() {
        List<Instruction> ins = dockerfile();
        Instruction jlink = ins.stream().filter(i -> i.keyword().equals("RUN") && i.args().contains("jlink"))
                .findFirst().orElseThrow(() -> new AssertionError("no RUN jlink"));
        Matcher m = Pattern.compile("--add-modules[ =]([A-Za-z0-9.,]+)").matcher(jlink.args());
        assertThat(m.find()).as("--add-modules").isTrue();
        List<String> modules = List.of(m.group(1).split(","));
        assertThat(modules).containsAll(REQUIRED_MODULES).doesNotHaveDuplicates();
        // every module exists in a Java 17 runtime image (the one running this test)
        for (String mod : modules) {
            assertThat(ModuleFinder.ofSystem().find(mod)).as("module %s", mod).isPresent();
        }
        assertThat(jlink.args()).contains("--output").contains("--strip-debug").contains("--no-header-files");
        // jlink runs in a stage before the final one, which copies the runtime from it
        int jlinkIndex = ins.indexOf(jlink);
        int lastFrom = lastIndexOf(ins, "FROM");
        assertThat(jlinkIndex).isLessThan(lastFrom);
        String buildStage = stageNameBefore(ins, jlinkIndex);
        assertThat(ins.subList(lastFrom, ins.size()))
                .anySatisfy(i -> {
                    assertThat(i.keyword()).isEqualTo("COPY");
                    assertThat(i.args()).contains("--from=" + buildStage);
                });
    }

    @Test
    void finalStageRunsTheShadedJarAsNonRoot() {
        List<Instruction> ins = dockerfile();
        List<Instruction> last = ins.subList(lastIndexOf(ins, "FROM"), ins.size());
        List<Instruction> users = last.stream().filter(i -> i.keyword().equals("USER")).collect(java.util.stream.Collectors.toList());
        assertThat(users).as("USER in the final stage").isNotEmpty();
        String user = users.get(users.size() - 1).args();
        String uid = user.split(":")[0];
        assertThat(uid).isNotIn("0", "root").matches("[0-9]+");
        // the Deployment runs with the same uid
        assertThat(DeploymentTest.podSpec().get("securityContext")).isNotNull();
        assertThat(Yaml2.get(DeploymentTest.podSpec(), "securityContext.runAsUser")).isEqualTo(Integer.parseInt(uid));
        // no instruction after the last USER switches back to root
        int userIndex = last.indexOf(users.get(users.size() - 1));
        assertThat(last.subList(userIndex, last.size())).noneMatch(i -> i.keyword().equals("RUN"));

        Instruction copyJar = last.stream().filter(i -> i.keyword().equals("COPY") && i.args().contains("wdrf-standalone.jar"))
                .findFirst().orElseThrow(() -> new AssertionError("no COPY of wdrf-standalone.jar"));
        String[] copyArgs = copyJar.args().split("\\s+");
        String jarPath = copyArgs[copyArgs.length - 1];
        assertThat(copyArgs[copyArgs.length - 2]).isEqualTo("wdrf-standalone/target/wdrf-standalone.jar");

        Instruction entrypoint = last.stream().filter(i -> i.keyword().equals("ENTRYPOINT")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no ENTRYPOINT"));
        JsonNode ep = DeployFiles.jsonArray(entrypoint.args());
        assertThat(ep.isArray()).as("exec form").isTrue();
        List<String> argv = new ArrayList<>();
        ep.forEach(n -> argv.add(n.asText()));
        assertThat(argv.get(0)).endsWith("java");
        int jar = argv.indexOf("-jar");
        assertThat(jar).isPositive();
        assertThat(argv.get(jar + 1)).isEqualTo(jarPath);
        assertThat(argv.get(argv.size() - 1)).isEqualTo("run");

        Instruction cmd = last.stream().filter(i -> i.keyword().equals("CMD")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no CMD"));
        List<String> cmdArgs = new ArrayList<>();
        DeployFiles.jsonArray(cmd.args()).forEach(n -> cmdArgs.add(n.asText()));
        assertThat(cmdArgs).isEqualTo(Yaml2.strings(DeploymentTest.container(), "args"));
        assertThat(last).anySatisfy(i -> {
            assertThat(i.keyword()).isEqualTo("EXPOSE");
            assertThat(i.args()).isEqualTo(String.valueOf(HoconConfigTest.parse().getInt("wdrf.http.port")));
        });
    }

    @Test
    void parserJoinsContinuationsAndSkipsComments() {
        List<Instruction> ins = parse("# c\nFROM a:1 AS b\nRUN x \\\n  --y \\\n  z\n\nUSER 1\n");
        assertThat(ins).containsExactly(new Instruction("FROM", "a:1 AS b"), new Instruction("RUN", "x  --y  z"),
                new Instruction("USER", "1"));
    }

    private static int lastIndexOf(List<Instruction> ins, String keyword) {
        for (int i = ins.size() - 1; i >= 0; i--) {
            if (ins.get(i).keyword().equals(keyword)) {
                return i;
            }
        }
        throw new AssertionError("no " + keyword);
    }

    private static String stageNameBefore(List<Instruction> ins, int index) {
        for (int i = index; i >= 0; i--) {
            if (ins.get(i).keyword().equals("FROM")) {
                String[] parts = ins.get(i).args().split("\\s+");
                assertThat(parts.length).as("build stage is named (FROM ... AS name)").isEqualTo(3);
                assertThat(parts[1]).isEqualToIgnoringCase("AS");
                return parts[2];
            }
        }
        throw new AssertionError("no FROM before index " + index);
    }
}
