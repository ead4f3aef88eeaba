package dev.vigie.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns SIGINT/SIGTERM (and an optional deadline) into an orderly stop: {@code stopAction} runs (close the live
 * source, ask the loop to stop), and the command then flushes its flows and commits its files, so that nothing
 * partial is left behind.
 * <p>
 * SIGTERM and SIGINT are caught as signals (sun.misc.Signal) rather than left to start the JVM's shutdown: during a
 * shutdown, native libraries' own hooks (ONNX Runtime releases its environment in one) run concurrently with a loop
 * that is still scoring its last batch, which crashed the process. A shutdown hook remains for the other ways the
 * JVM can be asked to exit; it runs the same action and waits for the command to finish.
 */
final class StopSignal implements AutoCloseable {
    private final CountDownLatch finished = new CountDownLatch(1);
    private final java.util.concurrent.atomic.AtomicBoolean signalled = new java.util.concurrent.atomic.AtomicBoolean();
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
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> {
                    if (signalled.getAndSet(true)) {
                        Runtime.getRuntime().halt(128 + sig.getNumber()); // a second Ctrl-C: the user insists
                    }
                    stopAction.run();
                });
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // the signal is reserved here (e.g. by -Xrs): the shutdown hook still covers it
            }
        }
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
