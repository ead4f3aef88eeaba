package dev.vigie.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns SIGINT/SIGTERM (and an optional deadline) into an orderly stop: the hook runs {@code stopAction} (close the
 * live source, ask the loop to stop) and then waits for the command to say it has flushed its flows and committed
 * its files, so that nothing partial is left behind.
 */
final class StopSignal implements AutoCloseable {
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;
    private final Thread timer;

    StopSignal(Runnable stopAction, double deadlineSeconds) {
        hook = new Thread(() -> {
            stopAction.run();
            try {
                finished.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "vigie-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        if (deadlineSeconds > 0) {
            timer = new Thread(() -> {
                try {
                    Thread.sleep(Math.round(deadlineSeconds * 1000));
                    stopAction.run();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "vigie-deadline");
            timer.setDaemon(true);
            timer.start();
        } else {
            timer = null;
        }
    }

    /** The command has finished writing: lets a pending shutdown proceed and removes the hook. */
    @Override
    public void close() {
        finished.countDown();
        if (timer != null) {
            timer.interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running and now sees the latch released
        }
    }
}
