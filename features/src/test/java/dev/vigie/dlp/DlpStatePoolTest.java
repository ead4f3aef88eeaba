package dev.vigie.dlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vigie.decode.DecodedPacket;
import dev.vigie.flow.Flow;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link DlpAnalyzer} recycles the states of ended flows. A recycled state must be a new one in every field, or a
 * flow would inherit its predecessor's line position, table header, held segment or counts: a silently wrong
 * figure. States are driven through the TCP path (in-order, retransmitted and reordered segments, HTTP framing,
 * chunked bodies, tables, HL7) on random documents, released and reset, then compared with a new state field by
 * field, through reflection so that a field added later without its reset fails here.
 */
class DlpStatePoolTest {
    private static final String[] PIECES = {
        "IPP", "patient", "IEP", "NDA", "séjour", "Numéro IPP:", " ", ";", ",", "\t", "|", "^", "\r\n", "\n", "\"",
        "PID|", "PV1|", "MSH|^~\\&|", "\u000b", "\u001c", "AB12", "ééé", "1 84 12 76 451 089 46", "184127645108946",
        "4970 1012 3456 7890", "77001234", "524012345", "ipp;iep;nir\r\n", "IPP\tNDA\n",
        "PID|1||77001234^^^H||DUPONT^JEAN||19800101|M|||||||||524012345\r",
        "POST /upload HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1a\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 40\r\n\r\n", "GET / HTTP/1.1\r\n\r\n",
    };

    private final DlpCounters counters = new DlpCounters();
    private final DlpScanner scanner = new DlpScanner(
            new DlpConfig(DlpConfig.DEFAULT_BYTES_PER_DIRECTION, new byte[32], 8), counters);

    @Test
    void aResetStateEqualsANewOneInEveryField() throws Exception {
        Random r = new Random(20261208);
        DlpState fresh = new DlpState(8);
        int touched = 0;
        for (int round = 0; round < 500; round++) {
            DlpState used = new DlpState(8);
            drive(used, r);
            touched += differences(fresh, used).size();
            used.orig.release(scanner);
            used.resp.release(scanner);
            used.reset();
            List<String> diff = differences(fresh, used);
            if (!diff.isEmpty()) {
                fail("after reset, fields differ from a new state: " + diff);
            }
        }
        // the rounds did move the state away from a new one, or the comparison above proves nothing
        assertTrue(touched > 500 * 10, "fields changed by the rounds: " + touched);
        assertTrue(counters.reorderHeld > 0 && counters.retransmittedBytes > 0, "reordering and retransmission ran");
    }

    @Test
    void aRecycledStateFindsWhatANewOneFinds() {
        Random r = new Random(7);
        DlpState recycled = new DlpState(8);
        for (int doc = 0; doc < 2_000; doc++) {
            byte[] d = document(r);
            recycled.orig.release(scanner);
            recycled.resp.release(scanner);
            recycled.reset();
            recycled.orig.scan(recycled, scanner, d, 0, d.length);
            DlpState fresh = new DlpState(8);
            fresh.orig.scan(fresh, scanner, d, 0, d.length);
            assertEquals(DirectionScannerTest.summary(fresh), DirectionScannerTest.summary(recycled), "document " + doc);
            drive(recycled, r);                       // leave it in the middle of something for the next round
        }
    }

    /** Feeds both directions of a made-up TCP connection: SYNs, then segments in and out of order. */
    private void drive(DlpState s, Random r) {
        Flow flow = new Flow();
        DecodedPacket p = new DecodedPacket();
        p.protocol = DecodedPacket.PROTO_TCP;
        p.hasTransport = true;
        long[] seq = {r.nextInt() & 0xFFFFFFFFL, r.nextInt() & 0xFFFFFFFFL};
        for (int side = 0; side < 2; side++) {
            p.tcpFlags = 0x02;
            p.tcpSeq = seq[side];
            (side == 0 ? s.orig : s.resp).feed(s, scanner, p, flow, side == 0, new byte[0], 0, 0, true);
            seq[side] = (seq[side] + 1) & 0xFFFFFFFFL;
        }
        p.tcpFlags = 0x18;
        for (int k = 0; k < 6 + r.nextInt(10); k++) {
            int side = r.nextInt(2);
            byte[] d = document(r);
            int cut = d.length / 2;
            DirectionScanner ds = side == 0 ? s.orig : s.resp;
            switch (r.nextInt(4)) {
                case 0 -> {            // second half first: held until the first half fills the hole
                    p.tcpSeq = (seq[side] + cut) & 0xFFFFFFFFL;
                    ds.feed(s, scanner, p, flow, side == 0, d, cut, d.length - cut, true);
                    p.tcpSeq = seq[side];
                    ds.feed(s, scanner, p, flow, side == 0, d, 0, cut, true);
                }
                case 1 -> {            // in order, then the first half again (retransmission)
                    p.tcpSeq = seq[side];
                    ds.feed(s, scanner, p, flow, side == 0, d, 0, d.length, true);
                    ds.feed(s, scanner, p, flow, side == 0, d, 0, cut, true);
                }
                case 2 -> {            // a hole that never fills: the second half only
                    p.tcpSeq = (seq[side] + cut) & 0xFFFFFFFFL;
                    ds.feed(s, scanner, p, flow, side == 0, d, cut, d.length - cut, true);
                    if (r.nextBoolean()) {
                        ds.finishPending(s, scanner);
                    }
                }
                default -> {
                    p.tcpSeq = seq[side];
                    ds.feed(s, scanner, p, flow, side == 0, d, 0, d.length, true);
                }
            }
            seq[side] = (seq[side] + d.length) & 0xFFFFFFFFL;
        }
    }

    private static byte[] document(Random r) {
        StringBuilder sb = new StringBuilder();
        for (int k = 3 + r.nextInt(40); k > 0; k--) {
            sb.append(PIECES[r.nextInt(PIECES.length)]);
        }
        return sb.toString().getBytes(r.nextBoolean() ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    }

    /** Paths of the fields whose values differ, through the objects of this package and arrays. */
    static List<String> differences(Object a, Object b) throws IllegalAccessException {
        List<String> out = new ArrayList<>();
        compare(a, b, a.getClass().getSimpleName(), out);
        return out;
    }

    private static void compare(Object a, Object b, String path, List<String> out) throws IllegalAccessException {
        if (a == null || b == null) {
            if (a != b) out.add(path);
            return;
        }
        Class<?> c = a.getClass();
        if (c != b.getClass()) {
            out.add(path + " (class)");
        } else if (c.isArray()) {
            if (Array.getLength(a) != Array.getLength(b)) {
                out.add(path + " (length)");
                return;
            }
            for (int i = 0; i < Array.getLength(a); i++) {
                compare(Array.get(a, i), Array.get(b, i), path + "[" + i + "]", out);
            }
        } else if (c.getPackageName().equals(DlpState.class.getPackageName()) && c != DlpScanner.class) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) continue;
                f.setAccessible(true);
                compare(f.get(a), f.get(b), path + "." + f.getName(), out);
            }
        } else if (!a.equals(b)) {
            out.add(path);
        }
    }
}
