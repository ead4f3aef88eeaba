package dev.vigie.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every capture of ../shared/captures against its INDEX.tsv row. The {@code packets} and {@code data_bytes} columns
 * are capinfos' "Number of packets" and "Data size" (checked with capinfos 4.0 on all 152 files: identical), i.e.
 * the frame count and the sum of original (wire) lengths. The tests skip when ../shared is absent (a fresh clone).
 */
class CaptureRealFilesTest {
    /** INDEX.tsv link-type names (capinfos' short names) to the LINKTYPE_ values that may carry them. */
    private static final Map<String, Set<Integer>> LINK_TYPES = Map.of(
            "ether", Set.of(LinkType.ETHERNET),
            "linux-sll", Set.of(LinkType.LINUX_SLL),
            "null", Set.of(LinkType.NULL),
            "rawip", Set.of(LinkType.RAW, LinkType.RAW_ALT12, LinkType.RAW_ALT14));

    private static final int SMALL_BUFFER = InputBuffer.MIN_CAPACITY;

    record Row(Path path, long packets, long dataBytes, String linkType) {}

    static Path capturesDir() {
        String shared = System.getProperty("vigie.shared");
        assumeTrue(shared != null, "vigie.shared not set");
        Path dir = Path.of(shared, "captures");
        assumeTrue(Files.isRegularFile(dir.resolve("INDEX.tsv")), "no " + dir + "/INDEX.tsv (../shared absent)");
        return dir;
    }

    static List<Row> index() {
        Path dir = capturesDir();
        List<String> lines;
        try {
            lines = Files.readAllLines(dir.resolve("INDEX.tsv"));
        } catch (IOException e) {
            throw new AssertionError("cannot read INDEX.tsv", e);
        }
        List<String> header = List.of(lines.get(0).split("\t"));
        int path = header.indexOf("path");
        int packets = header.indexOf("packets");
        int dataBytes = header.indexOf("data_bytes");
        int linkType = header.indexOf("linktype");
        List<Row> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            rows.add(new Row(dir.resolve(f[path]), Long.parseLong(f[packets]), Long.parseLong(f[dataBytes]), f[linkType]));
        }
        return rows;
    }

    @TestFactory
    Stream<DynamicTest> everyCaptureMatchesItsIndexRow() {
        return index().stream().map(row -> DynamicTest.dynamicTest(capturesDir().relativize(row.path()).toString(), () -> {
            // Files larger than the smallest usable buffer are also read through it: the very same frames must
            // come out, which exercises refill and compaction on real record boundaries.
            boolean compare = Files.size(row.path()) > SMALL_BUFFER;
            CaptureCounters counters = new CaptureCounters();
            long packets = 0;
            long wire = 0;
            long hash = 0;
            Set<Integer> allowed = LINK_TYPES.get(row.linkType());
            try (PacketSource source = CaptureFiles.open(row.path(), 0, counters)) {
                for (CapturedPacket p = source.next(); p != null; p = source.next()) {
                    packets++;
                    wire += p.originalLength;
                    if (compare) {
                        hash = hash * 31 + contentHash(p);
                    }
                    if (allowed != null && !allowed.contains(p.linkType)) {
                        throw new AssertionError("link type " + p.linkType + " for " + row.linkType());
                    }
                }
                assertNull(source.fault(), () -> String.valueOf(source.fault()));
                if (source.bytesTotal() > 0) {
                    assertEquals(source.bytesTotal(), source.bytesConsumed(), "whole file consumed");
                }
            }
            assertEquals(row.packets(), packets, "packets");
            assertEquals(row.dataBytes(), wire, "data_bytes (sum of original lengths)");
            assertEquals(packets, counters.packets);
            assertEquals(wire, counters.wireBytes);

            if (compare) {
                long smallHash = 0;
                long smallPackets = 0;
                try (PacketSource small = CaptureFiles.open(row.path(), 0, new CaptureCounters(), SMALL_BUFFER)) {
                    for (CapturedPacket p = small.next(); p != null; p = small.next()) {
                        smallPackets++;
                        smallHash = smallHash * 31 + contentHash(p);
                    }
                    assertNull(small.fault());
                }
                assertEquals(packets, smallPackets);
                assertEquals(hash, smallHash);
            }
        }));
    }

    @Test
    void allCapturesMergedGiveEveryPacketOnce() {
        List<Row> rows = index();
        CaptureCounters counters = new CaptureCounters();
        long expected = rows.stream().mapToLong(Row::packets).sum();
        long count = 0;
        try (MergedPacketSource merged = CaptureFiles.openAll(rows.stream().map(Row::path).toList(), counters)) {
            assertEquals(rows.size() > 1 ? rows.size() + " inputs" : rows.get(0).path().toString(), merged.name());
            while (merged.next() != null) {
                count++;
            }
            assertEquals(List.of(), merged.faults());
            assertTrue(merged.bytesConsumed() > 0);
        }
        assertEquals(expected, count);
        assertEquals(expected, counters.packets);
    }

    private static long contentHash(CapturedPacket p) {
        long h = p.timestampNanos * 17 + p.captureLength * 31L + p.originalLength + p.fileOffset * 7 + p.linkType;
        for (int i = 0; i < p.captureLength; i++) {
            h = h * 131 + p.data[i];
        }
        return h;
    }
}
