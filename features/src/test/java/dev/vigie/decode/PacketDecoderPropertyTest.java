package dev.vigie.decode;

import static dev.vigie.decode.Frames.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.vigie.capture.CapturedPacket;
import dev.vigie.capture.LinkType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Properties over hostile input: random bytes and mutated frames (crafted here, and real ones from
 * ../shared/captures when present) under every link type. Nothing may throw, every decode must satisfy
 * {@link DecodeInvariants}, and the counters must add up afterwards.
 *
 * <p>Plain seeded loops rather than a property-test engine: the volume is what finds decoder bugs, and a failure
 * prints the seed and iteration to replay ({@code -Dvigie.decode.seed=...}).
 */
class PacketDecoderPropertyTest {
    /** Every link type we decode, plus two we do not. */
    static final int[] LINK_TYPES = {
        LinkType.NULL, LinkType.ETHERNET, LinkType.RAW, LinkType.LOOP, LinkType.LINUX_SLL, LinkType.IPV4,
        LinkType.IPV6, LinkType.LINUX_SLL2, LinkType.RAW_ALT12, LinkType.RAW_ALT14, 147, 65535
    };

    private static final long SEED = Long.getLong("vigie.decode.seed", 0x5EED_DEC0DEL);

    private final DecodeCounters counters = new DecodeCounters();
    private final PacketDecoder decoder = new PacketDecoder(counters);
    private final DecodedPacket out = new DecodedPacket();
    private final CapturedPacket frame = new CapturedPacket();
    private long frames;
    private long malformed;

    private void decodeAndCheck(byte[] bytes, int length, int originalLength, int linkType, String what) {
        // Exactly the captured bytes: a read past captureLength throws instead of quietly reading stale data.
        frame.data = Arrays.copyOf(bytes, length);
        frame.captureLength = length;
        frame.originalLength = originalLength;
        frame.linkType = linkType;
        DecodeResult r;
        try {
            r = decoder.decode(frame, out);
        } catch (RuntimeException e) {
            throw new AssertionError(what + ": threw on " + hex(bytes, length) + " under link type " + linkType, e);
        }
        frames++;
        if (r == DecodeResult.MALFORMED) {
            malformed++;
        }
        String violation = DecodeInvariants.check(frame, out, r);
        if (violation != null) {
            fail(what + ": " + violation + " (" + r + ", link type " + linkType + ", caplen " + length + ", origlen "
                    + originalLength + ") " + hex(bytes, length));
        }
    }

    private void assertCountersAddUp() {
        assertNull(DecodeInvariants.checkCounters(counters, frames, malformed));
    }

    private static String hex(byte[] b, int length) {
        return java.util.HexFormat.of().formatHex(b, 0, Math.min(length, 256));
    }

    @Test
    void randomBytesUnderEveryLinkType() {
        Random random = new Random(SEED);
        byte[] buf = new byte[2048];
        for (int i = 0; i < 200_000; i++) {
            int length = random.nextInt(8) == 0 ? random.nextInt(buf.length) : random.nextInt(96);
            random.nextBytes(buf);
            int linkType = LINK_TYPES[random.nextInt(LINK_TYPES.length)];
            decodeAndCheck(buf, length, originalLength(random, length), linkType, "seed " + SEED + " iteration " + i);
        }
        assertCountersAddUp();
    }

    @Test
    void mutatedCraftedFrames() {
        mutate(craftedFrames(), 200_000, SEED);
    }

    @Test
    void mutatedRealFrames() throws IOException {
        Path dir = MiniPcap.capturesDir();
        Assumptions.assumeTrue(dir != null, "no ../shared/captures in this checkout");
        List<MiniPcap.Frame> real = new ArrayList<>();
        for (Path file : MiniPcap.captureFiles(dir)) {
            // A few frames from every capture: all link types and many protocol mixes, in little memory.
            real.addAll(MiniPcap.read(file, 40));
        }
        assertTrue(real.size() > 1000, "read " + real.size() + " frames");
        mutate(real, 200_000, SEED + 1);
    }

    private void mutate(List<MiniPcap.Frame> seeds, int iterations, long seed) {
        Random random = new Random(seed);
        byte[] buf = new byte[70_000];
        for (int i = 0; i < iterations; i++) {
            MiniPcap.Frame base = seeds.get(random.nextInt(seeds.size()));
            int length = Math.min(base.data().length, buf.length);
            System.arraycopy(base.data(), 0, buf, 0, length);
            // Mostly flip bytes where the headers are; sometimes anywhere.
            int flips = 1 + random.nextInt(6);
            for (int f = 0; f < flips && length > 0; f++) {
                int at = random.nextInt(4) == 0 ? random.nextInt(length) : random.nextInt(Math.min(length, 100));
                buf[at] = random.nextInt(3) == 0 ? (byte) random.nextInt(256) : interesting(random);
            }
            if (random.nextInt(4) == 0 && length > 0) {
                length = random.nextInt(length + 1);
            }
            int linkType = random.nextInt(5) == 0 ? LINK_TYPES[random.nextInt(LINK_TYPES.length)] : base.linkType();
            int originalLength = random.nextInt(3) == 0 ? originalLength(random, length) : base.originalLength();
            decodeAndCheck(buf, length, originalLength, linkType,
                    "seed " + seed + " iteration " + i + " from " + base.source());
        }
        assertCountersAddUp();
    }

    /** Values at the edges of length and type fields. */
    private static byte interesting(Random random) {
        final byte[] values = {0, 1, 2, 4, 5, 6, 0x0F, 0x10, 0x3F, 0x40, 0x45, 0x4F, 0x60, 0x7F, (byte) 0x80,
            (byte) 0x81, (byte) 0x86, (byte) 0x88, (byte) 0xDD, (byte) 0xF0, (byte) 0xFE, (byte) 0xFF, 44, 51, 59, 60};
        return values[random.nextInt(values.length)];
    }

    private static int originalLength(Random random, int length) {
        switch (random.nextInt(5)) {
            case 0:
                return random.nextInt();
            case 1:
                return length + random.nextInt(100_000);
            case 2:
                return Math.max(0, length - random.nextInt(10));
            default:
                return length;
        }
    }

    /** A valid frame of every shape the decoder knows, as mutation seeds that reach the deep branches. */
    static List<MiniPcap.Frame> craftedFrames() {
        List<MiniPcap.Frame> list = new ArrayList<>();
        byte[] syn = ipv4().build(tcp().options(allTcpOptions()).build(pattern(12)));
        byte[] udp4 = ipv4().protocol(17).build(udp(53, 5353, pattern(30)));
        byte[] icmp4 = ipv4().protocol(1).build(icmp(8, 0, pattern(16)));
        Ipv4 withOptions = ipv4().protocol(17);
        withOptions.options = new byte[] {(byte) 0x94, 4, 0, 0};
        byte[] options4 = withOptions.build(udp(1, 2, pattern(4)));
        byte[] fragment4 = ipv4().protocol(17).fragment(false, 100).build(pattern(40));
        byte[] tcp6 = ipv6(0, extension(60, 6, extension(43, 14, extension(44, 6,
                fragmentHeader(6, 0, true, 9, tcp().options(allTcpOptions()).build(pattern(9)))))));
        byte[] ah6 = ipv6(51, authenticationHeader(17, udp(500, 500, pattern(4))));
        byte[] icmp6 = ipv6(58, icmp(1, 4, ipv6(17, udp(1, 2, new byte[0]))));
        byte[] frag6 = ipv6(44, fragmentHeader(17, 181, false, 7, pattern(30)));
        byte[][] ips = {syn, udp4, icmp4, options4, fragment4, tcp6, ah6, icmp6, frag6};
        for (byte[] ip : ips) {
            int etherType = (ip[0] & 0xF0) == 0x40 ? 0x0800 : 0x86DD;
            int family = etherType == 0x0800 ? 2 : 30;
            add(list, LinkType.ETHERNET, padTo60(ethernet(etherType, ip)));
            add(list, LinkType.ETHERNET, ethernetTagged(new int[][] {{0x88A8, 10}, {0x8100, 20}}, etherType, ip));
            add(list, LinkType.LINUX_SLL, sll(6, etherType, ip));
            add(list, LinkType.LINUX_SLL2, sll2(etherType, 6, ip));
            add(list, LinkType.RAW, ip);
            add(list, etherType == 0x0800 ? LinkType.IPV4 : LinkType.IPV6, ip);
            add(list, LinkType.NULL, nullLittleEndian(family, ip));
            add(list, LinkType.LOOP, nullBigEndian(family == 30 ? 24 : 2, ip));
        }
        add(list, LinkType.ETHERNET, padTo60(ethernet(0x0806, arpRequest())));
        add(list, LinkType.ETHERNET, padTo60(ethernet(38, pattern(38))));
        return list;
    }

    private static void add(List<MiniPcap.Frame> list, int linkType, byte[] data) {
        list.add(new MiniPcap.Frame(linkType, Arrays.copyOf(data, data.length), data.length, "crafted #" + list.size()));
    }
}
