package dev.vigie.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigie.dlp.DlpAnalyzer;
import dev.vigie.dlp.DlpConfig;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * HTTP bodies decoded before scanning (chunked, gzip, deflate), and hostile bodies: gzip bombs, huge chunk sizes,
 * endless lines, corrupt streams, more compressed bodies at once than the inflater pool. Every cap is counted,
 * nothing throws or stalls.
 */
class DlpHttpFlowTest {
    static final byte[] SECRET = new byte[32];
    static final String A = DlpFlowTest.A;

    static String csv(int rows) {
        StringBuilder b = new StringBuilder("nir;ipp;iep\n");
        for (int i = 0; i < rows; i++) {
            b.append(DlpFlowTest.nir(String.format("18412751%05d", i))).append(';')
                    .append(77000000 + i).append(';').append(525000000 + i).append('\n');
        }
        return b.toString();
    }

    static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(data);
        }
        return out.toByteArray();
    }

    static byte[] zlib(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(out)) {
            z.write(data);
        }
        return out.toByteArray();
    }

    static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] chunked(byte[] body, int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int off = 0; off < body.length; off += size) {
            int n = Math.min(size, body.length - off);
            out.writeBytes(ascii(Integer.toHexString(n) + (off == 0 ? ";ext=1" : "") + "\r\n"));
            out.write(body, off, n);
            out.writeBytes(ascii("\r\n"));
        }
        out.writeBytes(ascii("0\r\nX-Trailer: 1\r\n\r\n"));
        return out.toByteArray();
    }

    static byte[] request(String headers, byte[] body) {
        return cat(ascii("POST /upload HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n"), body);
    }

    record Result(Map<String, Object> row, DlpAnalyzer dlp) {}

    static Result run(DlpConfig config, int mss, byte[] client, byte[] server) {
        DlpAnalyzer dlp = new DlpAnalyzer(config);
        try (Harness h = new Harness(dlp)) {
            Conversation c = new Conversation(h, "10.77.1.10", 40200, "10.77.200.5", 80).open();
            c.mss = mss;
            c.client(client);
            if (server != null) {
                c.server(server);
            }
            c.close();
            return new Result(h.only(), dlp);
        }
    }

    static Result run(int mss, byte[] client) {
        return run(new DlpConfig(65536, SECRET, 8), mss, client, null);
    }

    @Test
    void anIdentifierSplitAcrossChunksIsFound() {
        byte[] body = ascii("nir;ipp\n" + A + ";77656115\n");
        Result r = run(1460, request("Transfer-Encoding: chunked\r\n", chunked(body, 7)));
        assertEquals(1, r.row().get("dlp_nir"));
        assertEquals(1, r.row().get("dlp_ipp"));
        assertEquals(1, r.dlp().counters().httpDecodedBodies);
        assertEquals(Boolean.FALSE, r.row().get("dlp_capped"));
    }

    @Test
    void gzipAndDeflateBodiesAreInflatedInAnySegmentation() throws Exception {
        byte[] body = ascii(csv(50));
        for (int mss : new int[] {1, 13, 1460}) {
            byte[] gz = gzip(body);
            Result r = run(mss, request("Content-Encoding: gzip\r\nContent-Length: " + gz.length + "\r\n", gz));
            assertEquals(50, r.row().get("dlp_nir"), "gzip, mss " + mss);
            assertEquals(50, r.row().get("dlp_ipp"));
            assertEquals(50, r.row().get("dlp_iep"));
        }
        Result z = run(100, request("Content-Encoding: deflate\r\nTransfer-Encoding: chunked\r\n", chunked(zlib(body), 33)));
        assertEquals(50, z.row().get("dlp_nir"), "zlib deflate, chunked");
        Deflater raw = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        raw.setInput(body);
        raw.finish();
        byte[] buf = new byte[body.length + 64];
        int n = raw.deflate(buf);
        raw.end();
        Result rd = run(1460, request("Content-Encoding: deflate\r\nContent-Length: " + n + "\r\n", java.util.Arrays.copyOf(buf, n)));
        assertEquals(50, rd.row().get("dlp_nir"), "raw deflate without zlib header");
        assertEquals(1, rd.dlp().counters().inflatersCreated, "one inflater, reused");
    }

    @Test
    void gzipHeaderWithExtraNameCommentAndCrcFieldsAndAGzipResponseOnKeepAlive() throws Exception {
        byte[] body = ascii(csv(3));
        byte[] plain = gzip(body);
        // rebuild the header with FEXTRA, FNAME, FCOMMENT and FHCRC set
        byte[] header = {0x1f, (byte) 0x8b, 8, 0x1E, 0, 0, 0, 0, 0, (byte) 0xff, 3, 0, 'a', 'b', 'c',
                'p', '.', 'c', 's', 'v', 0, 'h', 'i', 0, 0x12, 0x34};
        byte[] gz = cat(header, java.util.Arrays.copyOfRange(plain, 10, plain.length));
        byte[] first = request("Content-Length: 2\r\n", ascii("ok"));
        byte[] second = request("Content-Encoding: x-gzip\r\nContent-Length: " + gz.length + "\r\n", gz);
        byte[] resp = cat(ascii("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
                ascii("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"),
                chunked(gzip(ascii("ipp: 77656116\n")), 5));
        Result r = run(new DlpConfig(65536, SECRET, 8), 9, cat(first, second), resp);
        assertEquals(3, r.row().get("dlp_nir"));
        assertEquals(4, r.row().get("dlp_ipp"), "3 in the request, 1 in the response");
        assertEquals(0, r.dlp().counters().inflateErrors);
    }

    @Test
    void aGzipBombHitsTheRatioCapQuickly() throws Exception {
        byte[] zeros = new byte[20 << 20];
        java.util.Arrays.fill(zeros, (byte) '7');
        byte[] bomb = gzip(zeros);                   // 20 MiB of digits in about 20 KiB
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            Result r = run(1460, request("Content-Encoding: gzip\r\nContent-Length: " + bomb.length + "\r\n", bomb));
            assertEquals(1, r.dlp().counters().inflateRatioCapped);
            assertEquals(Boolean.TRUE, r.row().get("dlp_capped"));
            assertTrue((Integer) r.row().get("dlp_bytes_scanned") < 65536);
            assertEquals(0, r.dlp().counters().exceptions);
        });
        // the output cap alone, for a body that compresses less than the ratio: 64 KiB scanned, then nothing
        byte[] body = ascii(csv(5000));
        byte[] gz = gzip(body);
        Result r = run(1460, request("Content-Encoding: gzip\r\nContent-Length: " + gz.length + "\r\n", gz));
        assertEquals(65536, r.row().get("dlp_bytes_scanned"));
        assertEquals(Boolean.TRUE, r.row().get("dlp_capped"));
        assertEquals(0, r.dlp().counters().inflateRatioCapped);
    }

    @Test
    void hugeChunkSizesAndEndlessChunkLinesHitTheirCaps() {
        Result huge = run(1460, request("Transfer-Encoding: chunked\r\n", ascii("FFFFFFFFFF\r\n" + A + "\n")));
        assertEquals(1, huge.dlp().counters().chunkSizeCapped);
        assertEquals(Boolean.TRUE, huge.row().get("dlp_capped"));
        Result big = run(1460, request("Transfer-Encoding: chunked\r\n", ascii("1000001\r\n" + A + "\n")));
        assertEquals(1, big.dlp().counters().chunkSizeCapped, "16 MiB + 1");
        Result endless = run(1460, request("Transfer-Encoding: chunked\r\n", ascii("1;" + "x".repeat(100_000) + "\r\n")));
        assertEquals(1, endless.dlp().counters().chunkLineCapped);
        assertEquals(Boolean.TRUE, endless.row().get("dlp_capped"));
        Result bad = run(1460, request("Transfer-Encoding: chunked\r\n", ascii("zz\r\n" + A + "\n")));
        assertEquals(1, bad.dlp().counters().httpDesync);
        assertEquals(1, bad.row().get("dlp_nir"), "framing lost: the rest is scanned as it is");
    }

    @Test
    void endlessHeaderLinesCorruptGzipAndInflateThatProducesNothingAreBounded() throws Exception {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            Result header = run(1460, ascii("GET / HTTP/1.1\r\nX-A: " + "a".repeat(1_000_000) + "\r\n\r\n"));
            assertEquals(65536, header.row().get("dlp_bytes_scanned"));
            assertEquals(Boolean.TRUE, header.row().get("dlp_capped"));
            byte[] corrupt = ascii("\u001f\u008b\u0008\u0000\u0000\u0000\u0000\u0000\u0000\u0003" + "garbage!".repeat(100));
            Result c = run(1460, request("Content-Encoding: gzip\r\nContent-Length: " + corrupt.length + "\r\n", corrupt));
            assertEquals(1, c.dlp().counters().inflateErrors);
            assertEquals(0, c.dlp().counters().exceptions);
            // stored deflate blocks of length 0: input that inflates to nothing, endlessly (chunked, no length)
            byte[] empty = {0, 0, 0, (byte) 0xff, (byte) 0xff};
            byte[] many = new byte[empty.length * 100_000];
            for (int i = 0; i < 100_000; i++) {
                System.arraycopy(empty, 0, many, i * empty.length, empty.length);
            }
            Result nothing = run(1460, request("Content-Encoding: deflate\r\nTransfer-Encoding: chunked\r\n", chunked(many, 4000)));
            assertEquals(1, nothing.dlp().counters().httpRawCapped, "4 x the output cap of wire bytes");
            assertEquals(Boolean.TRUE, nothing.row().get("dlp_capped"));
        });
    }

    @Test
    void moreCompressedBodiesAtOnceThanPooledInflatersAreCountedAndThePoolIsReused() throws Exception {
        byte[] gz = gzip(ascii(csv(2)));
        byte[] head = request("Content-Encoding: gzip\r\nContent-Length: " + gz.length + "\r\n", new byte[0]);
        DlpAnalyzer dlp = new DlpAnalyzer(new DlpConfig(65536, SECRET, 8));
        try (Harness h = new Harness(dlp)) {
            List<Conversation> open = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                Conversation c = new Conversation(h, "10.77.1.10", 41000 + i, "10.77.200.5", 80).open();
                c.client(cat(head, java.util.Arrays.copyOf(gz, 12)));   // header and the start of the body
                open.add(c);
            }
            for (Conversation c : open) {
                c.client(java.util.Arrays.copyOfRange(gz, 12, gz.length));
                c.close();
            }
            List<Map<String, Object>> rows = h.finish();
            long found = rows.stream().mapToLong(r -> ((Number) r.get("dlp_nir")).longValue()).sum();
            assertEquals(8, dlp.counters().inflaterBusy, "40 bodies at once, 32 inflaters");
            assertEquals(32 * 2, found, "the bodies that had an inflater");
            assertEquals(32, dlp.counters().inflatersCreated);
        }
        try (Harness h = new Harness(dlp)) {
            Conversation c = new Conversation(h, "10.77.1.10", 42000, "10.77.200.5", 80).open();
            c.client(cat(head, gz));
            c.close();
            assertEquals(2, h.only().get("dlp_nir"), "inflaters came back to the pool at flow end");
            assertEquals(32, dlp.counters().inflatersCreated);
        }
    }
}
