package io.wdrf.sim.placement;

import io.wdrf.api.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FgdFillTest {

    @TempDir
    Path dir;

    private List<Node> nodes() throws IOException {
        Files.writeString(dir.resolve("nodes.csv"), """
                sn,cpu_milli,memory_mib,gpu,model
                cpu-node,32000,131072,0,
                gpu-node,32000,131072,2,T4
                """);
        return FgdFill.nodes(dir.resolve("nodes.csv"), 10);
    }

    private List<Map<String, String>> pods(String rows) throws IOException {
        Files.writeString(dir.resolve("pods.csv"), "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos\n" + rows);
        return FgdFill.pods(dir.resolve("pods.csv"));
    }

    @Test
    void halfCardsFillTheCardsWhateverThePolicyAndCpuPodsGoToTheCpuNode() throws IOException {
        List<Map<String, String>> pods = pods("""
                p1,1000,1024,1,500,,LS
                p2,1000,1024,1,500,,LS
                p3,1000,1024,1,500,,LS
                p4,1000,1024,1,500,,LS
                c1,31000,1024,0,,,BE
                """);
        assertThat(pods.get(0)).containsEntry("nvidia.com/gpumem-percentage", "50").containsEntry("nvidia.com/gpucores", "50");
        for (PlacementPolicy p : List.of(PlacementPolicy.BINPACK, PlacementPolicy.SPREAD)) {
            for (long seed = 1; seed <= 5; seed++) {
                FgdFill.Fill f = FgdFill.fill(nodes(), pods, p, seed, new int[] {100});
                // the CPU pod (31 cores) takes the GPU-less node, so no half-card pod is starved of CPU
                assertThat(f.at().get(100)[0]).as("%s seed %d", p, seed).isCloseTo(100.0, within(1e-9));
                assertThat(f.at().get(100)[1]).isCloseTo(0.0, within(1e-9));
            }
        }
    }

    @Test
    void wholeCardsAfterHalvesShowWhatSpreadingCosts() throws IOException {
        // 2 cards: 0.5 pods and 1-card pods. Binpack puts two halves on one card, leaving a whole card free for a
        // whole-card pod; spread puts them on both cards, and a whole-card pod then fits nowhere
        List<Map<String, String>> pods = pods("""
                h1,1000,1024,1,500,,LS
                h2,1000,1024,1,500,,LS
                w1,1000,1024,1,1000,,LS
                """);
        GpuNodes bin = GpuNodes.of(nodes());
        GpuNodes spread = GpuNodes.of(nodes());
        for (Map<String, String> r : pods) {
            bin.place(PodShape.of(r), PlacementPolicy.BINPACK);
            spread.place(PodShape.of(r), PlacementPolicy.SPREAD);
        }
        assertThat(bin.allocatedGpus()).isEqualTo(2.0);
        assertThat(spread.allocatedGpus()).isEqualTo(1.0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FgdFill.print(new PrintStream(out, true, StandardCharsets.UTF_8), "pods.csv", nodes(), pods,
                List.of(PlacementPolicy.BINPACK), 1, 3, new int[] {100});
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("2 nodes (2 GPUs), seeds 1-3").contains("| binpack | 100 |");
        // a fill is a function of its seed
        FgdFill.Fill a = FgdFill.fill(nodes(), pods, PlacementPolicy.SPREAD, 7, new int[] {50, 100});
        FgdFill.Fill b = FgdFill.fill(nodes(), pods, PlacementPolicy.SPREAD, 7, new int[] {50, 100});
        assertThat(a.at().get(100)).containsExactly(b.at().get(100));
    }
}
