package dev.vigie.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigie extract} as a user meets it: outputs, summary, one-line errors and exit codes. */
class ExtractCommandTest {
    @TempDir
    Path tmp;

    /** A pcap with one UDP exchange (query and answer), written by hand. */
    Path smallCapture() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        out.writeBytes(h.array());
        record(out, 1_700_000_000, 0, udp(0x0A000001, 0x0A000002, 40000, 53, 30));
        record(out, 1_700_000_000, 2000, udp(0x0A000002, 0x0A000001, 53, 40000, 60));
        Path p = tmp.resolve("dns.pcap");
        Files.write(p, out.toByteArray());
        return p;
    }

    static void record(ByteArrayOutputStream out, int sec, int usec, byte[] frame) {
        ByteBuffer r = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        r.putInt(sec).putInt(usec).putInt(frame.length).putInt(frame.length);
        out.writeBytes(r.array());
        out.writeBytes(frame);
    }

    static byte[] udp(int src, int dst, int sport, int dport, int payload) {
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + 8 + payload);
        b.put(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (28 + payload)).putInt(0).put((byte) 64).put((byte) 17)
                .putShort((short) 0).putInt(src).putInt(dst);
        b.putShort((short) sport).putShort((short) dport).putShort((short) (8 + payload)).putShort((short) 0);
        return b.array();
    }

    @Test
    void writesParquetAndPrintsTheSummary() throws Exception {
        Path out = tmp.resolve("flows.parquet");
        CliRun r = CliRun.of("extract", smallCapture().toString(), "-o", out.toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(Files.size(out) > 0);
        assertTrue(r.out().contains("packets      2"), r.toString());
        assertTrue(r.out().contains("1 records from 1 flows (eof 1)"), r.toString());
        assertTrue(r.out().contains("evictions    0"), r.toString());
        assertTrue(r.out().contains("packets/s"), r.toString());
        assertEquals("", r.err());
    }

    @Test
    void arrowFormatFromTheFileName() throws Exception {
        Path out = tmp.resolve("flows.arrow");
        CliRun r = CliRun.of("extract", "-q", smallCapture().toString(), "-o", out.toString());
        assertEquals(0, r.exit(), r.toString());
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(out), 6);
        assertEquals("ARROW1", new String(head, java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void badInputsGetOneLineAndAnExitCode() throws Exception {
        Path out = tmp.resolve("x.parquet");
        Path garbage = tmp.resolve("garbage.pcap");
        Files.writeString(garbage, "not a capture");
        CliRun r = CliRun.of("extract", garbage.toString(), "-o", out.toString());
        assertEquals(3, r.exit(), r.toString());
        assertEquals(1, r.errLines().length, r.toString());
        assertTrue(r.err().contains("garbage.pcap: at offset 0: not a pcap or pcapng file"), r.toString());
        assertFalse(Files.exists(out), "nothing read, nothing written");

        CliRun partial = CliRun.of("extract", "-q", garbage.toString(), smallCapture().toString(), "-o", out.toString());
        assertEquals(1, partial.exit(), "some input had a fault: " + partial);
        assertTrue(Files.exists(out));

        CliRun usage = CliRun.of("extract", "-o", out.toString());
        assertEquals(2, usage.exit(), usage.toString());
        CliRun format = CliRun.of("extract", smallCapture().toString(), "-o", out.toString(), "--format", "csv");
        assertEquals(2, format.exit(), format.toString());
        assertFalse(format.err().contains("Exception"), format.toString());
        CliRun timeout = CliRun.of("extract", smallCapture().toString(), "-o", out.toString(), "--udp-timeout", "-1");
        assertEquals(2, timeout.exit(), timeout.toString());
        assertEquals(1, timeout.errLines().length, timeout.toString());
    }

    @Test
    void unwritableOutputIsAOneLineError() throws Exception {
        Path dir = tmp.resolve("adir");
        Files.createDirectories(dir);
        CliRun r = CliRun.of("extract", "-q", smallCapture().toString(), "-o", dir.toString());
        assertEquals(4, r.exit(), r.toString());
        assertEquals(1, r.errLines().length, r.toString());
    }

    @Test
    void schemaListsEveryColumn() {
        CliRun r = CliRun.of("schema");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("orig_pkts"));
        assertTrue(r.out().contains("community_id"));
        CliRun hash = CliRun.of("schema", "--hash");
        assertEquals(StandardPipeline.schema().hash(), hash.out().strip());
    }
}
