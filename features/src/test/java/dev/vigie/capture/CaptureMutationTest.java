package dev.vigie.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged real captures: random byte flips (biased to headers and length fields), truncation, splices of other
 * captures, runs of 0x00/0xFF, and the same through gzip. Whatever the damage: no exception escapes, reading ends
 * in bounded time, no fault is an internal error, and the counters agree with what was handed out. A fixed seed
 * keeps failures reproducible.
 */
class CaptureMutationTest {
    private static final long SEED = 0x5eed_cafeL;
    private static final int MUTANTS = 400;
    private static final int MAX_BASE_SIZE = 100 * 1024;

    @TempDir
    Path dir;

    @Test
    void damagedCapturesNeverThrowAndAlwaysEnd() {
        List<byte[]> bases = bases();
        assumeTrue(bases.size() >= 5, "too few captures to mutate");
        Random random = new Random(SEED);
        Map<CaptureError, Integer> seen = new EnumMap<>(CaptureError.class);
        Path file = dir.resolve("mutant");
        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
            for (int i = 0; i < MUTANTS; i++) {
                byte[] base = bases.get(random.nextInt(bases.size()));
                byte[] mutant = mutate(base, bases, random);
                if (random.nextInt(8) == 0) {
                    mutant = random.nextBoolean() ? TestCaptures.gzip(mutant) : flipSome(TestCaptures.gzip(base), random);
                }
                Files.write(file, mutant);
                int capacity = random.nextBoolean() ? InputBuffer.DEFAULT_CAPACITY : 270 * 1024;
                CaptureCounters counters = new CaptureCounters();
                long packets = 0;
                long start = System.nanoTime();
                PacketSource source = CaptureFiles.open(file, i, counters, capacity);
                try (source) {
                    for (CapturedPacket p = source.next(); p != null; p = source.next()) {
                        packets++;
                        assertTrue(p.captureLength >= 0 && p.captureLength <= CapturedPacket.MAX_CAPTURE_LENGTH);
                        assertEquals(i, p.sourceIndex);
                    }
                }
                long millis = (System.nanoTime() - start) / 1_000_000;
                String what = "mutant " + i + " (" + mutant.length + " bytes)";
                assertTrue(millis < 5_000, what + " took " + millis + " ms");
                assertEquals(packets, counters.packets, what);
                if (source.fault() != null) {
                    assertNotEquals(CaptureError.IO_ERROR, source.fault().error(), what + ": " + source.fault());
                    seen.merge(source.fault().error(), 1, Integer::sum);
                }
                // Each frame needs at least a 16-byte record header (pcap) or a 12-byte block (pcapng) in the
                // decompressed stream; gzip can expand, so only bound plain files.
                if (mutant.length > 1 && (mutant[0] & 0xFF) != 0x1f) {
                    assertTrue(packets <= mutant.length / 12, what + ": " + packets + " packets");
                }
            }
        });
        System.out.println("capture mutation test: faults by kind over " + MUTANTS + " mutants: " + seen);
        // The damage must actually reach the parsers, not just bounce off the magic check.
        assertTrue(seen.size() >= 5, "faults seen: " + seen);
    }

    private static byte[] mutate(byte[] base, List<byte[]> bases, Random random) {
        byte[] b = base.clone();
        int kinds = 1 + random.nextInt(3);
        for (int k = 0; k < kinds && b.length > 0; k++) {
            switch (random.nextInt(6)) {
                case 0 -> b = flipSome(b, random);
                case 1 -> b = Arrays.copyOf(b, random.nextInt(b.length + 1));
                case 2 -> {
                    // Splice a slice of another capture (headers of another format, other byte order...).
                    byte[] other = bases.get(random.nextInt(bases.size()));
                    int from = random.nextInt(other.length);
                    int len = Math.min(other.length - from, 1 + random.nextInt(4096));
                    int at = random.nextInt(b.length + 1);
                    byte[] out = new byte[b.length + len];
                    System.arraycopy(b, 0, out, 0, at);
                    System.arraycopy(other, from, out, at, len);
                    System.arraycopy(b, at, out, at + len, b.length - at);
                    b = out;
                }
                case 3 -> {
                    // A run of 0x00 or 0xFF: zero or maximal lengths.
                    int at = random.nextInt(b.length);
                    int len = Math.min(b.length - at, 1 + random.nextInt(64));
                    Arrays.fill(b, at, at + len, random.nextBoolean() ? (byte) 0 : (byte) -1);
                }
                case 4 -> {
                    // Remove a range: records lose their alignment.
                    int at = random.nextInt(b.length);
                    int len = Math.min(b.length - at, 1 + random.nextInt(256));
                    byte[] out = new byte[b.length - len];
                    System.arraycopy(b, 0, out, 0, at);
                    System.arraycopy(b, at + len, out, at, b.length - at - len);
                    b = out;
                }
                default -> {
                    // Overwrite a 32-bit word at a 4-aligned offset near the start: block/record lengths.
                    if (b.length >= 8) {
                        int at = (random.nextInt(Math.min(b.length, 512) - 4) & ~3);
                        int v = switch (random.nextInt(4)) {
                            case 0 -> random.nextInt();
                            case 1 -> random.nextInt(64);
                            case 2 -> CapturedPacket.MAX_CAPTURE_LENGTH + random.nextInt(16) - 8;
                            default -> Integer.MAX_VALUE - random.nextInt(16);
                        };
                        b[at] = (byte) v;
                        b[at + 1] = (byte) (v >> 8);
                        b[at + 2] = (byte) (v >> 16);
                        b[at + 3] = (byte) (v >> 24);
                    }
                }
            }
        }
        return b;
    }

    private static byte[] flipSome(byte[] b, Random random) {
        if (b.length == 0) {
            return b;
        }
        int flips = 1 + random.nextInt(20);
        for (int i = 0; i < flips; i++) {
            // Half the flips land in the first 256 bytes, where the file and first record headers are.
            int at = random.nextBoolean() ? random.nextInt(Math.min(256, b.length)) : random.nextInt(b.length);
            b[at] = (byte) random.nextInt(256);
        }
        return b;
    }

    /** Small real captures of every format present, in a stable order. */
    private static List<byte[]> bases() {
        List<byte[]> out = new ArrayList<>();
        for (CaptureRealFilesTest.Row row : CaptureRealFilesTest.index()) {
            try {
                if (Files.size(row.path()) <= MAX_BASE_SIZE) {
                    out.add(Files.readAllBytes(row.path()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }
}
