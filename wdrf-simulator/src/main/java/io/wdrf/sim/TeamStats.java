package io.wdrf.sim;

/**
 * Waiting and completion statistics of a set of jobs (all jobs, or one team's). Times in seconds.
 *
 * @param jobs        jobs in the set
 * @param unstarted   jobs never admitted before the replay ended (their wait is counted up to the end)
 * @param meanWait    mean queueing delay (arrival → first admission)
 * @param p50Wait     median queueing delay (nearest rank)
 * @param p99Wait     99th percentile queueing delay (nearest rank)
 * @param maxWait     longest queueing delay
 * @param meanJct     mean job completion time (arrival → finish) over finished jobs
 * @param starved     jobs that waited longer than {@code MAX_AGING_TIME}
 * @param meanShare   time-averaged weighted dominant share (over the whole replay)
 * @param weight      team weight (1 for the overall row)
 */
public record TeamStats(int jobs, int unstarted, double meanWait, double p50Wait, double p99Wait, double maxWait,
                        double meanJct, int starved, double meanShare, double weight) {
}
