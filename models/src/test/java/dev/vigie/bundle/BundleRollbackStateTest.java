package dev.vigie.bundle;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static dev.vigie.bundle.BundleRejected.Reason;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BundleRollbackStateTest {
    private static final String SHA_A = "aa".repeat(32);
    private static final String SHA_B = "bb".repeat(32);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-11-28T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path tmp;

    private Path file() {
        return tmp.resolve("lib/vigie/accepted-versions.json");
    }

    private RollbackState state(AtomicFiles.CrashPoint crash) {
        return new RollbackState(file(), false, crash, CLOCK);
    }

    private static Reason reasonOf(ThrowingRunnable r) {
        return assertThrows(BundleRejected.class, r::run).reason();
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void acceptsUpwardsRefusesDownwardsAndKeepsSitesApart() throws Exception {
        RollbackState s = RollbackState.at(file());
        assertTrue(s.load().isEmpty(), "no file yet: nothing accepted");
        s.admit("a", 3, SHA_A);
        s.admit("a", 5, SHA_A);
        assertEquals(Reason.ROLLBACK, reasonOf(() -> s.admit("a", 4, SHA_A)));
        s.admit("a", 5, SHA_A);
        assertEquals(Reason.ROLLBACK, reasonOf(() -> s.admit("a", 5, SHA_B)));
        s.admit("b", 1, SHA_B);
        RollbackState reopened = RollbackState.at(file());
        assertEquals(5, reopened.accepted("a").orElseThrow().version());
        assertEquals(1, reopened.accepted("b").orElseThrow().version());
    }

    @Test
    void readOnlyChecksButNeverWrites() throws Exception {
        RollbackState.at(file()).admit("a", 5, SHA_A);
        byte[] before = Files.readAllBytes(file());
        RollbackState ro = RollbackState.at(file()).readOnly();
        ro.admit("a", 9, SHA_B);
        assertEquals(Reason.ROLLBACK, reasonOf(() -> ro.admit("a", 4, SHA_A)));
        assertArrayEquals(before, Files.readAllBytes(file()));
        RollbackState.at(tmp.resolve("none/x.json")).readOnly().admit("a", 1, SHA_A);
        assertFalse(Files.exists(tmp.resolve("none")));
    }

    @Test
    void aCrashHalfWayThroughWritingLeavesTheOldStateIntact() throws Exception {
        state(AtomicFiles.CrashPoint.NONE).admit("a", 1, SHA_A);
        byte[] before = Files.readAllBytes(file());
        for (String stage : new String[] {"half-written", "before-rename"}) {
            RollbackState crashing = state(at -> {
                if (at.equals(stage)) {
                    throw new IOException("simulated power loss at " + at);
                }
            });
            BundleRejected e = assertThrows(BundleRejected.class, () -> crashing.admit("a", 2, SHA_B));
            assertEquals(Reason.STATE_UNUSABLE, e.reason());
            assertArrayEquals(before, Files.readAllBytes(file()), stage);
            assertEquals(1, RollbackState.at(file()).accepted("a").orElseThrow().version());
        }
        // A real crash (no chance to clean up) leaves a temp file behind: it must be harmless.
        Files.writeString(file().resolveSibling(".accepted-versions.json.tmp-0123456789abcdef"), "{\"formatVers");
        RollbackState.at(file()).admit("a", 2, SHA_B);
        assertEquals(2, RollbackState.at(file()).accepted("a").orElseThrow().version());
    }

    @Test
    void readersNeverSeeAHalfWrittenFile() throws Exception {
        RollbackState s = RollbackState.at(file());
        s.admit("a", 1, SHA_A);
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            long last = 0;
            while (!done.get()) {
                try {
                    long v = RollbackState.at(file()).accepted("a").orElseThrow().version();
                    if (v < last) {
                        throw new AssertionError("went back from " + last + " to " + v);
                    }
                    last = v;
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                    return;
                }
            }
        });
        reader.start();
        for (long v = 2; v <= 80; v++) {
            s.admit("a", v, SHA_A);
        }
        done.set(true);
        reader.join();
        assertNull(failure.get(), () -> "reader saw: " + failure.get());
        assertEquals(80, s.accepted("a").orElseThrow().version());
    }

    @Test
    void aCorruptOrUnknownStateRefusesEverything() throws Exception {
        Files.createDirectories(file().getParent());
        Files.writeString(file(), "{\"formatVersion\":1,\"sites\":{\"a\":{\"version\":3}}}");
        assertEquals(Reason.STATE_UNUSABLE, reasonOf(() -> RollbackState.at(file()).admit("a", 9, SHA_A)));
        Files.writeString(file(), "{\"formatVersion\":7,\"sites\":{}}");
        assertEquals(Reason.STATE_UNUSABLE, reasonOf(() -> RollbackState.at(file()).admit("a", 9, SHA_A)));
        assertThrows(IOException.class, () -> RollbackState.at(file()).load());
    }

    @Test
    void stateFileIsCanonicalJsonWithTheAcceptanceTime() throws Exception {
        state(AtomicFiles.CrashPoint.NONE).admit("chu-nord", 7, SHA_A);
        assertEquals("{\"formatVersion\":1,\"sites\":{\"chu-nord\":{\"acceptedAt\":\"2025-11-28T12:00:00Z\","
                + "\"manifestSha256\":\"" + SHA_A + "\",\"version\":7}}}\n", Files.readString(file()));
    }
}
