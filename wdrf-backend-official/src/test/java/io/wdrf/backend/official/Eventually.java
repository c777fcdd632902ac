package io.wdrf.backend.official;

import java.time.Duration;

/** Polls an assertion until it passes or the timeout elapses (then rethrows the last failure). */
final class Eventually {
    private Eventually() {
    }

    static void eventually(Duration timeout, Runnable assertion) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
