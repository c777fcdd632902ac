package io.wdrf.learn;

import io.wdrf.api.WorkloadId;
import io.wdrf.sim.SimJob;
import io.wdrf.sim.SimOptions;
import io.wdrf.sim.Simulator;
import io.wdrf.sim.Trace;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;

/** Records a simulated replay (the in-memory backend) with exact job events and one snapshot per cycle. */
final class SimRecording {

    private SimRecording() {
    }

    static Outcome record(Trace trace, SimOptions options, String policy, Map<String, String> policyOptions,
                          Recorder recorder) {
        Episode.Listener l = new Episode.Listener() {
            @Override
            public void arrived(SimJob job, WorkloadId id, long at) {
                run(() -> recorder.arrived(id, t(at), job.workloadClass(), job.requests()));
            }

            @Override
            public void admitted(WorkloadId id, long at) {
                run(() -> recorder.admitted(id, t(at)));
            }

            @Override
            public void evicted(WorkloadId id, long at) {
                run(() -> recorder.evicted(id));
            }

            @Override
            public void finished(WorkloadId id, long at) {
                run(() -> recorder.finished(id, t(at)));
            }

            @Override
            public void cycle(Episode ep) {
                run(() -> recorder.cycle(ep.context()));
            }
        };
        Episode e = new Episode(trace, options, c -> Evaluator.create(policy, c, policyOptions), false, l);
        Outcome o = e.runToEnd();
        run(recorder::flush);
        return o;
    }

    private static Instant t(long millis) {
        return Simulator.EPOCH.plusMillis(millis);
    }

    private interface Sql {
        void run() throws SQLException;
    }

    private static void run(Sql s) {
        try {
            s.run();
        } catch (SQLException ex) {
            throw new IllegalStateException("record: " + ex.getMessage(), ex);
        }
    }
}
