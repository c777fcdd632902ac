package io.wdrf.learn;

import io.wdrf.learned.Features;
import io.wdrf.learned.Skrueue67;
import io.wdrf.sim.SimCluster;
import io.wdrf.sim.SimJob;
import io.wdrf.sim.SimOptions;
import io.wdrf.sim.Trace;
import io.wdrf.sim.Traces;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

class EnvTest {

    static final SimOptions OPTIONS = new SimOptions(Duration.ofSeconds(60), 1.0, Duration.ofHours(2), "Never", 1000, 240);

    static List<Trace> windows() {
        return List.of(Traces.synthetic(1, 80, 4, 16, 1.2), Traces.synthetic(2, 80, 4, 16, 1.2));
    }

    record Run(List<double[][]> observations, List<Double> rewards, Outcome outcome) {
    }

    static Run play(Observation.Layout layout, Reward reward, long seed, boolean agent) {
        WdrfEnv env = new WdrfEnv(windows(), OPTIONS, layout, reward, true);
        Observation o = env.reset(seed);
        List<double[][]> obs = new ArrayList<>();
        List<Double> rewards = new ArrayList<>();
        while (true) {
            obs.add(o.rows());
            Action a;
            if (!agent) {
                a = new Action.Keep();
            } else if (layout == Observation.Layout.POINTWISE) {
                double[] s = new double[o.rows().length];
                for (int i = 0; i < s.length; i++) {
                    s[i] = 4 * o.rows()[i][Features.POINTWISE_COLUMNS.indexOf("age")] - 3 * o.rows()[i][4];
                }
                a = new Action.Scores(s);
            } else {
                a = Action.Rank.pick((int) (o.timeSeconds() / 60) % 10);
            }
            StepResult r = env.step(a);
            rewards.add(r.reward());
            o = r.observation();
            if (r.done()) {
                break;
            }
        }
        return new Run(obs, rewards, env.outcome());
    }

    @Test
    void episodesAreDeterministicPerSeed() {
        for (Observation.Layout layout : Observation.Layout.values()) {
            Run a = play(layout, Reward.FAIRNESS, 5, true);
            Run b = play(layout, Reward.FAIRNESS, 5, true);
            assertThat(a.rewards()).isEqualTo(b.rewards());
            assertThat(a.observations()).hasSameSizeAs(b.observations());
            for (int i = 0; i < a.observations().size(); i++) {
                assertThat(a.observations().get(i)).isDeepEqualTo(b.observations().get(i));
            }
            assertThat(a.outcome()).isEqualTo(b.outcome());
        }
        // another seed picks the other window
        assertThat(play(Observation.Layout.POINTWISE, Reward.FAIRNESS, 6, false).outcome().window())
                .isEqualTo(windows().get(0).name());
    }

    @Test
    void keepingWdrfIsTheWdrfPolicyAndTheAgentChangesTheOutcome() {
        Run keep = play(Observation.Layout.POINTWISE, Reward.FAIRNESS, 1, false);
        Outcome wdrf = Evaluator.run(windows().get(1), OPTIONS, "wdrf", Map.of(), true);
        assertThat(keep.outcome()).isEqualTo(wdrf);
        Run agent = play(Observation.Layout.POINTWISE, Reward.FAIRNESS, 1, true);
        assertThat(agent.outcome().meanWait()).isNotEqualTo(wdrf.meanWait());
        Run ranked = play(Observation.Layout.SKRUEUE_67, Reward.SKRUEUE, 1, true);
        assertThat(ranked.outcome().meanWait()).isNotEqualTo(wdrf.meanWait());
    }

    @Test
    void observationShapes() {
        WdrfEnv env = new WdrfEnv(windows(), OPTIONS, Observation.Layout.SKRUEUE_67, Reward.SKRUEUE, false);
        Observation o = env.reset(0);
        int maxQueue = 0;
        while (o.workloads().size() < 10) {
            maxQueue = Math.max(maxQueue, o.workloads().size());
            StepResult r = env.step(new Action.Keep());
            assertThat(r.done()).as("the queue never reached 10 (max %d)", maxQueue).isFalse();
            o = r.observation();
        }
        assertThat(o.rows()).hasNumberOfRows(1);
        assertThat(o.rows()[0]).hasSize(Skrueue67.WIDTH);
        assertThat(o.workloads()).hasSize(10);
        for (double v : o.rows()[0]) {
            assertThat(v).isBetween(0.0, 1.0);
        }
        WdrfEnv pw = new WdrfEnv(windows(), OPTIONS, Observation.Layout.POINTWISE, Reward.SKRUEUE, false);
        Observation p = pw.reset(0);
        assertThat(p.rows()).hasNumberOfRows(p.workloads().size());
        assertThat(p.rows()[0]).hasSize(Features.POINTWISE_WIDTH);
        assertThatThrownBy(() -> new WdrfEnv(windows(), OPTIONS, Observation.Layout.POINTWISE, Reward.SKRUEUE, false)
                .step(new Action.Keep())).hasMessageContaining("reset");
    }

    @Test
    void fairnessStepRewardsSumToTheEpisodeFairness() {
        // first job at t = 0, on the cycle grid: no time passes before the first step
        Run r = play(Observation.Layout.POINTWISE, Reward.FAIRNESS, 0, false);
        assertThat(windows().get(0).jobs().get(0).arrivalMillis()).isGreaterThan(0);
        double sum = r.rewards().stream().mapToDouble(Double::doubleValue).sum();
        assertThat(sum).isLessThan(0);
        assertThat(sum).isGreaterThanOrEqualTo(r.outcome().fairnessReward() - 1e-9);
    }

    /** Two teams, 4 GPUs: a holds all 4 for 100 s while b's 1-GPU job waits, then b runs. */
    @Test
    void fairShareDeficitAndWithinShareWaitByHand() {
        SimCluster c = new SimCluster(Map.of("nvidia.com/gpu", "4"), Map.of("nvidia.com/gpu", 4.0), "nvidia.com/gpu",
                List.of(), false, List.of(), Map.of(), "");
        Trace t = new Trace("hand", c, List.of(
                new SimJob("a1", "a", 0, 100_000, Map.of("nvidia.com/gpu", "4"), Map.of("nvidia.com/gpu", 4.0), "normal"),
                new SimJob("b1", "b", 0, 50_000, Map.of("nvidia.com/gpu", "1"), Map.of("nvidia.com/gpu", 1.0), "normal")),
                List.of(), 0);
        SimOptions o = new SimOptions(Duration.ofSeconds(10), 1.0, Duration.ofSeconds(1000), "Never", 1000, 240);
        Outcome out = Evaluator.run(t, o, "fifo", Map.of(), false);
        // b waits 100 s with share 0 < entitlement 1/2: deficit area 50, within-share area 100 job-seconds
        assertThat(out.meanWait()).isCloseTo(50.0, offset(1e-9));
        assertThat(out.deficit()).isCloseTo(50.0 / 3600, offset(1e-9)); // horizon: at least one hour
        assertThat(out.withinShareWaitHours()).isCloseTo(100.0 / 2 / 3600, offset(1e-9));
        assertThat(out.fairnessReward()).isCloseTo(-(50.0 / 3600 + 50.0 / 1000), offset(1e-9));
        assertThat(out.allocation()).isCloseTo((4 * 100.0 + 1 * 50.0) / 4 / 150.0, offset(1e-9));
    }
}
