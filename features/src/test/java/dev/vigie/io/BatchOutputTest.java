package dev.vigie.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigie.capture.CaptureFiles;
import dev.vigie.capture.LinkType;
import dev.vigie.capture.MergedPacketSource;
import dev.vigie.capture.TestCaptures;
import dev.vigie.decode.DecodedPacket;
import dev.vigie.decode.Frames;
import dev.vigie.extract.ExtractionCounters;
import dev.vigie.extract.FlowExtractor;
import dev.vigie.extract.ProgressListener;
import dev.vigie.flow.FlowConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flow rows written as Parquet and Arrow IPC, read back by DuckDB and Arrow; files appear atomically. */
class BatchOutputTest {
    @TempDir
    Path tmp;

    /** 300 UDP flows (two packets each) and one TCP flow, enough for several batches of 128 rows. */
    Path capture() throws IOException {
        TestCaptures.Pcap pcap = new TestCaptures.Pcap(ByteOrder.LITTLE_ENDIAN, false, 65535, LinkType.ETHERNET);
        for (int i = 0; i < 300; i++) {
            Frames.Ipv4 q = Frames.ipv4().protocol(DecodedPacket.PROTO_UDP);
            q.src = 0x0A000100L + i;
            q.dst = 0x0A0000FEL;
            pcap.record(1_700_000_000L + i, 0, Frames.ethernet(0x0800, q.build(Frames.udp(30000 + i, 53, new byte[40]))));
            Frames.Ipv4 a = Frames.ipv4().protocol(DecodedPacket.PROTO_UDP);
            a.src = 0x0A0000FEL;
            a.dst = 0x0A000100L + i;
            pcap.record(1_700_000_000L + i, 500_000, Frames.ethernet(0x0800, a.build(Frames.udp(53, 30000 + i, new byte[100]))));
        }
        Frames.Tcp syn = Frames.tcp().options(Frames.allTcpOptions());
        pcap.record(1_700_001_000L, 0, Frames.ethernet(0x0800, Frames.ipv4().build(syn.build(new byte[0]))));
        Path p = tmp.resolve("in.pcap");
        Files.write(p, pcap.bytes());
        return p;
    }

    long extractTo(String format, Path out) throws IOException {
        FlowExtractor extractor = new FlowExtractor(FlowConfig.DEFAULTS, dev.vigie.features.FlowSchema.base(), List.of(), 128);
        ExtractionCounters counters = new ExtractionCounters();
        try (BufferAllocator allocator = new RootAllocator();
             MergedPacketSource source = CaptureFiles.openAll(List.of(capture()), counters.capture);
             BatchOutput output = BatchOutput.open(format, out, extractor.schema().arrowSchema(), allocator)) {
            extractor.run(source, counters, allocator, batch -> {
                try {
                    output.write(batch);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                assertFalse(Files.exists(out), "nothing under the final name before commit");
            }, List.of(), ProgressListener.NONE);
            output.commit();
            assertEquals(301, output.rows());
        }
        try (Stream<Path> files = Files.list(tmp)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().contains(".tmp")), "no temporary file left");
        }
        return counters.rows;
    }

    @Test
    void parquetIsQueryableWithDuckDb() throws Exception {
        Path out = tmp.resolve("flows.parquet");
        assertEquals(301, extractTo("parquet", out));
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            String f = "'" + out + "'";
            try (ResultSet rs = st.executeQuery("SELECT count(*), sum(orig_pkts + resp_pkts), sum(resp_bytes), "
                    + "count(*) FILTER (WHERE conn_state = 'SF'), min(ts_start), count(orig_mss), "
                    + "count(DISTINCT community_id) FROM " + f)) {
                rs.next();
                assertEquals(301, rs.getLong(1));
                assertEquals(601, rs.getLong(2));
                assertEquals(300 * 100, rs.getLong(3));
                assertEquals(300, rs.getLong(4));
                assertTrue(rs.getString(5).startsWith("2023-11-14"), rs.getString(5));
                assertEquals(1, rs.getLong(6), "only the TCP SYN has an MSS; UDP rows hold null");
                assertEquals(301, rs.getLong(7));
            }
            try (ResultSet rs = st.executeQuery("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM " + f
                    + ") WHERE column_name IN ('ts_start', 'orig_pkts', 'duration', 'orig_sack_ok') ORDER BY column_name")) {
                StringBuilder types = new StringBuilder();
                while (rs.next()) {
                    types.append(rs.getString(1)).append('=').append(rs.getString(2)).append(';');
                }
                assertEquals("duration=DOUBLE;orig_pkts=BIGINT;orig_sack_ok=BOOLEAN;ts_start=TIMESTAMP WITH TIME ZONE;",
                        types.toString());
            }
            try (ResultSet rs = st.executeQuery("SELECT resp_h, count(*) AS n FROM " + f
                    + " WHERE proto = 'udp' GROUP BY resp_h ORDER BY n DESC LIMIT 1")) {
                rs.next();
                assertEquals("10.0.0.254", rs.getString(1));
                assertEquals(300, rs.getLong(2));
            }
        }
    }

    @Test
    void arrowIpcFileReadsBack() throws Exception {
        Path out = tmp.resolve("flows.arrow");
        extractTo("arrow", out);
        long rows = 0;
        try (BufferAllocator allocator = new RootAllocator();
             FileChannel ch = FileChannel.open(out, StandardOpenOption.READ);
             ArrowFileReader reader = new ArrowFileReader(ch, allocator)) {
            while (reader.loadNextBatch()) {
                rows += reader.getVectorSchemaRoot().getRowCount();
            }
            assertEquals(dev.vigie.features.FlowSchema.base().arrowSchema(), reader.getVectorSchemaRoot().getSchema());
        }
        assertEquals(301, rows);
    }

    @Test
    void abandonedOutputLeavesNothing() throws Exception {
        Path out = tmp.resolve("never.parquet");
        try (BufferAllocator allocator = new RootAllocator();
             BatchOutput o = BatchOutput.open("parquet", out, dev.vigie.features.FlowSchema.base().arrowSchema(), allocator)) {
            assertFalse(Files.exists(out));
        }
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void emptyInputStillWritesAValidFile() throws Exception {
        Path out = tmp.resolve("empty.parquet");
        try (BufferAllocator allocator = new RootAllocator();
             BatchOutput o = BatchOutput.open("parquet", out, dev.vigie.features.FlowSchema.base().arrowSchema(), allocator)) {
            o.commit();
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM '" + out + "'")) {
            rs.next();
            assertEquals(0, rs.getLong(1));
        }
    }
}
