package io.wdrf.learn;

import io.wdrf.api.PendingWorkload;
import io.wdrf.api.PolicyContext;
import io.wdrf.api.PriorityPlan;
import io.wdrf.api.PriorityPolicy;
import io.wdrf.api.WorkloadId;
import io.wdrf.engine.Policies;
import io.wdrf.learned.ClassBand;
import io.wdrf.learned.Features;
import io.wdrf.learned.Ranking;
import io.wdrf.learned.Skrueue67;
import io.wdrf.sim.SimOptions;
import io.wdrf.sim.Trace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Gym-style environment over the WDRF simulator: {@link #reset(long)} starts an episode on one trace window,
 * {@link #step(Action)} applies the agent's action for one controller cycle and replays the trace to the next cycle.
 *
 * <p>Deterministic: the same windows, options and seed give the same observations and rewards. The window of an
 * episode is {@code windows[floorMod(seed, windows.size())]}. Not thread-safe (one environment per thread).
 */
public final class WdrfEnv {

    private final List<Trace> windows;
    private final SimOptions options;
    private final Observation.Layout layout;
    private final Reward reward;
    private final boolean expectedRuntime;
    private Episode episode;
    private ActionPolicy policy;
    private PriorityPolicy wdrf;
    private Skrueue67 skrueue;
    private Observation last;
    private long steps;

    /**
     * @param windows         trace windows (episodes)
     * @param options         simulator options
     * @param layout          observation layout
     * @param reward          reward preset
     * @param expectedRuntime whether workloads announce their trace duration (the "expected runtime if known" feature)
     */
    public WdrfEnv(List<Trace> windows, SimOptions options, Observation.Layout layout, Reward reward,
                   boolean expectedRuntime) {
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("environment: no trace windows");
        }
        this.windows = List.copyOf(windows);
        this.options = Objects.requireNonNull(options);
        this.layout = Objects.requireNonNull(layout);
        this.reward = Objects.requireNonNull(reward);
        this.expectedRuntime = expectedRuntime;
    }

    /** Starts an episode on window {@code floorMod(seed, windows)} and returns the first observation. */
    public Observation reset(long seed) {
        Trace t = windows.get((int) Math.floorMod(seed, (long) windows.size()));
        episode = new Episode(t, options, config -> {
            wdrf = Policies.create("wdrf", config);
            policy = new ActionPolicy(wdrf, new ClassBand(config));
            return policy;
        }, expectedRuntime);
        skrueue = new Skrueue67();
        steps = 0;
        last = observe();
        return last;
    }

    /** Applies {@code action} for one controller cycle. */
    public StepResult step(Action action) {
        if (episode == null) {
            throw new IllegalStateException("call reset(seed) first");
        }
        if (episode.done) {
            throw new IllegalStateException("episode is over; call reset(seed)");
        }
        Tally t = episode.tally;
        double alloc0 = t.allocArea;
        double pend0 = t.pendingArea;
        double def0 = t.deficitArea;
        double within0 = t.withinShareArea;
        long done0 = t.completed;
        long pre0 = t.preempted;
        long now0 = episode.now;
        int n0 = Math.max(1, episode.pending + episode.running);
        int running0 = Math.max(1, episode.running);
        policy.set(action, last.workloads());
        episode.step();
        policy.set(new Action.Keep(), List.of());
        steps++;
        double dt = (episode.now - now0) / 1000.0;
        double util = dt > 0 ? (t.allocArea - alloc0) / dt : 0;
        double thr = Reward.clamp((double) (t.completed - done0) / n0);
        double wait = dt > 0 ? Reward.clamp((t.pendingArea - pend0) / dt / n0) : Reward.clamp((double) episode.pending / n0);
        double fail = Reward.clamp((double) (t.preempted - pre0) / running0);
        double skr = 0.4 * thr + 0.3 * util - 0.2 * wait - 0.1 * fail;
        double maxAging = options.maxAging().toMillis() / 1000.0;
        double fair = -((t.deficitArea - def0) / t.horizonSeconds()
                + (t.withinShareArea - within0) / (Math.max(1, episode.n) * maxAging));
        Map<String, Double> info = new HashMap<>();
        info.put("completed", (double) (t.completed - done0));
        info.put("preempted", (double) (t.preempted - pre0));
        info.put("pending", (double) episode.pending);
        info.put("running", (double) episode.running);
        info.put("allocation", util);
        info.put("deficit", dt > 0 ? (t.deficitArea - def0) / dt : 0);
        info.put("withinShareWaitSeconds", t.withinShareArea - within0);
        info.put("time", episode.now / 1000.0);
        info.put("reward.skrueue", skr);
        info.put("reward.fairness", fair);
        last = episode.done ? new Observation(layout, new double[0][], List.of(), episode.now / 1000.0) : observe();
        return new StepResult(last, reward == Reward.SKRUEUE ? skr : fair, episode.done, info);
    }

    /** Whether the current episode is over (a window with nothing to decide is over right after reset). */
    public boolean done() {
        return episode == null || episode.done;
    }

    /** Steps taken in the current episode. */
    public long steps() {
        return steps;
    }

    /** The metrics of the current episode so far. */
    public Outcome outcome() {
        if (episode == null) {
            throw new IllegalStateException("call reset(seed) first");
        }
        return episode.outcome();
    }

    private Observation observe() {
        if (episode.done) {
            return new Observation(layout, new double[0][], List.of(), episode.now / 1000.0);
        }
        PolicyContext ctx = episode.context();
        if (layout == Observation.Layout.POINTWISE) {
            double[][] rows = new double[ctx.pending().size()][];
            List<WorkloadId> ids = new ArrayList<>(rows.length);
            for (int i = 0; i < rows.length; i++) {
                PendingWorkload p = ctx.pending().get(i);
                rows[i] = Features.pointwise(p, ctx);
                ids.add(p.id());
            }
            return new Observation(layout, rows, ids, episode.now / 1000.0);
        }
        PriorityPlan base = wdrf.evaluate(ctx);
        List<WorkloadId> head = Ranking.head(base, Skrueue67.QUEUE);
        Map<WorkloadId, PendingWorkload> byId = new HashMap<>();
        for (PendingWorkload p : ctx.pending()) {
            byId.put(p.id(), p);
        }
        List<PendingWorkload> queue = new ArrayList<>();
        for (WorkloadId id : head) {
            queue.add(byId.get(id));
        }
        return new Observation(layout, new double[][]{skrueue.observe(ctx, queue)}, head, episode.now / 1000.0);
    }
}
