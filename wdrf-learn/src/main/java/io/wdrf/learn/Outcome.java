package io.wdrf.learn;

import java.util.Locale;

/**
 * The metrics of one episode (one policy on one trace window).
 *
 * @param window                 window name
 * @param jobs                   jobs in the window
 * @param finished               jobs completed
 * @param unstarted              jobs never admitted
 * @param meanWait               mean queueing delay, seconds (unstarted jobs count until the end)
 * @param p99Wait                99th percentile queueing delay, seconds
 * @param starved                jobs that waited longer than {@code maxAging}
 * @param allocation             time-mean GPU allocation ∈ [0, 1]
 * @param deficit                time-mean fair-share deficit over the window span ({@link Tally})
 * @param withinShareWaitHours   hours per job waited while the job's tenant was below its entitlement
 * @param preemptions            ClusterQueue preemptions
 * @param cycles                 controller cycles
 * @param makespan               seconds to the end of the episode
 * @param fairnessReward         −(deficit + within-share wait per job / maxAging): the WDRF fairness reward (higher
 *                               is better, 0 = perfect)
 */
public record Outcome(String window, int jobs, int finished, int unstarted, double meanWait, double p99Wait, int starved,
                      double allocation, double deficit, double withinShareWaitHours, long preemptions, long cycles,
                      double makespan, double fairnessReward) {

    /** One line for reports. */
    public String line() {
        return String.format(Locale.ROOT, "jobs=%d unstarted=%d meanWait=%.0fs p99=%.0fs starved=%d alloc=%.3f "
                        + "deficit=%.4f withinShareWait=%.3fh fairness=%.4f", jobs, unstarted, meanWait, p99Wait, starved,
                allocation, deficit, withinShareWaitHours, fairnessReward);
    }
}
